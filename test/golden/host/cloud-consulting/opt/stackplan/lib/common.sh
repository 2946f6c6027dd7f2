#!/usr/bin/env bash
# stackplan shell library, sourced by every stackplan script (not run on its own).
# Rendered by stackplan from the plan; do not edit.
#
# Settings resolve in this order: the environment, then STACK_ENV_FILE (KEY=value lines written by
# user data at every boot), then the defaults below. `stackplan rehearse` runs these same scripts
# with only paths, ports and endpoints overridden through the environment.

# load_env_file FILE: exports the KEY=value lines of FILE whose KEY is not set yet. The file is
# read, never executed; one pair of surrounding quotes is removed from a value.
load_env_file() {
  local file="$1" line key value
  [[ -r "$file" ]] || return 0
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key="${BASH_REMATCH[1]}"
    value="${BASH_REMATCH[2]}"
    if [[ "$value" =~ ^\'(.*)\'$ || "$value" =~ ^\"(.*)\"$ ]]; then
      value="${BASH_REMATCH[1]}"
    fi
    if [[ -z "${!key+x}" ]]; then
      export "$key=$value"
    fi
  done <"$file"
}

# env_value FILE KEY: prints the value of KEY in FILE (empty when absent).
env_value() {
  local file="$1" want="$2" line value=""
  [[ -r "$file" ]] || return 0
  while IFS= read -r line || [[ -n "$line" ]]; do
    if [[ "$line" =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ && "${BASH_REMATCH[1]}" == "$want" ]]; then
      value="${BASH_REMATCH[2]}"
      if [[ "$value" =~ ^\'(.*)\'$ || "$value" =~ ^\"(.*)\"$ ]]; then
        value="${BASH_REMATCH[1]}"
      fi
    fi
  done <"$file"
  printf '%s' "$value"
}

# default_setting NAME VALUE: exports NAME, set to VALUE unless it is already set and not empty.
default_setting() {
  if [[ -z "${!1:-}" ]]; then
    printf -v "$1" '%s' "$2"
  fi
  export "${1?}"
}

default_setting STACK_ENV_FILE /etc/stackplan/stack.env
load_env_file "$STACK_ENV_FILE"

default_setting STACKPLAN_ENV_FILE /etc/stackplan/app.env  # app env file: image tags and secret digests, no secret
default_setting STACKPLAN_SECRETS_DIR /etc/stackplan/secrets  # secret files, one directory per container, each readable by its user only
default_setting STACKPLAN_SECRETS_CHOWN 1  # give each directory to its container user (rehearse: 0, the files stay the invoking user’s)
default_setting STACKPLAN_RELAY_ENV_FILE /etc/stackplan/relay.env  # per-boot credentials relay token
default_setting STACKPLAN_DATA /srv/cloud-consulting  # mount point of the data volume
default_setting STACKPLAN_DATA_DEVICE /dev/sdf  # block device of the data volume
default_setting STACKPLAN_BACKUP_DIR /srv/cloud-consulting/backups  # local backup staging (data volume)
default_setting STACKPLAN_STATIC_DIR /srv/cloud-consulting/static  # static bundles served by nginx
default_setting STACKPLAN_LIB /opt/stackplan/lib  # shared shell functions and SQL
default_setting STACKPLAN_COMPOSE_FILE /opt/stackplan/docker-compose.yml  # the deployed compose file
default_setting STACKPLAN_AWS_CLI aws  # AWS CLI v2 executable
default_setting STACKPLAN_S3_ENDPOINT ''  # S3 endpoint override (rehearse: s3rver)
default_setting STACKPLAN_SSM_ENDPOINT ''  # SSM endpoint override (rehearse: local fake)
default_setting STACKPLAN_CLOUDWATCH_ENDPOINT ''  # CloudWatch endpoint override (rehearse: local fake)
default_setting PGHOST 127.0.0.1  # PostgreSQL host for backup and restore
default_setting PGPORT 5432  # PostgreSQL port (compose publishes it on loopback)
default_setting PGUSER app  # PostgreSQL user
default_setting PGDATABASE consulting  # the app database
default_setting STACKPLAN_REDIS_HOST 127.0.0.1  # Redis host for the snapshot copy
default_setting STACKPLAN_REDIS_PORT 6379  # Redis port (compose publishes it on loopback)
default_setting STACKPLAN_REDIS_CLI ''  # redis-cli executable (default: first of redis-cli, redis6-cli, valkey-cli)
default_setting STACKPLAN_HEALTH_URL http://127.0.0.1:8061/health  # the primary API's health endpoint
default_setting STACKPLAN_RUNTIME docker  # what stackplan-release starts services with: docker, or an executable taking the same operations (rehearse: processes)
default_setting STACKPLAN_RELEASES_DIR /var/lib/stackplan/releases  # release state (tag and slot serving) and history of each service
default_setting STACKPLAN_RELEASE_TIMEOUT ''  # seconds a new version may take to be healthy, for every service (default: each service's releaseTimeout)
default_setting STACKPLAN_RELEASE_DRAIN_SECONDS 10  # seconds the old version keeps running after nginx switched away from it
default_setting STACKPLAN_NGINX_UPSTREAMS /etc/nginx/stackplan/upstreams  # upstream files stackplan-release rewrites to switch a service
default_setting STACKPLAN_NGINX_CONF /etc/nginx/nginx.conf  # nginx configuration (nginx -t, reload)
default_setting STACKPLAN_NGINX_PREFIX ''  # nginx -p prefix (rehearse: its root)
default_setting STACKPLAN_NGINX_ERROR_LOG ''  # nginx -e error log (rehearse: under its root)
default_setting STACKPLAN_SLOTS_API '8061 8062'  # first loopback port of api's release slots a and b
default_setting STACKPLAN_METRICS_NAMESPACE Stackplan/cloud-consulting  # CloudWatch namespace of the backup and health metrics
default_setting AWS_REGION us-east-1  # region (normally from STACK_ENV_FILE)
default_setting STACKPLAN_APP_POSTGRES_HOST postgres  # PostgreSQL host as the app containers see it
default_setting STACKPLAN_APP_POSTGRES_PORT 5432  # PostgreSQL port as the app containers see it
default_setting STACKPLAN_APP_REDIS_HOST redis  # Redis host as the app containers see it
default_setting STACKPLAN_APP_REDIS_PORT 6379  # Redis port as the app containers see it

log() {
  printf '%s %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${0##*/}" "$*" >&2
}

die() {
  log "error: $*"
  exit 1
}

# require_vars NAME...: fails unless every NAME is set and not empty.
require_vars() {
  local name
  for name in "$@"; do
    [[ -n "${!name:-}" ]] || die "$name is not set (expected in $STACK_ENV_FILE or the environment)"
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
  "$STACKPLAN_AWS_CLI" "${args[@]}" "$service" "$@"
}

# put_metric NAME VALUE UNIT: one data point in the app's CloudWatch namespace (no dimensions).
put_metric() {
  aws_cli cloudwatch put-metric-data --namespace "$STACKPLAN_METRICS_NAMESPACE" \
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
  if [[ -z "${PGPASSWORD:-}" ]]; then
    PGPASSWORD="$(secret_value postgres POSTGRES_PASSWORD)"
  fi
  if [[ -n "$PGPASSWORD" ]]; then
    export PGPASSWORD
  else
    unset PGPASSWORD
  fi
  export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-10}"
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
