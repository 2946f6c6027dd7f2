/**
 * YAML templates are read by js-yaml (fast) and, when it cannot (unknown tags, syntax errors,
 * aliases), by the yaml package (careful). Both must read every template the same way: checked
 * on every YAML template in the corpus of public templates and in the cost fixtures.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { carefulYaml, fastYaml } from '../../src/price/input.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(name) && !name.endsWith('.usage.yaml') ? [p] : [];
  });
}

describe('YAML template reading', () => {
  const files = [
    ...yamlFiles(path.join(FIXTURES, 'real-templates')),
    ...yamlFiles(path.join(FIXTURES, 'cost')),
  ];

  it('reads every template the same on the fast and the careful path', async () => {
    expect(files.length).toBeGreaterThan(40);
    let declined = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const fast = await fastYaml(text);
      const warnings: string[] = [];
      const careful = await carefulYaml(text, f, warnings);
      if (fast === undefined) {
        // Only a template with a tag CloudFormation does not have (Rain's !Rain::Embed …) is declined.
        expect(warnings.join('\n'), `${f}: the fast path declined it`).toMatch(/unknown YAML tag/);
        declined++;
      } else expect(fast, f).toEqual(careful);
    }
    expect(declined).toBeLessThan(files.length / 10);
  });

  it('leaves unknown tags, syntax errors and aliases to the careful path', async () => {
    expect(await fastYaml('a: !Bogus 1\n')).toBeUndefined();
    expect(await fastYaml('a: [1\n')).toBeUndefined();
    expect(await fastYaml('a: &x {b: 1}\nc: *x\n')).toBeUndefined();
    expect(await fastYaml('a: !Sub "arn:$' + '{AWS::Region}"\nb: !GetAtt X.Arn\nc: !If [C, 1, 2]\n')).toEqual(
      {
        a: { 'Fn::Sub': 'arn:$' + '{AWS::Region}' },
        b: { 'Fn::GetAtt': ['X', 'Arn'] },
        c: { 'Fn::If': ['C', 1, 2] },
      },
    );
  });
});
