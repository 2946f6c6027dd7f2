/**
 * stackplan-release: one service's new version on the lean host with no failed request, and the
 * way back. A service nginx proxies to has two slots (two loopback port ranges, planned): the new
 * version starts on the slot that is not serving, beside the old one; once its health path answers
 * (within the manifest's releaseTimeout), nginx's upstream file for that service is rewritten to the
 * new slot and nginx reloads gracefully (old workers finish their requests); after a drain the old
 * version stops. A version that never becomes healthy is stopped and the old one keeps serving.
 * Migrations run once, in a one-off container of the new image, before anything switches. Static
 * bundles switch a symlink (stackplan-sync-static); workers restart with the new image.
 *
 * The containers are reached through one small runtime interface (pull, start, ensure, stop, logs,
 * migrate, healthy): docker compose on the host, or the executable STACKPLAN_RUNTIME names —
 * `stackplan rehearse` runs this same script with a runtime that starts processes.
 */
import type { LeanService } from '../../../model/lean.js';
import type { Plan } from '../../../model/plan.js';
import { shellQuote, shellWords } from '../../escape.js';
import { pinnedParts, portKey, releaseKey } from '../compose.js';
import { binPath, leanOf, SCRIPTS, slotsKey } from '../settings.js';
import { scriptHeader } from './common.js';

/** How stackplan-release treats a service. */
export type ReleaseKind = 'web' | 'worker' | 'static' | 'fixed';

export function releaseKind(s: LeanService): ReleaseKind {
  if (s.image.kind === 'none') return 'static';
  if (s.image.kind === 'pinned' && !pinnedParts(s.image.ref).tag) return 'fixed';
  return s.hostPort !== undefined ? 'web' : 'worker';
}

/** The order `--boot` and CI release services in: web first, then static bundles, then workers. */
export function releaseOrder(plan: Plan): LeanService[] {
  const rank: Record<ReleaseKind, number> = { web: 0, static: 1, worker: 2, fixed: 3 };
  return [...leanOf(plan).services].sort((a, b) => rank[releaseKind(a)] - rank[releaseKind(b)]);
}

function serviceCase(s: LeanService): string {
  const svc = s.service;
  const kind = releaseKind(s);
  const lines = [`kind=${kind}`];
  if (s.image.kind === 'ecr') {
    lines.push(`image="$ECR_REGISTRY"/${shellQuote(s.image.repository)}`, "default_tag=''");
  } else if (s.image.kind === 'pinned') {
    const { repository, tag } = pinnedParts(s.image.ref);
    lines.push(`image=${shellQuote(repository)}`, `default_tag=${shellQuote(tag ?? '')}`);
  }
  lines.push(
    `release_key=${releaseKey(svc.name)}`,
    `port_key=${portKey(svc.name)}`,
    `copies=${s.copies}`,
    `timeout=${svc.releaseTimeout}`,
    `health=${shellQuote(s.hostPort !== undefined && svc.health !== undefined ? svc.health : '')}`,
    `migrate=(${shellWords(svc.migrate ?? [])})`,
  );
  if (kind === 'web') lines.push(`read -r -a slots <<<"$${slotsKey(svc.name)}"`);
  return [`  ${shellQuote(svc.name)})`, ...lines.map((l) => `    ${l}`), '    ;;'].join('\n');
}

