/**
 * The shell library every host script sources, and the SQL both backup and restore use to take
 * row counts and checksums. Settings resolve in one order everywhere: the environment, then
 * STACK_ENV_FILE (deploy-time values written by user data), then the plan's defaults below.
 */
import type { Plan } from '../../../model/plan.js';
import { commentText, shellQuote } from '../../escape.js';
import type { HostFile } from '../contract.js';
import { HOST_PATHS, scriptSettings } from '../settings.js';

export const COMMON_SH = `${HOST_PATHS.lib}/common.sh`;
export const TABLE_STATS_SQL = `${HOST_PATHS.lib}/table-stats.sql`;

/** The first lines of every stackplan script: strict mode, then the library. */
export function scriptHeader(name: string, purpose: string[]): string {
  return [
    '#!/usr/bin/env bash',
    `# ${commentText(`${name}: ${purpose[0]}`)}`,
    ...purpose.slice(1).map((l) => `# ${commentText(l)}`),
    '# Rendered by stackplan from the plan; do not edit. Settings: see common.sh.',
    'set -euo pipefail',
    '# shellcheck source=/dev/null',
    `source "\${STACKPLAN_LIB:-${HOST_PATHS.lib}}/common.sh"`, // a constant path, never a manifest value
    '',
  ].join('\n');
}

function defaults(plan: Plan): string {
  return scriptSettings(plan)
    .filter((s) => s.name !== 'STACK_ENV_FILE' && s.name !== 'PGPASSWORD')
    .map((s) => `default_setting ${s.name} ${shellQuote(s.value)}  # ${commentText(s.what)}`)
    .join('\n');
}

