import type { CheckReport } from '../types.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';

export const CHECK_FORMATS = ['table', 'json', 'sarif'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export function renderCheckReport(report: CheckReport, format: CheckFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'sarif':
      return renderSarif(report);
    default:
      return renderTable(report);
  }
}
