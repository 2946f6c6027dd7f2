/**
 * The smaller host scripts: monitor (health → HealthOk), secrets (SSM → the app env file),
 * static bundle sync, deploy, the certificate (first issue and renewal) and certbot's deploy hook.
 */
import type { Plan } from '../../../model/plan.js';
import { shellQuote, shellWords } from '../../escape.js';
import { releaseKey, usesAws } from '../compose.js';
import { NGINX_FILES } from '../nginx.js';
import { binPath, HOST_PATHS, leanOf } from '../settings.js';
import { scriptHeader } from './common.js';

export function renderMonitor(plan: Plan): string {
  const lean = leanOf(plan);
  const m = lean.metrics;
  return `${scriptHeader('stackplan-monitor', [
    `publish ${m.healthOk} (1 when the health endpoint answers 2xx within 5 s, else 0) to ${m.namespace}`,
    'and log disk and memory use. Disk and memory metrics themselves come from the CloudWatch agent',
    `(${m.agentNamespace} ${m.diskUsedPercent} and ${m.memUsedPercent}), so each metric has one source.`,
    'Exits 1 when unhealthy, so the failed run shows in systemctl and the journal.',
  ])}
require_vars AWS_REGION
healthy=0
if [[ -z "$STACKPLAN_HEALTH_URL" ]]; then
  log "no health endpoint (the app has no API with a health path)"
  healthy=1
elif curl --silent --fail --output /dev/null --max-time 5 "$STACKPLAN_HEALTH_URL"; then
  healthy=1
else
  log "unhealthy: $STACKPLAN_HEALTH_URL did not answer 2xx within 5 s"
fi
put_metric ${shellQuote(m.healthOk)} "$healthy" Count

for mount in / "$STACKPLAN_DATA"; do
  if mountpoint --quiet "$mount"; then
    used="$(df --output=pcent "$mount" | tail -n 1 | tr -dc '0-9')"
    if [[ "$used" -ge 85 ]]; then
      log "disk $mount is $used% full"
    fi
  fi
done
mem_total="$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
mem_available="$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)"
mem_used=$(((mem_total - mem_available) * 100 / mem_total))
if [[ "$mem_used" -ge 90 ]]; then
  log "memory is $mem_used% used"
fi
[[ $healthy -eq 1 ]]
`;
}

