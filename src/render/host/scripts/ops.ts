/**
 * The smaller host scripts: monitor (health → HealthOk), secrets (SSM → the app env file),
 * static bundle sync, deploy, the certificate (first issue and renewal) and certbot's deploy hook.
 */
import type { Plan } from '../../../model/plan.js';
import { shellQuote, shellWords } from '../../escape.js';
import { releaseKey, type SecretSource, secretConsumers, secretsDigestKey } from '../compose.js';
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

/** Reads `aws ssm get-parameters-by-path --output json` on stdin; writes one file per known value, byte for byte. */
const PARAMETERS_TO_FILES = `import json, os, re, sys
prefix, out = sys.argv[1], sys.argv[2]
for p in json.load(sys.stdin).get("Parameters", []):
    name, value = p["Name"], p["Value"]
    if not name.startswith(prefix):
        continue
    rel = name[len(prefix):]
    if rel == "postgres/password":
        key = "POSTGRES_PASSWORD"
    elif rel == "redis/password":
        key = "REDIS_PASSWORD"
    elif rel.startswith("secrets/"):
        key = rel[len("secrets/"):]
    elif rel.startswith("release/"):
        key = "RELEASE_" + rel[len("release/"):].upper().replace("-", "_")
    else:
        continue
    if not re.fullmatch(r"[A-Z_][A-Z0-9_]*", key):
        continue
    with open(os.path.join(out, key), "w", encoding="utf-8", newline="") as f:
        f.write(value)
`;

