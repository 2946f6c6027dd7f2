import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manifestJsonSchema, manifestJsonSchemaText } from '../../src/manifest/json-schema.js';

describe('JSON Schema for editors', () => {
  it('schema/stackplan.schema.json is generated from the zod schema (run `npm run schema` when this fails)', () => {
    expect(readFileSync('schema/stackplan.schema.json', 'utf8')).toBe(manifestJsonSchemaText());
  });
  it('documents every manifest and service field', () => {
    const schema = manifestJsonSchema() as {
      properties: Record<
        string,
        { description?: string; properties?: Record<string, { description?: string }> }
      >;
    };
    for (const [key, prop] of Object.entries(schema.properties)) {
      if (['backups', 'traffic', 'integrations'].includes(key)) continue;
      expect(prop.description, key).toBeTruthy();
    }
    const services = schema.properties.services as unknown as {
      additionalProperties: { properties: Record<string, { description?: string }> };
    };
    for (const [key, prop] of Object.entries(services.additionalProperties.properties)) {
      expect(prop.description, `services.*.${key}`).toBeTruthy();
    }
  });
});