export function renderSecrets(plan: Plan): string {
  const lean = leanOf(plan);
  const pg = lean.postgres;
  const required: string[] = [];
  if (pg) required.push('POSTGRES_PASSWORD');
  if (lean.redis) required.push('REDIS_PASSWORD');
  const secretNames = [...new Set(lean.services.flatMap((s) => s.service.secrets))].sort();
  required.push(...secretNames);
  const releases = lean.services.filter((s) => s.image.kind === 'ecr').map((s) => s.service.name);
  required.push(...releases.map(releaseKey));
  const needsRelay = lean.services.some(usesAws);
  const derived: string[] = [];
  if (pg) {
    derived.push(
      `pg_user=${shellQuote(pg.user)}`,
      `pg_database=${shellQuote(pg.database)}`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash, GitHub Actions or compose syntax, literally
      'values[DATABASE_URL]="postgres://$(urlencode "$pg_user"):$(urlencode "${values[POSTGRES_PASSWORD]}")@$STACKPLAN_APP_POSTGRES_HOST:$STACKPLAN_APP_POSTGRES_PORT/$(urlencode "$pg_database")"',
    );
  }
  if (lean.redis) {
    derived.push(
      `values[REDIS_URL]="redis://default:$(urlencode "\${values[REDIS_PASSWORD]}")@$STACKPLAN_APP_REDIS_HOST:$STACKPLAN_APP_REDIS_PORT/0"`,
    );
  }
  if (needsRelay) {
    derived.push(
      'values[CREDENTIALS_RELAY_TOKEN]="$(env_value "$STACKPLAN_RELAY_ENV_FILE" RELAY_TOKEN)"',
      `[[ -n "\${values[CREDENTIALS_RELAY_TOKEN]}" ]] || die "no RELAY_TOKEN in $STACKPLAN_RELAY_ENV_FILE (run stackplan-bootstrap)"`,
    );
  }
  return `${scriptHeader('stackplan-secrets', [
    'write the app env file (mode 0600) from SSM Parameter Store: every parameter under $PARAM_PREFIX',
    '  postgres/password → POSTGRES_PASSWORD, redis/password → REDIS_PASSWORD,',
    '  secrets/NAME → NAME, release/SERVICE → RELEASE_SERVICE (the image tag of an ECR-built service),',
    'plus DATABASE_URL and REDIS_URL built from them. Compose interpolates these per service.',
  ])}
require_vars AWS_REGION PARAM_PREFIX
umask 077

# urlencode STRING: percent-encodes everything but unreserved characters (RFC 3986).
urlencode() {
  local s="$1" out="" c i
  for ((i = 0; i < \${#s}; i++)); do
    c="\${s:i:1}"
    case "$c" in
    [A-Za-z0-9._~-]) out+="$c" ;;
    *) out+="$(printf '%%%02X' "'$c")" ;;
    esac
  done
  printf '%s' "$out"
}

declare -A values=()
while IFS=$'\\t' read -r name value; do
  [[ -n "$name" ]] || continue
  rel="\${name#"$PARAM_PREFIX"}"
  case "$rel" in
  postgres/password) values[POSTGRES_PASSWORD]="$value" ;;
  redis/password) values[REDIS_PASSWORD]="$value" ;;
  secrets/*) values["\${rel#secrets/}"]="$value" ;;
  release/*)
    svc="\${rel#release/}"
    svc="\${svc^^}"
    values["RELEASE_\${svc//-/_}"]="$value"
    ;;
  esac
done < <(aws_cli ssm get-parameters-by-path --path "$PARAM_PREFIX" --recursive --with-decryption \\
  --query 'Parameters[].[Name,Value]' --output text)

missing=()
for name in ${shellWords(required)}; do
  [[ -n "\${values[$name]:-}" ]] || missing+=("$name")
done
if [[ \${#missing[@]} -gt 0 ]]; then
  die "missing in SSM under $PARAM_PREFIX: \${missing[*]}"
fi
${derived.join('\n')}

tmp="$(mktemp "$STACKPLAN_ENV_FILE.XXXXXX")"
trap 'rm -f -- "$tmp"' EXIT
chmod 0600 "$tmp"
{
  printf '# Written by stackplan-secrets from SSM %s; do not edit.\\n' "$PARAM_PREFIX"
  for name in $(printf '%s\\n' "\${!values[@]}" | sort); do
    value="\${values[$name]}"
    [[ "$value" != *"'"* && "$value" != *$'\\n'* ]] || die "the value of $name holds a quote or a newline"
    printf "%s='%s'\\n" "$name" "$value"
  done
} >"$tmp"
mv -f -- "$tmp" "$STACKPLAN_ENV_FILE"
trap - EXIT
log "wrote $STACKPLAN_ENV_FILE (\${#values[@]} values)"
`;
}

export function staticServices(plan: Plan): string[] {
  return leanOf(plan)
    .services.filter((s) => s.image.kind === 'none')
    .map((s) => s.service.name);
}

export function renderSyncStatic(plan: Plan): string {
  const services = staticServices(plan);
  return `${scriptHeader('stackplan-sync-static', [
    'install the static bundles CI uploaded to s3://$ARTIFACTS_BUCKET/static/<service>/ into',
    '$STACKPLAN_STATIC_DIR/<service> (a symlink switched atomically; the previous release is kept).',
    `Services: ${services.join(', ') || 'none'}. Usage: stackplan-sync-static [SERVICE...]`,
  ])}
require_vars AWS_REGION ARTIFACTS_BUCKET
umask 022
mkdir -p "$STACKPLAN_STATIC_DIR/.releases"
if [[ $# -eq 0 ]]; then
  set -- ${shellWords(services)}
fi
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
for service in "$@"; do
  release="$STACKPLAN_STATIC_DIR/.releases/$service-$stamp"
  aws_cli s3 sync --only-show-errors --delete "s3://$ARTIFACTS_BUCKET/static/$service/" "$release/"
  if [[ ! -f "$release/index.html" ]]; then
    rm -rf -- "$release"
    die "no index.html under s3://$ARTIFACTS_BUCKET/static/$service/ (CI uploads the built bundle there)"
  fi
  chmod -R a+rX "$release"
  ln -sfn ".releases/$service-$stamp" "$STACKPLAN_STATIC_DIR/.$service.next"
  mv -Tf "$STACKPLAN_STATIC_DIR/.$service.next" "$STACKPLAN_STATIC_DIR/$service"
  find "$STACKPLAN_STATIC_DIR/.releases" -mindepth 1 -maxdepth 1 -type d -name "$service-*" -printf '%f\\n' |
    sort -r | tail -n +3 | while IFS= read -r old; do
    rm -rf -- "\${STACKPLAN_STATIC_DIR:?}/.releases/$old"
  done
  log "$service: installed $(find "$release" -type f | wc -l) files"
done
`;
}

