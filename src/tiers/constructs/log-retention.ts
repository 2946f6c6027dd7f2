/**
 * Log retention: the manifest's `logs.retentionDays` for every CloudWatch log group of a stack —
 * the ones this project writes (which read it here) and the ones aws-cdk-lib makes for its
 * custom-resource functions (whose own default is two years), which an aspect sets. The same
 * aspect acknowledges Control Tower's one-year minimum (CT.CLOUDWATCH.PR.2) on each log group
 * kept shorter, with the manifest setting and its trade-off as the reason.
 */
import { Aspects, type IAspect } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { DEFAULT_LOG_RETENTION_DAYS, type LogRetentionDays } from '../../manifest/schema.js';
import { usd } from '../../price/estimates.js';
import { acknowledge } from '../nag.js';
import { priceQuotesOf } from './quotes.js';

const CONTEXT_KEY = 'stackplan:log-retention-days';

/** Control Tower's CT.CLOUDWATCH.PR.2 asks for at least a year. */
export const CONTROL_TOWER_MIN_RETENTION_DAYS = 365;

/** Why a log group kept `days` days is accepted under CT.CLOUDWATCH.PR.2. */
export function shortRetentionReason(scope: IConstruct, days: number): string {
  const gbMonth = priceQuotesOf(scope).logsGbMonth;
  return (
    `kept ${days} days, the manifest's logs.retentionDays${days === DEFAULT_LOG_RETENTION_DAYS ? ' (default)' : ''}: ` +
    `CloudWatch bills every GB kept${gbMonth !== undefined ? ` (${usd(gbMonth)} per GB-month)` : ' per GB-month'}, ` +
    `and ${days} days is how far back an incident can be investigated; set logs.retentionDays to ` +
    `${CONTROL_TOWER_MIN_RETENTION_DAYS} or more where a year of logs is required`
  );
}

class LogRetention implements IAspect {
  constructor(private readonly days: LogRetentionDays) {}
  visit(node: IConstruct): void {
    if (!(node instanceof logs.CfnLogGroup)) return;
    node.retentionInDays = this.days;
    if (this.days < CONTROL_TOWER_MIN_RETENTION_DAYS) {
      acknowledge(node, 'CT.CLOUDWATCH.PR.2', shortRetentionReason(node, this.days));
    }
  }
}

/**
 * Makes `days` the retention of every log group under `stack`. Call first thing in the stack's
 * constructor (after setPriceQuotes), before children are added.
 */
export function setLogRetention(stack: IConstruct, days: LogRetentionDays): void {
  stack.node.setContext(CONTEXT_KEY, days);
  Aspects.of(stack).add(new LogRetention(days));
}

/** The retention a log group under `scope` gets. */
export function logRetentionOf(scope: IConstruct): logs.RetentionDays {
  return ((scope.node.tryGetContext(CONTEXT_KEY) as LogRetentionDays | undefined) ??
    DEFAULT_LOG_RETENTION_DAYS) as logs.RetentionDays;
}