export function renderCommon(plan: Plan): string {
  return `#!/usr/bin/env bash
# stackplan shell library, sourced by every stackplan script (not run on its own).
# Rendered by stackplan from the plan; do not edit.
#
# Settings resolve in this order: the environment, then STACK_ENV_FILE (KEY=value lines written by
# user data at every boot), then the defaults below. \`stackplan rehearse\` runs these same scripts
# with only paths, ports and endpoints overridden through the environment.

# load_env_file FILE: exports the KEY=value lines of FILE whose KEY is not set yet. The file is
# read, never executed; one pair of surrounding quotes is removed from a value.
load_env_file() {
  local file="$1" line key value
  [[ -r "$file" ]] || return 0
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key="\${BASH_REMATCH[1]}"
    value="\${BASH_REMATCH[2]}"
    if [[ "$value" =~ ^\\'(.*)\\'$ || "$value" =~ ^\\"(.*)\\"$ ]]; then
      value="\${BASH_REMATCH[1]}"
    fi
    if [[ -z "\${!key+x}" ]]; then
      export "$key=$value"
    fi
  done <"$file"
}

# env_value FILE KEY: prints the value of KEY in FILE (empty when absent).
env_value() {
  local file="$1" want="$2" line value=""
  [[ -r "$file" ]] || return 0
  while IFS= read -r line || [[ -n "$line" ]]; do
    if [[ "$line" =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ && "\${BASH_REMATCH[1]}" == "$want" ]]; then
      value="\${BASH_REMATCH[2]}"
      if [[ "$value" =~ ^\\'(.*)\\'$ || "$value" =~ ^\\"(.*)\\"$ ]]; then
        value="\${BASH_REMATCH[1]}"
      fi
    fi
  done <"$file"
  printf '%s' "$value"
}

# default_setting NAME VALUE: exports NAME, set to VALUE unless it is already set and not empty.
default_setting() {
  if [[ -z "\${!1:-}" ]]; then
    printf -v "$1" '%s' "$2"
  fi
  export "\${1?}"
}

default_setting STACK_ENV_FILE ${shellQuote(HOST_PATHS.stackEnv)}
load_env_file "$STACK_ENV_FILE"

${defaults(plan)}

log() {
  printf '%s %s: %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "\${0##*/}" "$*" >&2
}

die() {
  log "error: $*"
  exit 1
}

# require_vars NAME...: fails unless every NAME is set and not empty.
require_vars() {
  local name
  for name in "$@"; do
    [[ -n "\${!name:-}" ]] || die "$name is not set (expected in $STACK_ENV_FILE or the environment)"
  done
}

# aws_cli SERVICE ARGS...: the AWS CLI with the region and the service's endpoint override.
aws_cli() {
  local service="$1" endpoint=""
  shift
  case "$service" in
  s3 | s3api) endpoint="$STACKPLAN_S3_ENDPOINT" ;;
  ssm) endpoint="$STACKPLAN_SSM_ENDPOINT" ;;
  cloudwatch) endpoint="$STACKPLAN_CLOUDWATCH_ENDPOINT" ;;
  esac
  local -a args=(--region "$AWS_REGION")
  if [[ -n "$endpoint" ]]; then
    args+=(--endpoint-url "$endpoint")
  fi
  "$STACKPLAN_AWS_CLI" "\${args[@]}" "$service" "$@"
}

# put_metric NAME VALUE UNIT: one data point in the app's CloudWatch namespace (no dimensions).
put_metric() {
  aws_cli cloudwatch put-metric-data --namespace "$STACKPLAN_METRICS_NAMESPACE" \\
    --metric-name "$1" --value "$2" --unit "$3"
}

# secret_value CONTAINER NAME: a secret file stackplan-secrets wrote (empty when there is none).
secret_value() {
  local file="$STACKPLAN_SECRETS_DIR/$1/$2"
  if [[ -r "$file" ]]; then
    cat -- "$file"
  fi
}

# pg_env: libpq settings for pg_dump, pg_restore and psql; the password is PostgreSQL's secret file.
pg_env() {
  require_vars PGHOST PGPORT PGUSER PGDATABASE
  if [[ -z "\${PGPASSWORD:-}" ]]; then
    PGPASSWORD="$(secret_value postgres POSTGRES_PASSWORD)"
  fi
  if [[ -n "$PGPASSWORD" ]]; then
    export PGPASSWORD
  else
    unset PGPASSWORD
  fi
  export PGCONNECT_TIMEOUT="\${PGCONNECT_TIMEOUT:-10}"
}

# table_stats DATABASE: "schema.table|rows|checksum" per table, from table-stats.sql.
table_stats() {
  psql -X -q -A -t -v ON_ERROR_STOP=1 --dbname="$1" --file="$STACKPLAN_LIB/table-stats.sql"
}

# redis_cli: the Redis command line tool of this machine.
redis_cli() {
  local cli="$STACKPLAN_REDIS_CLI"
  if [[ -z "$cli" ]]; then
    cli="$(command -v redis-cli || command -v redis6-cli || command -v valkey-cli || true)"
  fi
  [[ -n "$cli" ]] || die "no redis-cli on this machine (install redis6)"
  "$cli" "$@"
}
`;
}

/**
 * Row count and an order-independent checksum of every user table: the sum of the first 60 bits
 * of each row's md5 (memory stays constant on large tables; any changed, added or lost row changes it).
 */
export const TABLE_STATS = `-- Row count and checksum of every user table, one "schema.table|rows|checksum" line each.
-- Rendered by stackplan; used by stackplan-backup (inside the dump's snapshot) and stackplan-restore.
SELECT format('%I.%I', n.nspname, c.relname) AS table_name,
       (xpath('/row/r/text()', s.x))[1]::text AS row_count,
       (xpath('/row/h/text()', s.x))[1]::text AS checksum
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (
  SELECT query_to_xml(format(
    'SELECT count(*) AS r, coalesce(sum((''x'' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0) AS h FROM %I.%I AS t',
    n.nspname, c.relname), false, true, '') AS x
) s
WHERE c.relkind = 'r'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_%'
ORDER BY 1;
`;

export function renderLibFiles(plan: Plan): HostFile[] {
  return [
    { path: COMMON_SH, mode: 0o644, content: renderCommon(plan) },
    { path: TABLE_STATS_SQL, mode: 0o644, content: TABLE_STATS },
  ];
}