export function renderRelease(plan: Plan): string {
  const ordered = releaseOrder(plan);
  const names = ordered.map((s) => s.service.name);
  return `${scriptHeader(SCRIPTS.release, [
    'release one service of the lean host, or roll it back, with no failed request.',
    'Usage: stackplan-release SERVICE TAG [--migrated] | stackplan-release --migrate SERVICE TAG | stackplan-release --rollback SERVICE | stackplan-release --boot',
    '  SERVICE TAG   web: pull, migrate (once, new image), start on the idle slot, wait for health (releaseTimeout),',
    '                switch nginx (graceful reload), drain, stop the old slot, record; a version that is not',
    '                healthy in time is stopped and the old one keeps serving (exit 1, with its last log lines).',
    '                worker: pull, migrate, restart with the new image. static: install the bundle CI uploaded',
    '                to s3://$ARTIFACTS_BUCKET/static/SERVICE/TAG/ and switch the symlink.',
    '  SERVICE TAG --migrated   the same release without the migration (run earlier with --migrate).',
    "  --migrate SERVICE TAG    pull TAG and run SERVICE's migration only, switching nothing (CI runs a",
    "                worker's migration this way before the web services switch, and restarts it last).",
    '  --rollback    the same release to the tag that served before the current one (no migration).',
    '  --boot        start every released service on its slot and point nginx at it (stackplan-app.service).',
    'Records each release in SSM ($PARAM_PREFIX/release/SERVICE, with its history) and $STACKPLAN_RELEASES_DIR.',
    `Services: ${names.join(', ')}.`,
  ])}
require_vars AWS_REGION PARAM_PREFIX STACKPLAN_APP

usage() {
  printf 'usage: %s SERVICE TAG | --rollback SERVICE | --boot\\n' "\${0##*/}" >&2
  printf 'services: %s\\n' ${shellQuote(names.join(' '))} >&2
  exit 2
}

# service_settings SERVICE: what the plan says about it (kind, image, slots, health, timeout, migrate).
service_settings() {
  kind='' image='' default_tag='' release_key='' port_key='' copies=1 timeout=60 health='' slots=() migrate=()
  case "$1" in
${ordered.map(serviceCase).join('\n')}
  *)
    log "unknown service: $1"
    usage
    ;;
  esac
  timeout="\${STACKPLAN_RELEASE_TIMEOUT:-$timeout}"
}

# ---- the runtime: docker compose here, or the executable STACKPLAN_RUNTIME names ---------------
compose_base=(docker compose --file "$STACKPLAN_COMPOSE_FILE" --env-file "$STACK_ENV_FILE" --env-file "$STACKPLAN_ENV_FILE")

# slot_compose SERVICE SLOT TAG PORT ARGS...: compose for one slot of a service (its own project).
slot_compose() {
  local service="$1" slot="$2" tag="$3" port="$4"
  shift 4
  env "$release_key=$tag" "$port_key=$port" "\${port_key}_LAST=$((port + copies - 1))" \\
    "\${compose_base[@]}" --project-name "$STACKPLAN_APP-$service-$slot" "$@"
}

docker_pull() { docker pull --quiet "$2:$3" >/dev/null; }
docker_start() { slot_compose "$1" "$2" "$3" "$4" up --detach --no-deps --force-recreate --pull never --scale "$1=$copies" "$1"; }
docker_ensure() { slot_compose "$1" "$2" "$3" "$4" up --detach --no-deps --pull never --scale "$1=$copies" "$1"; }
docker_stop() {
  slot_compose "$1" "$2" none 0 stop --timeout 30 "$1" >/dev/null 2>&1 || true
  slot_compose "$1" "$2" none 0 rm --force --stop "$1" >/dev/null 2>&1 || true
}
docker_logs() { slot_compose "$1" "$2" none 0 logs --no-color --no-log-prefix --tail 30 "$1" 2>&1 || true; }
docker_migrate() {
  local service="$1" tag="$2"
  shift 2
  slot_compose "$service" migrate "$tag" 0 run --rm --no-deps -T "$service" "$@"
}
# docker_healthy SERVICE SLOT: every container of the slot reports healthy (or has no healthcheck).
docker_healthy() {
  local states
  states="$(slot_compose "$1" "$2" none 0 ps --format '{{.Health}}' "$1" 2>/dev/null)" || return 1
  [[ -n "$states" ]] && ! grep --quiet --invert-match --extended-regexp '^(healthy|)$' <<<"$states"
}

# rt OPERATION ARGS...: the runtime's operation: STACKPLAN_RUNTIME=docker, or an executable called as
#   pull SERVICE IMAGE TAG | start SERVICE SLOT TAG FIRST_PORT COPIES (replacing what runs there) |
#   ensure SERVICE SLOT TAG FIRST_PORT COPIES (start unless running) | stop SERVICE SLOT |
#   logs SERVICE SLOT | migrate SERVICE TAG COMMAND... | healthy SERVICE SLOT
rt() {
  local op="$1"
  shift
  if [[ "$STACKPLAN_RUNTIME" == docker ]]; then
    "docker_$op" "$@"
  else
    "$STACKPLAN_RUNTIME" "$op" "$@" 9>&- # what it starts must not hold the release lock
  fi
}

# ---- nginx ------------------------------------------------------------------------------------
nginx_cmd() {
  local -a args=(-c "$STACKPLAN_NGINX_CONF")
  if [[ -n "$STACKPLAN_NGINX_PREFIX" ]]; then
    args+=(-p "$STACKPLAN_NGINX_PREFIX")
  fi
  if [[ -n "$STACKPLAN_NGINX_ERROR_LOG" ]]; then
    args+=(-e "$STACKPLAN_NGINX_ERROR_LOG")
  fi
  nginx "\${args[@]}" "$@"
}

# write_upstream SERVICE SLOT FIRST_PORT: the service's upstream servers on that slot, replaced atomically.
write_upstream() {
  local file="$STACKPLAN_NGINX_UPSTREAMS/$1.conf" tmp i
  mkdir -p "$STACKPLAN_NGINX_UPSTREAMS"
  tmp="$(mktemp "$file.XXXXXX")"
  {
    printf '# %s: slot %s. Written by stackplan-release; do not edit.\\n' "$1" "$2"
    for ((i = 0; i < copies; i++)); do
      printf 'server 127.0.0.1:%s;\\n' "$(($3 + i))"
    done
  } >"$tmp"
  chmod 0644 "$tmp"
  if [[ -f "$file" ]]; then
    cp -p -- "$file" "$file.previous"
  fi
  mv -f -- "$tmp" "$file"
}

# nginx_pid: the running master's pid, from the pid file its configuration names (empty when stopped).
nginx_pid() {
  local file
  file="$(sed -n 's/^pid \\(.*\\);$/\\1/p' "$STACKPLAN_NGINX_CONF" | head -n 1)"
  if [[ -n "$STACKPLAN_NGINX_PREFIX" && "$file" != /* ]]; then
    file="$STACKPLAN_NGINX_PREFIX/$file"
  fi
  if [[ -r "$file" ]] && kill -0 "$(cat -- "$file")" 2>/dev/null; then
    cat -- "$file"
  fi
}

# reload_nginx: a graceful reload (old workers finish their requests); a refused config is put back.
reload_nginx() {
  if ! nginx_cmd -t -q 2>"$work/nginx-test"; then
    cat -- "$work/nginx-test" >&2
    return 1
  fi
  nginx_cmd -s reload
}

# ---- state ------------------------------------------------------------------------------------
# STACKPLAN_RELEASES_DIR/SERVICE/current holds "TAG SLOT PREVIOUS"; history one line per attempt.
read_current() {
  cur_tag='' cur_slot='' cur_previous=''
  local file="$STACKPLAN_RELEASES_DIR/$1/current"
  if [[ -r "$file" ]]; then
    read -r cur_tag cur_slot cur_previous <"$file" || true
  fi
  if [[ -z "$cur_tag" ]]; then
    cur_tag="$(env_value "$STACKPLAN_ENV_FILE" "$release_key")"
  fi
  if [[ -z "$cur_tag" ]]; then
    cur_tag="$default_tag"
  fi
}

write_current() {
  mkdir -p "$STACKPLAN_RELEASES_DIR/$1"
  printf '%s %s %s\\n' "$2" "$3" "\${4:--}" >"$STACKPLAN_RELEASES_DIR/$1/current.tmp"
  mv -f -- "$STACKPLAN_RELEASES_DIR/$1/current.tmp" "$STACKPLAN_RELEASES_DIR/$1/current"
}

# record SERVICE TAG PREVIOUS RESULT DETAIL: one line of the local history.
record() {
  mkdir -p "$STACKPLAN_RELEASES_DIR/$1"
  printf '%s\\t%s\\t%s\\t%s\\t%s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$2" "\${3:--}" "$4" "$5" \\
    >>"$STACKPLAN_RELEASES_DIR/$1/history"
}

# put_release SERVICE TAG PREVIOUS: the released tag in SSM (boot reads it; SSM keeps every version).
put_release() {
  aws_cli ssm put-parameter --name "\${PARAM_PREFIX}release/$1" --value "$2" --type String --overwrite \\
    --description "stackplan-release $(date -u +%Y-%m-%dT%H:%M:%SZ): \${3:-none} -> $2" >/dev/null ||
    log "warning: could not record $1 $2 in SSM; the host's own record is $STACKPLAN_RELEASES_DIR/$1"
}

# ---- health -----------------------------------------------------------------------------------
# wait_healthy SERVICE SLOT FIRST_PORT: every copy answers its health path (or accepts connections)
# and the runtime reports it healthy, within the service's timeout.
wait_healthy() {
  local deadline=$((SECONDS + timeout)) port i ok
  while true; do
    ok=1
    for ((i = 0; i < copies; i++)); do
      port=$(($3 + i))
      if [[ -n "$health" ]]; then
        curl --silent --fail --output /dev/null --max-time 5 "http://127.0.0.1:$port$health" || ok=0
      else
        (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null || ok=0
      fi
    done
    if [[ $ok -eq 1 ]] && rt healthy "$1" "$2"; then
      return 0
    fi
    if ((SECONDS >= deadline)); then
      return 1
    fi
    sleep 1
  done
}

# ---- releases ---------------------------------------------------------------------------------
check_tag() {
  [[ "$1" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "not an image tag: $1 (letters, digits, _ . -; at most 128)"
}

# run_migration SERVICE TAG: the manifest's migrate command, once, in a one-off container of TAG.
run_migration() {
  if [[ \${#migrate[@]} -eq 0 ]]; then
    return 0
  fi
  log "$1: migrating with $2: \${migrate[*]}"
  if ! rt migrate "$1" "$2" "\${migrate[@]}" >"$work/migrate.log" 2>&1; then
    tail -n 30 -- "$work/migrate.log" >&2
    record "$1" "$2" "$cur_tag" failed "migration failed"
    die "$1: the migration with $2 failed (last lines above); nothing was switched, $cur_tag keeps serving"
  fi
}

release_web() {
  local service="$1" tag="$2" migrate_now="$3" old_slot new_slot new_port t0
  read_current "$service"
  old_slot="$cur_slot"
  if [[ "$old_slot" == a ]]; then new_slot=b; else new_slot=a; fi
  if [[ -z "$old_slot" && -n "$cur_tag" ]]; then
    # Never released by this script: the version the boot started serves from slot a.
    old_slot=a new_slot=b
  fi
  if [[ "$new_slot" == a ]]; then new_port="\${slots[0]}"; else new_port="\${slots[1]}"; fi
  log "$service: releasing $tag on slot $new_slot (127.0.0.1:$new_port) beside \${cur_tag:-nothing}\${old_slot:+ on slot $old_slot}"
  rt pull "$service" "$image" "$tag" || {
    record "$service" "$tag" "$cur_tag" failed "pull failed"
    die "$service: could not pull $image:$tag; nothing changed"
  }
  if [[ "$migrate_now" == 1 ]]; then
    run_migration "$service" "$tag"
  fi
  rt stop "$service" "$new_slot" # what an earlier, failed release may have left there
  t0=$SECONDS
  rt start "$service" "$new_slot" "$tag" "$new_port" "$copies" >"$work/start.log" 2>&1 || {
    cat -- "$work/start.log" >&2
    rt stop "$service" "$new_slot"
    record "$service" "$tag" "$cur_tag" failed "did not start"
    die "$service: $tag did not start; \${cur_tag:-nothing} keeps serving"
  }
  if ! wait_healthy "$service" "$new_slot" "$new_port"; then
    log "$service: $tag was not healthy within $timeout s; its last log lines:"
    rt logs "$service" "$new_slot" | tail -n 30 >&2
    rt stop "$service" "$new_slot"
    record "$service" "$tag" "$cur_tag" failed "not healthy within $timeout s"
    die "$service: $tag failed its health check (\${health:-a connection} within $timeout s) and was stopped; \${cur_tag:-nothing} keeps serving"
  fi
  log "$service: $tag healthy after $((SECONDS - t0)) s; switching nginx"
  write_upstream "$service" "$new_slot" "$new_port"
  if ! reload_nginx; then
    mv -f -- "$STACKPLAN_NGINX_UPSTREAMS/$service.conf.previous" "$STACKPLAN_NGINX_UPSTREAMS/$service.conf"
    rt stop "$service" "$new_slot"
    record "$service" "$tag" "$cur_tag" failed "nginx refused the switch"
    die "$service: nginx -t refused the new upstream; nothing switched, \${cur_tag:-nothing} keeps serving"
  fi
  write_current "$service" "$tag" "$new_slot" "$cur_tag"
  if [[ -n "$old_slot" ]]; then
    # Requests already sent to the old version finish: nginx's old workers drain, then the app gets SIGTERM.
    sleep "$STACKPLAN_RELEASE_DRAIN_SECONDS"
    rt stop "$service" "$old_slot"
  fi
  record "$service" "$tag" "$cur_tag" released "slot $new_slot"
  put_release "$service" "$tag" "$cur_tag"
  log "$service: released $tag (previous: \${cur_tag:-none}); serving from slot $new_slot"
}

release_worker() {
  local service="$1" tag="$2" migrate_now="$3"
  read_current "$service"
  rt pull "$service" "$image" "$tag" || die "$service: could not pull $image:$tag; nothing changed"
  if [[ "$migrate_now" == 1 ]]; then
    run_migration "$service" "$tag"
  fi
  # A worker has no traffic to switch: it restarts with the new image (jobs must survive a restart).
  if ! rt start "$service" a "$tag" 0 "$copies" >"$work/start.log" 2>&1; then
    cat -- "$work/start.log" >&2
    record "$service" "$tag" "$cur_tag" failed "did not start"
    die "$service: $tag did not start"
  fi
  write_current "$service" "$tag" a "$cur_tag"
  record "$service" "$tag" "$cur_tag" released "restarted"
  put_release "$service" "$tag" "$cur_tag"
  log "$service: restarted with $tag (previous: \${cur_tag:-none})"
}

release_static() {
  local service="$1" tag="$2"
  read_current "$service"
  "${binPath('syncStatic')}" "$service" "$tag" || {
    record "$service" "$tag" "$cur_tag" failed "bundle not installed"
    die "$service: the bundle of $tag was not installed; \${cur_tag:-the current bundle} keeps serving"
  }
  write_current "$service" "$tag" a "$cur_tag"
  record "$service" "$tag" "$cur_tag" released "symlink switched"
  put_release "$service" "$tag" "$cur_tag"
}

# release SERVICE TAG MIGRATE(1|0)
release() {
  service_settings "$1"
  check_tag "$2"
  case "$kind" in
  web) release_web "$1" "$2" "$3" ;;
  worker) release_worker "$1" "$2" "$3" ;;
  static) release_static "$1" "$2" ;;
  fixed) die "$1 is pinned by digest only in the manifest: give its image a tag to release other versions" ;;
  esac
}

# boot: every service that has a release runs on its slot; nginx points at the slots serving.
boot() {
  local service port
  for service in ${shellWords(names)}; do
    service_settings "$service"
    read_current "$service"
    case "$kind" in
    web | worker)
      if [[ -z "$cur_tag" ]]; then
        log "$service: no release yet (CI's first push releases it); not started"
        continue
      fi
      cur_slot="\${cur_slot:-a}"
      if [[ "$kind" == web ]]; then
        if [[ "$cur_slot" == a ]]; then port="\${slots[0]}"; else port="\${slots[1]}"; fi
        rt ensure "$service" "$cur_slot" "$cur_tag" "$port" "$copies"
        write_upstream "$service" "$cur_slot" "$port"
      else
        rt ensure "$service" a "$cur_tag" 0 "$copies"
      fi
      log "$service: $cur_tag on slot $cur_slot"
      ;;
    *) ;;
    esac
  done
  if [[ -n "$(nginx_pid)" ]]; then
    reload_nginx || die "nginx refused the upstreams"
  else
    log "nginx is not running: it reads the upstreams when it starts"
  fi
}

work="$(mktemp -d)"
trap 'rm -rf -- "$work"' EXIT
mkdir -p "$STACKPLAN_RELEASES_DIR"
exec 9>"$STACKPLAN_RELEASES_DIR/.lock"
flock --wait 900 9 || die "another stackplan-release is still running after 15 minutes"

case "\${1:-}" in
--boot)
  [[ $# -eq 1 ]] || usage
  boot
  ;;
--rollback)
  [[ $# -eq 2 ]] || usage
  service_settings "$2"
  read_current "$2"
  [[ -n "$cur_previous" && "$cur_previous" != - ]] ||
    die "$2: no previous release to return to (history: $STACKPLAN_RELEASES_DIR/$2/history)"
  log "$2: rolling back from $cur_tag to $cur_previous (migrations are not undone: they must stay backward compatible)"
  release "$2" "$cur_previous" 0
  ;;
--migrate)
  [[ $# -eq 3 ]] || usage
  service_settings "$2"
  check_tag "$3"
  read_current "$2"
  [[ "$kind" == web || "$kind" == worker ]] || die "$2 has no image to migrate with"
  [[ \${#migrate[@]} -gt 0 ]] || die "$2 has no migrate command in the manifest"
  rt pull "$2" "$image" "$3" || die "$2: could not pull $image:$3; nothing changed"
  run_migration "$2" "$3"
  log "$2: migrated with $3; nothing switched (release it with: stackplan-release $2 $3 --migrated)"
  ;;
-h | --help) usage ;;
-*) usage ;;
*)
  if [[ $# -eq 3 && "$3" == --migrated ]]; then
    release "$1" "$2" 0
  else
    [[ $# -eq 2 ]] || usage
    release "$1" "$2" 1
  fi
  ;;
esac
`;
}
