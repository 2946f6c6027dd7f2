/**
 * Prices that acknowledgement reasons quote ("a KMS key would add $1/month"), from the price book
 * through the plan: a stackplan stack sets its plan's quotes on itself first thing, and every
 * construct below reads them here. No price is written in a construct; a construct used outside
 * such a stack says "a monthly charge" instead of a figure.
 */
import type { IConstruct } from 'constructs';
import { type PriceQuotes, usd } from '../../price/estimates.js';

const CONTEXT_KEY = 'stackplan:price-quotes';

/** Makes `quotes` the prices every construct under `scope` quotes. Call before adding children. */
export function setPriceQuotes(scope: IConstruct, quotes: PriceQuotes): void {
  scope.node.setContext(CONTEXT_KEY, quotes);
}

export function priceQuotesOf(scope: IConstruct): PriceQuotes {
  return (scope.node.tryGetContext(CONTEXT_KEY) as PriceQuotes | undefined) ?? {};
}

/** "$1/month", or "a monthly charge" without a price. */
function perMonth(n: number | undefined): string {
  return n === undefined ? 'a monthly charge' : `${usd(n)}/month`;
}

/** What a customer-managed KMS key costs a month. */
export function kmsKeyMonthly(scope: IConstruct): string {
  return perMonth(priceQuotesOf(scope).kmsKeyMonthly);
}

/** What EC2 detailed monitoring of one instance costs a month. */
export function detailedMonitoringMonthly(scope: IConstruct): string {
  return perMonth(priceQuotesOf(scope).detailedMonitoringMonthly);
}

/** What the web ACL stackplan builds costs: a month, and per million requests. */
export function wafCost(scope: IConstruct): string {
  const q = priceQuotesOf(scope);
  return `${q.wafMonthly === undefined ? 'a monthly charge' : `about ${usd(q.wafMonthly)}/month`}${q.wafPerMillion === undefined ? ' plus a charge per request' : ` plus ${usd(q.wafPerMillion)} per million requests`}`;
}

/** What a customer-managed KMS key costs: a month, and per 10,000 requests. */
export function kmsKeyCost(scope: IConstruct): string {
  const q = priceQuotesOf(scope);
  return `${perMonth(q.kmsKeyMonthly)}${q.kmsPer10kRequests === undefined ? ' plus a charge per request' : ` plus ${usd(q.kmsPer10kRequests)} per 10,000 requests`}`;
}

/** What CloudWatch Logs charges per GB ingested. */
export function logsIngestedPerGb(scope: IConstruct): string {
  const n = priceQuotesOf(scope).logsIngestedGb;
  return n === undefined ? 'a charge per GB ingested' : `${usd(n)} per GB ingested`;
}