export function renderSecrets(plan: Plan): string {
  const lean = leanOf(plan);
  const pg = lean.postgres;
  const consumers = secretConsumers(lean);
  const parameters = [
    ...new Set(
      consumers.flatMap((c) => c.files.flatMap((f) => (f.source.kind === 'parameter' ? [f.source.key] : []))),
    ),
  ];
  // Released tags (SSM release/<service>, written by stackplan-release): optional, as a service built
  // from source has none before CI's first release, and a pinned one runs the manifest's tag until then.
  const releases = lean.services.map((s) => releaseKey(s.service.name));
  const needs = (kind: string) => consumers.some((c) => c.files.some((f) => f.source.kind === kind));
  const derived: string[] = [];
  if (pg && needs('database-url')) {
    derived.push(
      `pg_user=${shellQuote(pg.user)}`,
      `pg_database=${shellQuote(pg.database)}`,
      'database_url="postgres://$(urlencode "$pg_user"):$(urlencode "$(value POSTGRES_PASSWORD)")@$STACKPLAN_APP_POSTGRES_HOST:$STACKPLAN_APP_POSTGRES_PORT/$(urlencode "$pg_database")"',
    );
  }
  if (lean.redis && needs('redis-url')) {
    derived.push(
      'redis_url="redis://default:$(urlencode "$(value REDIS_PASSWORD)")@$STACKPLAN_APP_REDIS_HOST:$STACKPLAN_APP_REDIS_PORT/0"',
    );
  }
  if (needs('relay-token')) {
    derived.push(
      'relay_token="$(env_value "$STACKPLAN_RELAY_ENV_FILE" RELAY_TOKEN)"',
      '[[ -n "$relay_token" ]] || die "no RELAY_TOKEN in $STACKPLAN_RELAY_ENV_FILE (run stackplan-bootstrap)"',
    );
  }
  const put = (consumer: string, name: string, source: SecretSource): string => {
    const to = `${shellQuote(consumer)} ${shellQuote(name)}`;
    switch (source.kind) {
      case 'parameter':
        return `put ${to} <"$values/${source.key}"`;
      case 'database-url':
        return `printf '%s' "$database_url" | put ${to}`;
      case 'redis-url':
        return `printf '%s' "$redis_url" | put ${to}`;
      case 'relay-token':
        return `printf '%s' "$relay_token" | put ${to}`;
      case 'redis-conf':
        return `printf 'requirepass "%s"\\n' "$(redis_config_quote "$(value REDIS_PASSWORD)")" | put ${to}`;
    }
  };
  const writes = consumers.flatMap((c) => [
    ...c.files.map((f) => put(c.name, f.name, f.source)),
    `own ${shellQuote(c.name)} ${c.uid} ${c.gid}`,
    `digests+=(${shellQuote(`${secretsDigestKey(c.name)}=`)}"$(digest ${shellQuote(c.name)})")`,
  ]);
  return `${scriptHeader('stackplan-secrets', [
    "write the containers' secrets from SSM Parameter Store (every parameter under $PARAM_PREFIX) as files:",
    "  $STACKPLAN_SECRETS_DIR/<container>/<NAME>, each directory readable only by that container's user and",
    '  mounted by compose at /run/secrets/; values are kept byte for byte, line breaks included.',
    'and the app env file with what is not secret: released tags (release/SERVICE → RELEASE_SERVICE) and a digest',
    "of each container's secrets (a changed secret recreates the container). Nothing is written unless all is there.",
  ])}
require_vars AWS_REGION PARAM_PREFIX
umask 077

# urlencode STRING: percent-encodes everything but unreserved characters (RFC 3986), byte by byte.
urlencode() {
  local LC_ALL=C
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

# redis_config_quote STRING: the inside of a double-quoted Redis configuration argument.
redis_config_quote() {
  local s="$1"
  s="\${s//\\\\/\\\\\\\\}"
  s="\${s//\\"/\\\\\\"}"
  s="\${s//$'\\n'/\\\\n}"
  s="\${s//$'\\r'/\\\\r}"
  printf '%s' "$s"
}

parent="$(dirname -- "$STACKPLAN_SECRETS_DIR")"
mkdir -p "$parent"
work="$(mktemp -d "$parent/.secrets.XXXXXX")"
trap 'rm -rf -- "$work"' EXIT
values="$work/.values"
mkdir "$values"

# value KEY: a parameter's value, exactly (a trailing line break included).
value() {
  cat -- "$values/$1"
}

# put CONTAINER NAME: stdin becomes the secret file NAME of CONTAINER.
put() {
  mkdir -p "$work/$1"
  cat >"$work/$1/$2"
}

# own CONTAINER UID GID: the container's directory and files, readable by its user only.
own() {
  chmod 0400 "$work/$1"/*
  chmod 0500 "$work/$1"
  if [[ "$STACKPLAN_SECRETS_CHOWN" == 1 ]]; then
    chown -R "$2:$3" "$work/$1"
  fi
}

# digest CONTAINER: names and contents of its secret files, hashed (a secret itself is never printed).
digest() {
  (cd "$work/$1" && sha256sum -- * | sha256sum | cut -c 1-16)
}

aws_cli ssm get-parameters-by-path --path "$PARAM_PREFIX" --recursive --with-decryption --output json |
  python3 -c ${shellQuote(PARAMETERS_TO_FILES)} "$PARAM_PREFIX" "$values"

missing=()
for name in ${shellWords(parameters)}; do
  [[ -s "$values/$name" ]] || missing+=("$name")
done
if [[ \${#missing[@]} -gt 0 ]]; then
  die "missing in SSM under $PARAM_PREFIX: \${missing[*]}"
fi
${derived.join('\n')}

digests=()
${writes.join('\n')}

# The env file holds no secret: image tags (checked, as compose puts them in image names) and digests.
env_tmp="$(mktemp "$STACKPLAN_ENV_FILE.XXXXXX")"
trap 'rm -rf -- "$work" "$env_tmp"' EXIT
{
  printf '# Written by stackplan-secrets from SSM %s; no secret is here (see %s). Do not edit.\\n' "$PARAM_PREFIX" "$STACKPLAN_SECRETS_DIR"
  for name in ${shellWords(releases)}; do
    [[ -s "$values/$name" ]] || continue
    tag="$(value "$name")"
    [[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "$name is not an image tag: $tag"
    printf '%s=%s\\n' "$name" "$tag"
  done
  printf '%s\\n' "\${digests[@]}"
} >"$env_tmp"
chmod 0644 "$env_tmp"

# Switch to the new set atomically: the secrets directory is a symlink to it; the previous set goes.
rm -rf -- "$values"
chmod 0711 "$work"
previous="$(readlink -- "$STACKPLAN_SECRETS_DIR" || true)"
if [[ -d "$STACKPLAN_SECRETS_DIR" && ! -L "$STACKPLAN_SECRETS_DIR" ]]; then
  rm -rf -- "$STACKPLAN_SECRETS_DIR"
fi
ln -sfn -- "\${work##*/}" "$parent/.secrets.next"
mv -Tf -- "$parent/.secrets.next" "$STACKPLAN_SECRETS_DIR"
mv -f -- "$env_tmp" "$STACKPLAN_ENV_FILE"
trap - EXIT
if [[ -n "$previous" && "$previous" != "\${work##*/}" ]]; then
  rm -rf -- "\${parent:?}/\${previous##*/}"
fi
log "wrote $STACKPLAN_SECRETS_DIR (${consumers.length} containers) and $STACKPLAN_ENV_FILE"
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
    'install a static bundle CI uploaded to s3://$ARTIFACTS_BUCKET/static/<service>/<tag>/ into',
    '$STACKPLAN_STATIC_DIR/.releases/<service>-<tag> and switch $STACKPLAN_STATIC_DIR/<service> to it (a symlink',
    'replaced atomically; the last three releases are kept, so a rollback needs no download).',
    `Services: ${services.join(', ') || 'none'}. Usage: stackplan-sync-static [SERVICE TAG]`,
    "(no arguments: each service's released tag, RELEASE_<SERVICE> in the app env file, as at boot).",
  ])}
require_vars AWS_REGION ARTIFACTS_BUCKET
umask 022
mkdir -p "$STACKPLAN_STATIC_DIR/.releases"

# install SERVICE TAG
install_bundle() {
  local service="$1" tag="$2" release
  [[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "not a release tag: $tag"
  release="$STACKPLAN_STATIC_DIR/.releases/$service-$tag"
  if [[ ! -f "$release/index.html" ]]; then
    rm -rf -- "$release.partial"
    aws_cli s3 sync --only-show-errors --delete "s3://$ARTIFACTS_BUCKET/static/$service/$tag/" "$release.partial/"
    if [[ ! -f "$release.partial/index.html" ]]; then
      rm -rf -- "$release.partial"
      die "no index.html under s3://$ARTIFACTS_BUCKET/static/$service/$tag/ (CI uploads the built bundle there)"
    fi
    chmod -R a+rX "$release.partial"
    rm -rf -- "$release"
    mv -T -- "$release.partial" "$release"
  fi
  touch -- "$release"
  ln -sfn ".releases/$service-$tag" "$STACKPLAN_STATIC_DIR/.$service.next"
  mv -Tf "$STACKPLAN_STATIC_DIR/.$service.next" "$STACKPLAN_STATIC_DIR/$service"
  # Keep the three most recently installed releases of the service (the serving one among them).
  find "$STACKPLAN_STATIC_DIR/.releases" -mindepth 1 -maxdepth 1 -type d -name "$service-*" -printf '%T@ %f\\n' |
    sort -rn | tail -n +4 | cut -d ' ' -f 2- | while IFS= read -r old; do
    rm -rf -- "\${STACKPLAN_STATIC_DIR:?}/.releases/$old"
  done
  log "$service: serving $tag ($(find "$release" -type f | wc -l) files)"
}

if [[ $# -eq 2 ]]; then
  install_bundle "$1" "$2"
  exit 0
fi
[[ $# -eq 0 ]] || die "usage: stackplan-sync-static [SERVICE TAG]"
status=0
${services
  .map(
    (name) => `tag="$(env_value "$STACKPLAN_ENV_FILE" ${releaseKey(name)})"
if [[ -z "$tag" ]]; then
  log ${shellQuote(`${name}: no release yet (CI's first push releases it)`)}
else
  install_bundle ${shellQuote(name)} "$tag" || status=1
fi`,
  )
  .join('\n')}
exit "$status"
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
    'apply changed secrets and host files: refresh the secret files and the app env file from SSM, install the',
    'released static bundles, bring the data stores up to date, and start every released service on its slot',
    '(containers whose configuration did not change keep running). New versions go through stackplan-release.',
  ])}
"${binPath('secrets')}"
${hasStatic ? `"${binPath('syncStatic')}"` : '# no static services'}
compose=(${shellWords(['docker', ...composeArgs(plan).slice(1)])})
"\${compose[@]}" up --detach --remove-orphans --wait --wait-timeout 300
"${binPath('release')}" --boot
log "deployed"
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
