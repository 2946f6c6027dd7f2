/**
 * The cdk-nag packs on included templates: the speed-ups (running a rule only on the types it
 * names, dehydrating resources no rule reads, worker threads) must change no finding.
 */
import { describe, expect, it } from 'vitest';
import { typesOfRule } from '../../src/check/packs/nag.js';
import type { CheckReport } from '../../src/check/types.js';
import { check } from './helpers.js';

const key = (r: CheckReport) =>
  r.findings
    .map(
      (f) =>
        `${f.ruleId}|${f.location.logicalId}|${f.location.line}|${f.detail ?? ''}|${f.severity}|${f.message}`,
    )
    .sort();

const TEMPLATES = [
  'test/fixtures/check/corpus/seeds/seed-001-eks.yaml',
  'test/fixtures/check/corpus/seeds/seed-003-support-analytics.yaml',
  'test/fixtures/check/corpus/public/aws-cloudformation-templates/EKS/template.yaml',
  'test/fixtures/check/corpus/public/aws-cloudformation-templates/Solutions/WebApp/webapp.yaml',
  'test/golden/templates/support-analytics.ecs.json',
];

describe('cdk-nag packs', () => {
  for (const t of TEMPLATES) {
    it(`${t}: the same findings with and without the type filter, in threads or not`, async () => {
      const packs = 'aws-solutions,nist-800-53-r5,hipaa,pci-dss-321';
      const plain = await check(t, packs, { input: t, nagPrefilter: false, nagWorkers: false });
      const fast = await check(t, packs, { input: t, nagWorkers: false });
      expect(key(fast)).toEqual(key(plain));
      expect(plain.findings.length).toBeGreaterThan(0);
      if (t.endsWith('.json')) {
        const threads = await check(t, packs, { input: t, nagWorkers: true });
        expect(key(threads)).toEqual(key(plain));
      }
    }, 300_000);
  }

  it('reads the types a rule applies to from its code', async () => {
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const { rules } = require('cdk-nag') as { rules: Record<string, Record<string, object>> };
    expect(typesOfRule(rules.s3!.S3BucketSSLRequestsOnly!)).toEqual(
      new Set(['AWS::S3::Bucket', 'AWS::S3::BucketPolicy']),
    );
    expect(typesOfRule(rules.eks!.EKSClusterNoEndpointPublicAccess!)).toEqual(
      new Set(['AWS::EKS::Cluster', 'Custom::AWSCDK-EKS-Cluster']),
    );
  });
});
