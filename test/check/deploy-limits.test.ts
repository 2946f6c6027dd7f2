/**
 * A manifest inside every schema limit can still make a resource cross a fixed AWS quota (here,
 * 40 long secret names on one service overflow IAM's 6,144-character managed policy). plan must
 * say so as a user error naming the field, and write nothing, instead of a template that fails
 * half-way through its deploy.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEPLOY_LIMITS, deployLimitFindings } from '../../src/check/deploy-limits.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'stackplan-limits-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const secrets = Array.from(
  { length: 40 },
  (_, i) => `SECRET_${String(i).padStart(2, '0')}_${'X'.repeat(54)}`,
);
const MANIFEST = `name: ${'a'.repeat(32)}
domain: shop.example.com
alarmEmail: ops@example.com
tier: ecs
services:
  api:
    kind: api
    image: ghcr.io/acme/api:1.0.0
    port: 8080
    route: /
    secrets: [${secrets.join(', ')}]
`;

describe('deploy limits', () => {
  it('measure policies, task definitions and the template with intrinsics resolved', () => {
    const template = {
      Resources: {
        ServicesApiExecutionPolicyABCD1234: {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: {
            PolicyDocument: {
              Statement: [
                {
                  Effect: 'Allow',
                  Resource: secrets.map((s) => ({
                    'Fn::Join': [
                      '',
                      [
                        'arn:',
                        { Ref: 'AWS::Partition' },
                        ':ssm:',
                        { Ref: 'AWS::Region' },
                        `:123456789012:parameter/stackplan/${'a'.repeat(32)}/ecs/secrets/${s}`,
                      ],
                    ],
                  })),
                },
              ],
            },
          },
        },
        ServicesApiTaskABCD1234: {
          Type: 'AWS::ECS::TaskDefinition',
          Properties: { ContainerDefinitions: [{ Environment: [{ Name: 'X', Value: 'x'.repeat(70_000) }] }] },
        },
      },
    };
    const found = deployLimitFindings(template, { region: 'us-east-1', services: ['api', 'ap'], stack: 's' });
    expect(found.map((f) => `${f.resource} ${f.field} ${f.max}`)).toEqual([
      `ServicesApiExecutionPolicyABCD1234 services.api.secrets ${DEPLOY_LIMITS.managedPolicyChars}`,
      `ServicesApiTaskABCD1234 services.api.env ${DEPLOY_LIMITS.taskDefinitionBytes}`,
    ]);
    expect(deployLimitFindings({ Resources: {} }, { region: 'us-east-1', services: [], stack: 's' })).toEqual(
      [],
    );
  });

  it('make plan exit 1 naming services.api.secrets at its line, with nothing written', async () => {
    const file = path.join(tmp, 'stackplan.yaml');
    writeFileSync(file, MANIFEST);
    const out = path.join(tmp, 'out');
    const io = memoryIo();
    const code = await main(['plan', file, '--out', out], io);
    const text = io.text();
    expect(code, text).toBe(1);
    expect(text).toMatch(
      /stackplan\.yaml:11:\d+: error \[deploy-limit\] services\.api\.secrets: makes the ecs stack's IAM managed policy document/,
    );
    expect(text).toContain('expected at most 6,144 characters');
    expect(text).not.toMatch(/internal error/);
    expect(existsSync(out)).toBe(false);
  });
});
