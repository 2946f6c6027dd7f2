/**
 * stackplan-backup: pg_dump (custom format) inside an exported snapshot, with the row counts and
 * checksums of that same snapshot, a Redis snapshot when Redis persists, SHA-256 sums, an upload
 * under a dated key, and the BackupSuccess / BackupSizeBytes metrics. Any failure exits non-zero
 * and publishes BackupSuccess 0; retention is the bucket's lifecycle rule, not this script.
 */
import type { Plan } from '../../../model/plan.js';
import { shellQuote } from '../../escape.js';
import { leanOf } from '../settings.js';
import { scriptHeader } from './common.js';

export function renderBackup(plan: Plan): string {
  const lean = leanOf(plan);
  const m = lean.metrics;
  const redisCopy = lean.redis?.persistence
    ? `
log "copying a Redis snapshot from $STACKPLAN_REDIS_HOST:$STACKPLAN_REDIS_PORT"
if [[ -z "\${REDISCLI_AUTH:-}" ]]; then
  REDISCLI_AUTH="$(secret_value redis REDIS_PASSWORD)"
  export REDISCLI_AUTH
fi
redis_cli -h "$STACKPLAN_REDIS_HOST" -p "$STACKPLAN_REDIS_PORT" --rdb "$work/redis.rdb" >/dev/null
[[ -s "$work/redis.rdb" ]] || die "the Redis snapshot is empty"
`
    : '';
  return `${scriptHeader('stackplan-backup', [
    `back up ${lean.postgres ? `PostgreSQL database ${lean.postgres.database}` : 'the app'}${lean.redis?.persistence ? ' and the Redis snapshot' : ''} to s3://$BACKUP_BUCKET/${lean.backup.prefix}<UTC time>/`,
    `Run by stackplan-backup.timer (${lean.backup.onCalendar} UTC). Publishes ${m.backupSuccess} and ${m.backupSizeBytes}`,
    `to ${m.namespace}. Keeps the last two backups on the data volume; the bucket's lifecycle rule handles retention.`,
  ])}
require_vars AWS_REGION BACKUP_BUCKET
pg_env
umask 077
mkdir -p "$STACKPLAN_BACKUP_DIR"
exec 9>"$STACKPLAN_BACKUP_DIR/.lock"
flock --nonblock 9 || die "another backup or restore holds $STACKPLAN_BACKUP_DIR/.lock"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
work="$STACKPLAN_BACKUP_DIR/$stamp"
key=${shellQuote(lean.backup.prefix)}"$stamp"

on_exit() {
  local status=$?
  if [[ $status -ne 0 ]]; then
    log "backup failed (exit $status); $work is kept for inspection"
    put_metric ${shellQuote(m.backupSuccess)} 0 Count || log ${shellQuote(`could not publish ${m.backupSuccess} 0`)}
  fi
}
trap on_exit EXIT

mkdir -p "$work"

# One REPEATABLE READ transaction exports its snapshot: pg_dump and the table statistics both read
# exactly that snapshot, so the restore can be verified row for row while the app keeps writing.
log "dumping $PGDATABASE from $PGHOST:$PGPORT"
coproc PSQL { psql -X -q -A -t -v ON_ERROR_STOP=1 2>&1; }
snapshot_pid="$PSQL_PID"
printf 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\\nSELECT pg_export_snapshot();\\n' >&"\${PSQL[1]}"
IFS= read -r -t 60 snapshot <&"\${PSQL[0]}" || die "could not open a snapshot on $PGHOST:$PGPORT"
[[ "$snapshot" =~ ^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$ ]] || die "could not open a snapshot: $snapshot"
pg_dump --format=custom --compress=6 --snapshot="$snapshot" --file="$work/postgres.dump"
cat "$STACKPLAN_LIB/table-stats.sql" >&"\${PSQL[1]}"
printf '%s\\n' "SELECT '--end--';" 'COMMIT;' '\\q' >&"\${PSQL[1]}"
: >"$work/tables.txt"
while IFS= read -r -t 600 line <&"\${PSQL[0]}"; do
  [[ "$line" == "--end--" ]] && break
  [[ "$line" =~ ^[^|]+\\|[0-9]+\\|[0-9]+$ ]] || die "table statistics failed: $line"
  printf '%s\\n' "$line" >>"$work/tables.txt"
done
wait "$snapshot_pid" || die "psql failed while taking table statistics"

[[ -s "$work/postgres.dump" ]] || die "pg_dump wrote an empty file"
pg_restore --list "$work/postgres.dump" >/dev/null || die "the dump cannot be read back"
${redisCopy}
(cd "$work" && sha256sum -- * >SHA256SUMS)
size="$(du -cb "$work" | tail -n 1 | cut -f 1)"

# SHA256SUMS goes last: a backup without it is incomplete and the restore skips it.
aws_cli s3 cp --only-show-errors --recursive --exclude SHA256SUMS "$work/" "s3://$BACKUP_BUCKET/$key/"
aws_cli s3 cp --only-show-errors "$work/SHA256SUMS" "s3://$BACKUP_BUCKET/$key/SHA256SUMS"
log "uploaded s3://$BACKUP_BUCKET/$key/ ($size bytes, $(wc -l <"$work/tables.txt") tables)"

aws_cli cloudwatch put-metric-data --namespace "$STACKPLAN_METRICS_NAMESPACE" --metric-data \
  ${shellQuote(`MetricName=${m.backupSuccess},Value=1,Unit=Count`)} ${shellQuote(`MetricName=${m.backupSizeBytes},Value=`)}"$size"${shellQuote(',Unit=Bytes')}

# Keep the two newest local copies (the data volume holds room for two).
find "$STACKPLAN_BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*T[0-9]*Z' -printf '%f\\n' |
  sort -r | tail -n +3 | while IFS= read -r old; do
  rm -rf -- "\${STACKPLAN_BACKUP_DIR:?}/$old"
done
printf '%s\\n' "$key"
`;
}
