/**
 * The serve editor's completion reads the YAML path at the cursor from indentation and finds the
 * keys and enumerations there in the manifest's JSON Schema (the one `stackplan schema` prints).
 */
import { describe, expect, it } from 'vitest';
import { manifestJsonSchema } from '../../src/manifest/json-schema.js';
import { pathAt, type SchemaNode, schemaAt } from '../../src/serve/client/complete.js';

const schema = manifestJsonSchema() as SchemaNode;
const keys = (n: SchemaNode | undefined) => Object.keys(n?.properties ?? {});

describe('schema completion', () => {
  const lines = [
    'name: shop # a comment',
    'backups:',
    '  rpoHours: 1',
    '',
    '  # retention next',
    '  ',
    'services:',
    '  api:',
    '    kind: api',
    '    rehearse:',
    '      ',
    'buckets:',
    '  - name: uploads',
    '    ',
  ];
  it('reads the path from the lines above', () => {
    expect(pathAt(lines, 0, 0)).toEqual([]);
    expect(pathAt(lines, 5, 2)).toEqual(['backups']);
    expect(pathAt(lines, 10, 6)).toEqual(['services', 'api', 'rehearse']);
    expect(pathAt(lines, 13, 4)).toEqual(['buckets', { item: true }]);
  });

  it('finds the keys and values the schema allows there', () => {
    expect(keys(schemaAt(schema, []))).toEqual(
      expect.arrayContaining(['name', 'availability', 'traffic', 'services']),
    );
    expect(keys(schemaAt(schema, ['backups']))).toEqual(
      expect.arrayContaining(['rpoHours', 'retentionDays']),
    );
    expect(keys(schemaAt(schema, ['services', 'api']))).toEqual(
      expect.arrayContaining(['kind', 'port', 'rehearse']),
    );
    expect(keys(schemaAt(schema, ['services', 'api', 'rehearse']))).toContain('command');
    expect(schemaAt(schema, ['availability'])?.enum).toEqual(['single-instance', 'multi-az', 'multi-az-ha']);
    expect(schemaAt(schema, ['nope', 'deeper'])).toBeUndefined();
  });
});