/** `docker compose` with the project, the deployed file and both env files: argv, quoted per format by the caller. */
export function composeArgs(plan: Plan): string[] {
  const lean = leanOf(plan);
  return [
    '/usr/bin/docker',
    'compose',
    '--project-name',
    plan.manifest.name,
    '--file',
    lean.host.composeFile,
    '--env-file',
    HOST_PATHS.stackEnv,
    '--env-file',
    lean.host.envFile,
  ];
}

export function renderDeploy(plan: Plan): string {
  const hasStatic = staticServices(plan).length > 0;
  return `${scriptHeader('stackplan-deploy', [
    'roll out a release: refresh the app env file from SSM (image tags of ECR-built services live at',
    '$PARAM_PREFIX/release/<service>), install the static bundles, pull the images and recreate the',
    'containers that changed. CI runs it through SSM Run Command (AWS-RunShellScript).',
  ])}
"${binPath('secrets')}"
${hasStatic ? `"${binPath('syncStatic')}"` : '# no static services'}
compose=(${shellWords(['docker', ...composeArgs(plan).slice(1)])})
"\${compose[@]}" pull --quiet
"\${compose[@]}" up --detach --remove-orphans --wait --wait-timeout 300
log "deployed; containers:"
"\${compose[@]}" ps --format 'table {{.Service}}\\t{{.Image}}\\t{{.Status}}' >&2
`;
}

export function renderCertificate(plan: Plan): string {
  const m = plan.manifest;
  const names = [m.domain, ...m.aliases];
  return `${scriptHeader('stackplan-certificate', [
    `Let's Encrypt certificate for ${names.join(', ')} (webroot ${HOST_PATHS.acmeWebroot}).`,
    'Without a certificate yet: issue one. With one: renew it when due (certbot decides).',
    'Usage: stackplan-certificate [--placeholder]  (--placeholder: self-signed until the first issue)',
  ])}
domain=${shellQuote(m.domain)}
names=(${shellWords(names)})
email=${shellQuote(m.alarmEmail)}
live=${shellQuote(`${HOST_PATHS.letsencrypt}live/`)}"$domain"
tls=${shellQuote(HOST_PATHS.tls)}
webroot=${shellQuote(HOST_PATHS.acmeWebroot)}
mkdir -p "$tls" "$webroot"

# point_tls DIR: nginx reads fullchain.pem and privkey.pem through symlinks into DIR.
point_tls() {
  ln -sfn "$1/fullchain.pem" "$tls/.fullchain.pem.next"
  ln -sfn "$1/privkey.pem" "$tls/.privkey.pem.next"
  mv -Tf "$tls/.fullchain.pem.next" "${NGINX_FILES.tlsCert}"
  mv -Tf "$tls/.privkey.pem.next" "${NGINX_FILES.tlsKey}"
}

if [[ "\${1:-}" == "--placeholder" ]]; then
  if [[ -e "${NGINX_FILES.tlsCert}" && -e "${NGINX_FILES.tlsKey}" ]]; then
    exit 0
  fi
  mkdir -p "$tls/self-signed"
  (
    umask 077
    san="$(printf 'DNS:%s,' "\${names[@]}")"
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$domain" \\
      -addext "subjectAltName=\${san%,}" \\
      -keyout "$tls/self-signed/privkey.pem" -out "$tls/self-signed/fullchain.pem" 2>/dev/null
  )
  point_tls "$tls/self-signed"
  log "self-signed placeholder in place until Let's Encrypt issues the certificate"
  exit 0
fi

if [[ -s "$live/fullchain.pem" ]]; then
  certbot renew --quiet --no-random-sleep-on-renew
else
  domains=()
  for name in "\${names[@]}"; do
    domains+=(-d "$name")
  done
  certbot certonly --webroot --webroot-path "$webroot" --non-interactive --agree-tos \\
    --email "$email" --no-eff-email --cert-name "$domain" --keep-until-expiring "\${domains[@]}"
fi
if [[ "$(readlink "${NGINX_FILES.tlsCert}")" != "$live/fullchain.pem" ]]; then
  point_tls "$live"
  systemctl reload nginx
  log "nginx now serves the Let's Encrypt certificate"
fi
`;
}

export function renderCertbotHook(): string {
  return `#!/usr/bin/env bash
# Certbot deploy hook: nginx picks up a renewed certificate. Rendered by stackplan; do not edit.
set -euo pipefail
systemctl reload nginx
`;
}
