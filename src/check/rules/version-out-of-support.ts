/**
 * SP-version-out-of-support: an engine version past the end of its standard support on the day
 * of checking (`--as-of`). Seed 001 runs EKS 1.28 and PostgreSQL 13.
 */
import type { Rule } from './context.js';
import { daysBetween, sourceNote, VERSION_REFERENCES, VERSION_TYPES, versionFacts } from './versions.js';

export const rule: Rule = {
  info: {
    id: 'SP-version-out-of-support',
    pack: 'stackplan',
    title: 'Engine version out of standard support',
    severity: 'error',
    category: 'reliability',
    securitySeverity: 6.0,
    resourceTypes: VERSION_TYPES,
    what: "An RDS for PostgreSQL or MySQL, ElastiCache for Redis OSS, OpenSearch Service (OpenSearch or Elasticsearch) or EKS version whose standard support ended before the day of checking, by the dated calendars in the price book (scripts/price-data/support-calendars.yaml and the EKS calendar). A version older than every version of its calendar counts as ended on the calendar's earliest date.",
    why: 'Past standard support AWS either bills extended support (RDS: per vCPU-hour; EKS: a cluster-hour rate several times the standard one, both in the price book) or upgrades the engine in a maintenance window of its choosing; security fixes stop or cost extra, and a major upgrade forced on a deadline is the riskiest kind.',
    fix: 'Upgrade to a version in standard support (test the major upgrade on a snapshot or blue/green deployment first) and set EngineVersion / Version to it.',
    references: VERSION_REFERENCES,
  },
  check(ctx) {
    for (const f of versionFacts(ctx)) {
      const days = daysBetween(f.ends, ctx.asOf);
      if (days <= 0) continue;
      ctx.report({
        logicalId: f.logicalId,
        path: f.path,
        detail: f.version,
        message: `${f.what} left standard support ${f.olderThan ? `no later than ${f.ends} (it is older than ${f.olderThan}, the oldest version in the calendar)` : `on ${f.ends}`}, ${days} days before ${ctx.asOf}${sourceNote(f)}: upgrade to a supported version`,
      });
    }
  },
};
