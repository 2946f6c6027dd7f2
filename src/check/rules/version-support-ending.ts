/**
 * SP-version-support-ending: an engine version whose standard support ends within 60 days of the
 * day of checking.
 */
import type { Rule } from './context.js';
import { daysBetween, sourceNote, VERSION_REFERENCES, VERSION_TYPES, versionFacts } from './versions.js';

export const WARNING_DAYS = 60;

export const rule: Rule = {
  info: {
    id: 'SP-version-support-ending',
    pack: 'stackplan',
    title: `Engine version leaves standard support within ${WARNING_DAYS} days`,
    severity: 'warning',
    category: 'reliability',
    securitySeverity: 4.0,
    resourceTypes: VERSION_TYPES,
    what: `An RDS for PostgreSQL or MySQL, ElastiCache for Redis OSS, OpenSearch Service or EKS version whose standard support ends on the day of checking or within the next ${WARNING_DAYS} days, by the same calendars as SP-version-out-of-support.`,
    why: 'A major-version upgrade needs testing and a maintenance window; two months is the least notice to plan one before extended-support charges or forced upgrades begin.',
    fix: 'Plan and test the upgrade now, then set EngineVersion / Version to a version in standard support.',
    references: VERSION_REFERENCES,
  },
  check(ctx) {
    for (const f of versionFacts(ctx)) {
      if (f.olderThan) continue;
      const left = daysBetween(ctx.asOf, f.ends);
      if (left < 0 || left > WARNING_DAYS) continue;
      ctx.report({
        logicalId: f.logicalId,
        path: f.path,
        detail: f.version,
        message: `${f.what} leaves standard support on ${f.ends}, ${left === 0 ? 'today' : `in ${left} days`}${sourceNote(f)}: plan the upgrade`,
      });
    }
  },
};
