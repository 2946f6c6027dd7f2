import type { Loc } from '../compose/located.js';

/**
 * One line of the init report. `converted`: a compose service or setting became part of the
 * manifest. `ignored`: dropped, with why. `attention`: converted or dropped, but the user must
 * check or do something before deploying. `fatal`: the service cannot run on any tier; nothing is
 * written.
 */
export interface ReportItem {
  kind: 'converted' | 'ignored' | 'attention' | 'fatal';
  /** The compose service it is about, if any. */
  service?: string;
  /** The compose key it is about, if any (aggregates ignored keys across services). */
  key?: string;
  loc?: Loc;
  message: string;
  fix?: string;
}

export interface InitOptions {
  name?: string;
  domain?: string;
  alarmEmail?: string;
  region?: string;
  availability?: 'single-instance' | 'multi-az' | 'multi-az-ha';
  rpoHours?: number;
}

/** The mapped manifest: plain data, the comment for each manifest path, and the report. */
export interface Mapping {
  manifest: Record<string, unknown>;
  /** Manifest path (e.g. `services.web.port`) → comment. */
  comments: Map<string, string>;
  header: string[];
  report: ReportItem[];
}
