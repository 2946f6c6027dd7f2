/**
 * stackplan-restore: the latest complete backup (or a given key) → checksums verified → restored
 * into a scratch database → row counts and checksums compared with those taken in the dump's own
 * snapshot → swapped in place of the live database (the old one is kept, renamed). --dry-run stops
 * after the verification.
 */
import type { Plan } from '../../../model/plan.js';
import { shellQuote } from '../../escape.js';
import { leanOf } from '../settings.js';
import { scriptHeader } from './common.js';

export function renderRestore(plan: Plan): string {
  const lean = leanOf(plan);
  const prefix = lean.backup.prefix;
  const redisNote = lean.redis?.persistence
    ? `
if [[ -f "$dir/redis.rdb" ]]; then
  log "this backup also holds redis.rdb; to restore Redis: stop the redis container, copy it to"
  log "$STACKPLAN_DATA/redis/dump.rdb (and move appendonlydir aside), then start the container"
fi
`
    : '';
  return `${scriptHeader('stackplan-restore', [
    `restore PostgreSQL database ${lean.postgres?.database ?? ''} from s3://$BACKUP_BUCKET/${prefix}`,
    'Usage: stackplan-restore [--dry-run] [--keep-scratch] [--key KEY]',
    `  --key KEY       restore ${prefix}<UTC time>/ (default: the newest complete backup)`,
    '  --dry-run       restore into a scratch database and verify it; leave the live database alone',
    '  --keep-scratch  with --dry-run, keep the scratch database (its name is printed last)',
  ])}
prefix=${shellQuote(prefix)}
dry_run=0
keep_scratch=0
key=""
while [[ $# -gt 0 ]]; do
  case "$1" in
  --dry-run) dry_run=1 ;;
  --keep-scratch) keep_scratch=1 ;;
  --key)
    [[ $# -ge 2 ]] || die "--key needs a value such as \${prefix}20260101T020000Z"
    key="\${2%/}"
    shift
    ;;
  -h | --help)
    sed -n '2,7p' "$0"
    exit 0
    ;;
  *) die "unknown argument $1 (see --help)" ;;
  esac
  shift
done

require_vars AWS_REGION BACKUP_BUCKET
pg_env
umask 077
mkdir -p "$STACKPLAN_BACKUP_DIR"
exec 9>"$STACKPLAN_BACKUP_DIR/.lock"
flock --nonblock 9 || die "another backup or restore holds $STACKPLAN_BACKUP_DIR/.lock"

if [[ -z "$key" ]]; then
  # Backups sort by their UTC time; a backup is complete once its SHA256SUMS is uploaded.
  while IFS= read -r candidate; do
    if aws_cli s3 ls "s3://$BACKUP_BUCKET/$prefix$candidate/SHA256SUMS" >/dev/null 2>&1; then
      key="$prefix$candidate"
      break
    fi
  done < <(aws_cli s3 ls "s3://$BACKUP_BUCKET/$prefix" | awk '$1 == "PRE" { sub("/$", "", $2); print $2 }' | sort -r)
  [[ -n "$key" ]] || die "no complete backup under s3://$BACKUP_BUCKET/$prefix"
fi
stamp="\${key##*/}"
[[ "$stamp" =~ ^[0-9]{8}T[0-9]{6}Z$ ]] || die "not a backup key: $key"

dir="$STACKPLAN_BACKUP_DIR/restore-$stamp"
rm -rf -- "$dir"
mkdir -p "$dir"
log "downloading s3://$BACKUP_BUCKET/$key/"
aws_cli s3 cp --only-show-errors --recursive "s3://$BACKUP_BUCKET/$key/" "$dir/"
[[ -f "$dir/SHA256SUMS" ]] || die "$key has no SHA256SUMS: incomplete backup"
(cd "$dir" && sha256sum --check --strict --quiet SHA256SUMS) || die "checksums of $key do not match"

live="$PGDATABASE"
scratch="\${live}_restore_\${stamp//[!0-9]/}"
psql_admin() {
  psql -X -q -A -t -v ON_ERROR_STOP=1 --dbname=postgres "$@"
}
psql_admin -c "DROP DATABASE IF EXISTS \\"$scratch\\""
psql_admin -c "CREATE DATABASE \\"$scratch\\" TEMPLATE template0"
log "restoring $key into scratch database $scratch"
pg_restore --dbname="$scratch" --no-owner --exit-on-error --jobs=2 "$dir/postgres.dump"

table_stats "$scratch" >"$dir/restored-tables.txt"
if ! diff -u "$dir/tables.txt" "$dir/restored-tables.txt" >"$dir/verify.diff"; then
  cat "$dir/verify.diff" >&2
  [[ $keep_scratch -eq 1 ]] || psql_admin -c "DROP DATABASE IF EXISTS \\"$scratch\\""
  die "the restored database differs from the backup (row counts or checksums)"
fi
log "verified: $(wc -l <"$dir/tables.txt") tables, row counts and checksums equal to the backup's snapshot"
${redisNote}
if [[ $dry_run -eq 1 ]]; then
  if [[ $keep_scratch -eq 1 ]]; then
    log "dry run: the live database is untouched; scratch database kept"
    printf '%s\\n' "$scratch"
  else
    psql_admin -c "DROP DATABASE \\"$scratch\\""
    log "dry run: the live database is untouched; scratch database dropped"
  fi
  exit 0
fi

# Swap: no new connections to the live database, end the existing ones, rename both databases.
previous="\${live}_before_\${stamp//[!0-9]/}"
log "swapping $scratch in place of $live (the current database is kept as $previous)"
psql_admin -c "ALTER DATABASE \\"$live\\" ALLOW_CONNECTIONS false"
swapped=0
for _ in 1 2 3 4 5 6 7 8 9 10; do
  psql_admin -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$live' AND pid <> pg_backend_pid()" >/dev/null
  if psql_admin -c "ALTER DATABASE \\"$live\\" RENAME TO \\"$previous\\"" 2>/dev/null; then
    swapped=1
    break
  fi
  sleep 0.5
done
if [[ $swapped -ne 1 ]]; then
  psql_admin -c "ALTER DATABASE \\"$live\\" ALLOW_CONNECTIONS true"
  die "sessions kept reconnecting to $live; nothing was changed"
fi
psql_admin -c "ALTER DATABASE \\"$scratch\\" RENAME TO \\"$live\\""
psql_admin -c "ALTER DATABASE \\"$previous\\" ALLOW_CONNECTIONS true"
log "restored $key into $live; the app reconnects by itself"
log "once satisfied: psql -d postgres -c 'DROP DATABASE \\"$previous\\"'"
printf '%s\\n' "$live"
`;
}
