/** SP-cost-log-retention: a log group without retention keeps (and bills) every byte forever. */
import type { Rule } from './context.js';
import { unitPrice } from './cost.js';

export const rule: Rule = {
  info: {
    id: 'SP-cost-log-retention',
    pack: 'stackplan',
    title: 'Log group keeps logs forever',
    severity: 'note',
    category: 'cost',
    resourceTypes: ['AWS::Logs::LogGroup'],
    what: 'An AWS::Logs::LogGroup without RetentionInDays (CloudWatch Logs then never expires events).',
    why: 'Stored logs bill per GB-month and never shrink without retention: the line grows every month by whatever the app logged, and old logs are rarely read (keep audit logs in S3 with a lifecycle rule instead).',
    fix: 'Set RetentionInDays (CDK: retention: RetentionDays.ONE_MONTH, or what your compliance asks); for Lambda functions, give them a log group with retention instead of the implicit one.',
    references: [
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention',
      'https://aws.amazon.com/cloudwatch/pricing/',
    ],
  },
  check(ctx) {
    const stored = unitPrice(ctx, 'cloudwatch', 'logs_stored_gb_month');
    for (const [id, r] of ctx.resources('AWS::Logs::LogGroup')) {
      if (ctx.props(r).RetentionInDays !== undefined) continue;
      ctx.report({
        logicalId: id,
        path: ['Properties'],
        monthlyImpactUsd: null,
        message: `log group has no RetentionInDays, so it keeps every event forever${stored ? `: storage grows by $${stored.usd} per GB-month for every GB ever logged (price book: ${stored.cite})` : ''}; set a retention`,
      });
    }
  },
};
