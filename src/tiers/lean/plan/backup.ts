/** The backup schedule the RPO asks for: the longest systemd timer interval within it. */
import type { BackupPlan } from '../../../model/lean.js';

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
    prefix: 'backups/',
    alarmAfterHours: interval + 1,
  };
}
