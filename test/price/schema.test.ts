/** The JSON report matches its documented schema, and the commented usage example is valid. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { loadPriceBook } from '../../src/price/book/index.js';
import { priceTemplates } from '../../src/price/engine.js';
import { readTemplates } from '../../src/price/input.js';
import { readUsageFile } from '../../src/price/usage-file.js';

const ROOT = path.join(import.meta.dirname, '..', '..');
const schema = JSON.parse(readFileSync(path.join(ROOT, 'schema', 'cost-report.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

describe('cost report schema', () => {
  it.each(['legacy', 'paid-plan', 'none'] as const)(
    'validates a report with every kind of line (%s)',
    async (freeTier) => {
      const inputs = [
        ...(await readTemplates(path.join(ROOT, 'test', 'fixtures', 'cost', 'cdk.out'))),
        ...(await readTemplates(path.join(ROOT, 'test', 'fixtures', 'cost', 'intrinsics.template.json'))),
        ...(await readTemplates(path.join(ROOT, 'test', 'fixtures', 'cost', 'containers.template.json'))),
      ];
      const report = priceTemplates(inputs, {
        asOf: '2026-11-22',
        book: loadPriceBook(),
        freeTier,
        usage: readUsageFile(path.join(ROOT, 'examples', 'usage.yaml')),
      });
      const json = JSON.parse(JSON.stringify(report));
      expect(validate(json), JSON.stringify(validate.errors, null, 2)).toBe(true);
    },
  );

  it('rejects a report that drifts from it', () => {
    expect(validate({ schemaVersion: 1, currency: 'USD' })).toBe(false);
  });

  it('examples/usage.yaml parses', () => {
    const u = readUsageFile(path.join(ROOT, 'examples', 'usage.yaml'));
    expect(u.profile).toBe('small');
    expect(u.bedrock?.[0]?.model).toBe('amazon.nova-lite-v1:0');
    expect(u.types?.['AWS::S3::Bucket']?.storageGb).toBe(5);
  });
});
