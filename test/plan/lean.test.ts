import { describe, expect, it } from 'vitest';
import { leanPlanOf } from '../../src/model/lean.js';
import { assessTiers, planApp, recommend } from '../../src/plan/index.js';
import { backupSchedule, chooseArch, planLean } from '../../src/tiers/lean/plan/index.js';
import { manifestFrom } from '../helpers/assembly.js';
import { FIXTURE_CATALOG } from '../helpers/catalog.js';

const manifest = manifestFrom;

const BASE = `
name: shop
domain: shop.example.com
alarmEmail: ops@example.com
`;

describe('lean instance sizing', () => {
  it('picks the cheapest type whose memory, with 10% headroom, holds every component', () => {
    // GIVEN an API of 256 MiB with PostgreSQL and Redis (cache, 128 MiB maxmemory)
    const m = manifest(`${BASE}
services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, route: /, memory: 256}
postgres: true
redis: true
`);
    const plan = planLean(m, FIXTURE_CATALOG);
    // THEN need = OS 512 + nginx 32 + api 256 + redis 160 (128 × 1.25) + postgres 384 = 1344 MiB
    expect(plan.sizing.reduce((a, l) => a + l.memoryMiB, 0)).toBe(1344);
    // t3a.micro (921 MiB usable) is too small; t3a.small (1843 usable) is the cheapest x86 fit
    expect(plan.instance.type).toBe('t3a.small');
    expect(plan.arch).toBe('x86_64');
    const micro = plan.candidates.find((c) => c.type === 't3a.micro')!;
    expect(micro.fits).toBe(false);
    expect(micro.why).toContain('1344 MiB');
  });

  it('uses Graviton when every image is published for arm64', () => {
    const m = manifest(`${BASE}
services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, route: /, memory: 256, arm64: true}
postgres: true
`);
    expect(chooseArch(m).arch).toBe('arm64');
    expect(planLean(m, FIXTURE_CATALOG).instance.type).toBe('t4g.small');
  });

  it('names each image that keeps it on x86 once, even when services share it', () => {
    const m = manifest(`${BASE}
services:
  api: {kind: api, image: ghcr.io/me/notes:2.1.0, port: 8080, route: /}
  jobs: {kind: worker, image: ghcr.io/me/notes:2.1.0, command: [worker]}
  admin: {kind: api, image: ghcr.io/me/admin:1.0.0, port: 8081, route: /admin/, arm64: true}
`);
    const { arch, why } = chooseArch(m);
    expect(arch).toBe('x86_64');
    expect(why).toMatch(/^ghcr\.io\/me\/notes:2\.1\.0 is not marked arm64/);
    expect(why.match(/notes:2\.1\.0/g)).toHaveLength(1);
  });

  it('moves to a larger type when sustained CPU exceeds the burstable baseline', () => {
    // 2 × 0.3 vCPU + overheads 0.07 = 0.67 vCPU: above t4g.small/medium baseline 0.4, within t4g.large's 0.6? no: 0.6 < 0.67
    const m = manifest(`${BASE}
services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, route: /, memory: 256, cpu: 0.3, replicas: 2, arm64: true}
`);
    const plan = planLean(m, FIXTURE_CATALOG);
    expect(plan.instance.type).toBe('m7g.large');
    expect(plan.candidates.find((c) => c.type === 't4g.large')!.why).toMatch(/0\.67 vCPU sustained/);
  });

  it('sizes the data volume from PostgreSQL storage, Redis and backup staging', () => {
    const m = manifest(`${BASE}
services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, route: /}
postgres: {storageGb: 50}
redis: {memoryMb: 512, persistence: true}
`);
    const plan = planLean(m, FIXTURE_CATALOG);
    // 50 + 1 (2 × 512 MiB) + 2 × ceil(15) = 81 GiB
    expect(plan.volumes.data.sizeGb).toBe(81);
    expect(plan.volumes.root.sizeGb).toBe(20);
  });
});

describe('backup schedule from the RPO', () => {
  it.each([
    [24, 24, '*-*-* 02:00:00'],
    [48, 24, '*-*-* 02:00:00'],
    [6, 6, '*-*-* 00/6:00:00'],
    [5, 4, '*-*-* 00/4:00:00'],
    [1, 1, '*-*-* *:00:00'],
  ])('RPO %s h → every %s h', (rpo, interval, calendar) => {
    const b = backupSchedule(rpo, 7);
    expect(b.intervalHours).toBe(interval);
    expect(b.onCalendar).toBe(calendar);
    expect(b.achievedRpoHours).toBeLessThanOrEqual(rpo);
    expect(b.alarmAfterHours).toBe(interval + 1);
  });
});

describe('tier assessment', () => {
  it('rules lean out for multi-az, sub-hour RPO, search and autoscaling, saying why', () => {
    const m = manifest(`${BASE}
availability: multi-az
backups: {rpoHours: 0.5}
search: true
services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, route: /, replicas: {min: 1, max: 4}}
`);
    const lean = assessTiers(m).find((a) => a.tier === 'lean')!;
    expect(lean.eligible).toBe(false);
    expect(lean.unmet.join('\n')).toMatch(/availability multi-az/);
    expect(lean.unmet.join('\n')).toMatch(/RPO 30 minutes/);
    expect(lean.unmet.join('\n')).toMatch(/search/);
    expect(lean.unmet.join('\n')).toMatch(/autoscaling of api \(1-4\)/);
    expect(recommend(m, assessTiers(m)).tier).toBe('ecs');
  });

  it('recommends the cheapest eligible tier when priced totals are given', () => {
    const m = manifest(`${BASE}
services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, route: /}
`);
    const a = assessTiers(m);
    expect(recommend(m, a).tier).toBe('lean');
    expect(recommend(m, a, { lean: 80, ecs: 60, eks: 150 }).tier).toBe('ecs');
  });

  it('marks lean ineligible instead of failing when nothing fits', () => {
    const m = manifest(`${BASE}
services:
  ml: {kind: ml, image: ghcr.io/acme/ml:1.0.0, port: 5000, route: /, memory: 60000}
`);
    const plan = planApp(m, { catalog: FIXTURE_CATALOG, manifestDir: '/tmp' });
    expect(leanPlanOf(plan)).toBeUndefined();
    expect(plan.assessments.find((x) => x.tier === 'lean')!.unmet.join()).toMatch(/no x86_64 instance/);
    expect(plan.recommended).toBe('ecs');
  });

  it('is deterministic', () => {
    const m = manifest(`${BASE}
services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, route: /}
postgres: true
`);
    const a = JSON.stringify(planApp(m, { catalog: FIXTURE_CATALOG, manifestDir: '/x' }));
    const b = JSON.stringify(planApp(m, { catalog: FIXTURE_CATALOG, manifestDir: '/x' }));
    expect(a).toBe(b);
  });
});
