/**
 * Which Kubernetes version a new cluster runs: the newest one still in EKS standard support on the
 * planning date, from the dated support calendar in the price book (rule `eksStandardSupportEnds`,
 * built from scripts/price-data/supplement-us-east-1.yaml with its source and date).
 */

import { usd } from '../../../price/estimates.js';
import type { EksKubernetes } from './types.js';

/** Kubernetes version → last day of EKS standard support, as the price book carries it. */
export interface SupportCalendar {
  ends: Record<string, string>;
  src: string;
}

/** Warn when standard support ends within this many days of planning. */
export const SUPPORT_WARNING_DAYS = 60;

export class NoSupportedVersion extends Error {}

const DAY_MS = 86_400_000;

function days(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

function compareVersions(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am! - bm! || an! - bn!;
}

/** The control plane's hourly price in standard and extended support, from the price book. */
export interface ControlPlaneRates {
  standardHour?: number;
  extendedHour?: number;
}

/** "$0.60/h instead of $0.10/h", or words when the book has no price for the region. */
export function extendedCost(rates: ControlPlaneRates): string {
  return rates.extendedHour !== undefined && rates.standardHour !== undefined
    ? `${usd(rates.extendedHour)}/h instead of ${usd(rates.standardHour)}/h`
    : 'the extended-support rate instead of the standard one';
}

/**
 * The newest version whose standard support has not ended on `today` (YYYY-MM-DD). Standard support
 * ends at the start of its last day (UTC), as EKS bills it, so a version whose end is today is out.
 */
export function chooseKubernetesVersion(
  calendar: SupportCalendar,
  today: string,
  rates: ControlPlaneRates = {},
): EksKubernetes {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`planning date ${today} is not YYYY-MM-DD`);
  const inSupport = Object.entries(calendar.ends)
    .filter(([, ends]) => ends > today)
    .sort(([a], [b]) => compareVersions(b, a));
  const newest = inSupport[0];
  if (!newest) {
    const last = Object.entries(calendar.ends).sort(([a], [b]) => compareVersions(b, a))[0];
    throw new NoSupportedVersion(
      `no Kubernetes version in the price book's EKS calendar is in standard support on ${today}${last ? ` (the newest, ${last[0]}, ended ${last[1]})` : ''}: add the newer versions' dates to scripts/price-data/supplement-us-east-1.yaml and run the importer, or stackplan prices refresh`,
    );
  }
  const [version, ends] = newest;
  const left = days(today, ends);
  const k: EksKubernetes = {
    version,
    standardSupportEnds: ends,
    plannedOn: today,
    daysOfStandardSupportLeft: left,
    upgradePolicy: 'EXTENDED',
    calendarSource: calendar.src,
  };
  if (left <= SUPPORT_WARNING_DAYS) {
    k.warning = `Kubernetes ${version} leaves EKS standard support on ${ends}, ${left} day${left === 1 ? '' : 's'} after planning: upgrade the cluster before then or the control plane costs ${extendedCost(rates)} (extended support); plan again once a newer version is in the calendar`;
  }
  return k;
}
