/** The backup schedule the RPO asks for: the longest systemd timer interval within it. */
import type { BackupPlan } from '../../../model/lean.js';

/**
 * Backups are locked with S3 Object Lock in GOVERNANCE mode, not COMPLIANCE. The threat is a
 * compromised host: its role holds no s3:BypassGovernanceRetention (and the bucket policy denies
 * it to the role explicitly), so for the host both modes are equally immutable. COMPLIANCE would
 * also bind the account's administrators: a retention typed wrong (3650 days), a database that
 * must be erased on a legal request, or a bucket to close cannot be fixed by anyone, root included,
 * until every lock runs out, while its storage keeps being billed. GOVERNANCE keeps that escape to
 * an administrator who deliberately bypasses the lock.
 */
export const BACKUP_LOCK_MODE = 'GOVERNANCE' as const;

export function backupSchedule(rpoHours: number, retentionDays: number): BackupPlan {
  const intervals = [1, 2, 3, 4, 6, 8, 12, 24];
  const interval = [...intervals].reverse().find((h) => h <= rpoHours) ?? 1;
  const onCalendar =
    interval === 24 ? '*-*-* 02:00:00' : interval === 1 ? '*-*-* *:00:00' : `*-*-* 00/${interval}:00:00`;
  return {
    onCalendar,
    intervalHours: interval,
    achievedRpoHours: interval,
    retentionDays,
    lockMode: BACKUP_LOCK_MODE,
    prefix: 'backups/',
    alarmAfterHours: interval + 1,
  };
}
