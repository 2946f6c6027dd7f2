/** What a rehearsal stands in for AWS with, before any process starts (no system tools needed). */
import { describe, expect, it } from 'vitest';
import { leanPlanOf } from '../../src/model/lean.js';
import { rehearsalStack } from '../../src/rehearse/environment.js';
import { serviceEnvironment } from '../../src/render/host/compose.js';
import { planYaml } from '../host/helpers.js';

describe('the rehearsal stack env', () => {
  const plan = planYaml(`
name: shop
domain: shop.example.com
alarmEmail: ops@example.com
services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, rehearse: {command: 'true'}}
buckets:
  uploads: {}
  model-files: {versioned: false}
`);
  const host = leanPlanOf(plan)!;
  const stack = rehearsalStack(plan, host);

  it('serves every app bucket from s3rver under the variable user data would write', () => {
    expect([...stack.appBuckets].sort()).toEqual([
      ['BUCKET_MODEL_FILES', 'shop-model-files-rehearsal'],
      ['BUCKET_UPLOADS', 'shop-uploads-rehearsal'],
    ]);
    expect(stack.stackEnv).toMatchObject({
      BUCKET_UPLOADS: 'shop-uploads-rehearsal',
      BUCKET_MODEL_FILES: 'shop-model-files-rehearsal',
      BACKUP_BUCKET: 'shop-backups-rehearsal',
    });
  });

  it('gives the service the same variables compose does', () => {
    const api = host.services.find((s) => s.service.name === 'api')!;
    const keys = serviceEnvironment(host, api).flatMap((e) => (e.value.kind === 'key' ? [e.value.key] : []));
    for (const [name] of stack.appBuckets) expect(keys).toContain(name);
  });
});
