/**
 * docker-compose.yml for the lean host: the app's services, PostgreSQL and Redis, each with a
 * pinned image, a restart policy, a memory limit from the plan and ports on loopback only.
 *
 * No secret is in this file, nor in any container's environment (where `docker inspect` would show
 * it): `stackplan-secrets` writes each consumer's secrets as files, readable only by that
 * container's user, under SECRETS_DIR/<consumer>/, and compose mounts them at /run/secrets/<NAME>;
 * the container's environment says where (`NAME_FILE=/run/secrets/NAME`, the convention of the
 * Docker official images and, for the credentials relay token, of the AWS SDKs). The env file
 * holds only what is not secret: image tags of ECR-built services and a digest of each
 * consumer's secrets, so a changed secret recreates the containers that read it.
 */
import type { LeanPlan, LeanService } from '../../model/lean.js';
import type { Plan } from '../../model/plan.js';
import { composeDefault, composeLiteral, composeRequired, shellQuote, toYaml } from '../escape.js';
import { DATA_STORE_USERS, POSTGRES_IMAGES, REDIS_IMAGE } from './images.js';
import { HOST_PATHS, leanOf, RELAY_URI } from './settings.js';

/**
 * One environment variable of a container: a literal, a key of the env files (never a secret), or
 * the path of one of its secret files.
 */
export interface EnvEntry {
  name: string;
  value:
    | { kind: 'literal'; text: string }
    | { kind: 'key'; key: string }
    | { kind: 'secret-file'; secret: string };
}

const REQUIRED = 'run stackplan-secrets';

/** Where a container finds its secret files. */
export const CONTAINER_SECRETS_DIR = '/run/secrets';

export const AWS_USES = new Set(['bedrock', 'ses', 'buckets']);

/** Whether a service calls AWS APIs (and so gets credentials from the relay). */
export function usesAws(s: LeanService): boolean {
  return s.service.uses.some((u) => AWS_USES.has(u));
}

/** Env var holding the image tag of an ECR-built service, read from SSM `${prefix}release/<service>`. */
export function releaseKey(service: string): string {
  return `RELEASE_${service.toUpperCase().replace(/-/g, '_')}`;
}

/** Compose variables stackplan-release sets to start a copy of a service on its other slot's ports. */
export function portKey(service: string): string {
  return `STACKPLAN_PORT_${service.toUpperCase().replace(/-/g, '_')}`;
}

/** The compose profile of the app services: started by stackplan-release, never by the data stores' `up`. */
export const RELEASE_PROFILE = 'release';

/** A pinned image split where a release replaces its tag: `repo:tag[@digest]` → repo, tag[@digest]. */
export function pinnedParts(ref: string): { repository: string; tag?: string } {
  const at = ref.indexOf('@');
  const name = at >= 0 ? ref.slice(0, at) : ref;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) return { repository: name.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repository: name };
}

/** Where the value of one secret file comes from. */
export type SecretSource =
  /** An SSM parameter, as stackplan-secrets names it: POSTGRES_PASSWORD, REDIS_PASSWORD or a secret's NAME. */
  | { kind: 'parameter'; key: string }
  | { kind: 'database-url' }
  | { kind: 'redis-url' }
  /** The per-boot token of the credentials relay. */
  | { kind: 'relay-token' }
  /** Redis's configuration holding `requirepass`, so the password is never on its command line. */
  | { kind: 'redis-conf' };

/** A container's secret files: written by stackplan-secrets, owned by its uid:gid, mounted by compose. */
export interface SecretConsumer {
  /** The compose service: an app service, postgres or redis. */
  name: string;
  uid: number;
  gid: number;
  files: Array<{ name: string; source: SecretSource }>;
}

/** Env file key holding the digest of a consumer's secrets (a label, so compose recreates on change). */
export function secretsDigestKey(consumer: string): string {
  return `SECRETS_${consumer.toUpperCase().replace(/-/g, '_')}`;
}

/** Every container that reads secrets, with its files, in compose order. */
export function secretConsumers(lean: LeanPlan): SecretConsumer[] {
  const out: SecretConsumer[] = [];
  for (const s of lean.services) {
    if (s.image.kind === 'none') continue;
    const svc = s.service;
    const files: SecretConsumer['files'] = [];
    if (lean.postgres && svc.uses.includes('postgres'))
      files.push({ name: 'DATABASE_URL', source: { kind: 'database-url' } });
    if (lean.redis && svc.uses.includes('redis'))
      files.push({ name: 'REDIS_URL', source: { kind: 'redis-url' } });
    for (const name of [...svc.secrets].sort())
      files.push({ name, source: { kind: 'parameter', key: name } });
    if (usesAws(s))
      files.push({ name: 'AWS_CONTAINER_AUTHORIZATION_TOKEN', source: { kind: 'relay-token' } });
    if (files.length) out.push({ name: svc.name, uid: svc.user.uid, gid: svc.user.gid, files });
  }
  if (lean.postgres) {
    out.push({
      name: 'postgres',
      ...DATA_STORE_USERS.postgres,
      files: [{ name: 'POSTGRES_PASSWORD', source: { kind: 'parameter', key: 'POSTGRES_PASSWORD' } }],
    });
  }
  if (lean.redis) {
    out.push({
      name: 'redis',
      ...DATA_STORE_USERS.redis,
      files: [
        { name: 'REDIS_PASSWORD', source: { kind: 'parameter', key: 'REDIS_PASSWORD' } },
        { name: 'redis.conf', source: { kind: 'redis-conf' } },
      ],
    });
  }
  return out;
}

/** The compose secret that holds one file of one consumer. */
function secretId(consumer: string, file: string): string {
  return `${consumer}.${file}`;
}

/** A service's secret mounts, its digest label, and (for the env) where each file is. */
function secretMounts(lean: LeanPlan, consumer: string): Record<string, unknown> {
  const c = secretConsumers(lean).find((x) => x.name === consumer);
  if (!c) return {};
  return {
    secrets: c.files.map((f) => ({ source: secretId(c.name, f.name), target: f.name })),
    labels: { 'stackplan.secrets-digest': composeRequired(secretsDigestKey(c.name), REQUIRED) },
  };
}

/**
 * The environment of an app container, in order. Compose renders literals escaped, keys with
 * `${KEY:?…}` interpolation and secret files as their path in the container; `stackplan rehearse`
 * resolves the same entries against the same env file and secrets directory.
 */
export function serviceEnvironment(lean: LeanPlan, s: LeanService): EnvEntry[] {
  const svc = s.service;
  const out: EnvEntry[] = [];
  const lit = (name: string, text: string) => out.push({ name, value: { kind: 'literal', text } });
  const key = (name: string, k = name) => out.push({ name, value: { kind: 'key', key: k } });
  const file = (secret: string) =>
    out.push({ name: `${secret}_FILE`, value: { kind: 'secret-file', secret } });
  const env = Object.entries(svc.env).sort(([a], [b]) => a.localeCompare(b));
  if (svc.port !== undefined && !('PORT' in svc.env)) lit('PORT', String(svc.port));
  for (const [k, v] of env) lit(k, v);
  const consumer = secretConsumers(lean).find((c) => c.name === svc.name);
  for (const f of consumer?.files ?? []) file(f.name);
  // App bucket names are deploy-time values: user data writes them to the stack env file.
  if (svc.uses.includes('buckets')) for (const b of lean.buckets) key(b.envName);
  if (usesAws(s)) {
    key('AWS_REGION');
    key('AWS_DEFAULT_REGION', 'AWS_REGION');
    lit('AWS_CONTAINER_CREDENTIALS_FULL_URI', RELAY_URI);
  }
  return out;
}

/** The compose top-level secrets: each consumer's files, from the host's secrets directory. */
function composeSecrets(lean: LeanPlan): Record<string, { file: string }> {
  const out: Record<string, { file: string }> = {};
  for (const c of secretConsumers(lean)) {
    for (const f of c.files)
      out[secretId(c.name, f.name)] = { file: composeLiteral(`${HOST_PATHS.secrets}/${c.name}/${f.name}`) };
  }
  return out;
}

/** A key of the env files, required: compose stops with "run stackplan-secrets" when it is missing. */
function required(key: string): string {
  return composeRequired(key, REQUIRED);
}

/** How an env entry is written in the compose file: literals with `$` escaped, keys interpolated. */
function interpolate(e: EnvEntry): string {
  switch (e.value.kind) {
    case 'literal':
      return composeLiteral(e.value.text);
    case 'key':
      return required(e.value.key);
    case 'secret-file':
      return composeLiteral(`${CONTAINER_SECRETS_DIR}/${e.value.secret}`);
  }
}

/** Compose logging: container output to the stack's log group, never blocking the app. */
function logging(): Record<string, unknown> {
  return {
    driver: 'awslogs',
    options: {
      'awslogs-region': required('AWS_REGION'),
      'awslogs-group': required('LOG_GROUP'),
      'awslogs-create-group': 'false',
      tag: '{{.Name}}',
      mode: 'non-blocking',
      'max-buffer-size': '4m',
    },
  };
}

function imageOf(app: string, s: LeanService): string {
  switch (s.image.kind) {
    case 'pinned': {
      // The manifest's tag (and digest) unless stackplan-release has released another tag.
      const { repository, tag } = pinnedParts(s.image.ref);
      if (!tag) return composeLiteral(s.image.ref);
      return `${composeLiteral(repository)}:${composeDefault(releaseKey(s.service.name), tag)}`;
    }
    case 'ecr':
      // Before CI's first release there is no tag: stackplan-release starts nothing until there is.
      return `${required('ECR_REGISTRY')}/${composeLiteral(s.image.repository)}:${composeDefault(releaseKey(s.service.name), 'unreleased')}`;
    case 'none':
      throw new Error(`${app}: service ${s.service.name} has no image`);
  }
}

/** Host port range a service publishes on loopback (one port per copy). */
export function hostPortsOf(s: LeanService): number[] {
  if (s.hostPort === undefined) return [];
  return Array.from({ length: s.copies }, (_, i) => s.hostPort! + i);
}

/**
 * What every container gets: no capabilities at all (none of these images needs one when it
 * starts as its own user), no privilege gained through setuid binaries, and the image read-only
 * with an in-memory /tmp unless the service opts out.
 */
function leastPrivilege(
  user: { uid: number; gid: number },
  readOnly: boolean,
  tmpfs: string[],
): Record<string, unknown> {
  return {
    user: `${user.uid}:${user.gid}`,
    cap_drop: ['ALL'],
    security_opt: ['no-new-privileges:true'],
    ...(readOnly && { read_only: true, tmpfs }),
  };
}

/** A private /tmp in memory, counted against the container's memory limit. */
function tmpTmpfs(memoryMiB: number): string {
  return `/tmp:size=${Math.min(256, Math.max(16, Math.floor(memoryMiB / 4)))}m,mode=1777,nosuid,nodev`;
}

/**
 * The default health probe: GET the health path on the container port with the first HTTP client
 * the image has (curl, wget, node, python3), healthy on 2xx and 3xx. A plain sh script (shellcheck
 * -s sh runs over it in the compose check); compose's own `$` are escaped by composeLiteral.
 */
export function healthProbe(port: number, healthPath: string): string {
  const url = `http://127.0.0.1:${port}${healthPath}`;
  return [
    `u=${shellQuote(url)}`,
    'if command -v curl >/dev/null 2>&1; then exec curl -fsS -o /dev/null --max-time 4 "$u"; fi',
    'if command -v wget >/dev/null 2>&1; then exec wget -q -O /dev/null -T 4 "$u"; fi',
    `if command -v node >/dev/null 2>&1; then exec node -e ${shellQuote(
      'require("http").get(process.argv[1], (r) => process.exit(r.statusCode < 400 ? 0 : 1)).on("error", () => process.exit(1))',
    )} "$u"; fi`,
    `if command -v python3 >/dev/null 2>&1; then exec python3 -c ${shellQuote(
      'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=4)',
    )} "$u"; fi`,
    'echo "no curl, wget, node or python3 in the image: set healthCommand in the manifest" >&2',
    'exit 1',
  ].join('\n');
}

/** The compose healthcheck of an app service: its healthCommand, or the probe of its health path. */
function appHealthcheck(s: LeanService): Record<string, unknown> | undefined {
  const svc = s.service;
  let test: string[];
  if (svc.healthCommand) test = ['CMD', ...svc.healthCommand];
  else if (svc.health !== undefined && svc.port !== undefined)
    test = ['CMD-SHELL', healthProbe(svc.port, svc.health)];
  else return undefined;
  return {
    test: test.map(composeLiteral),
    interval: '15s',
    timeout: '5s',
    retries: 3,
    start_period: '60s',
    start_interval: '2s',
  };
}

function appService(plan: Plan, lean: LeanPlan, s: LeanService): Record<string, unknown> {
  const svc = s.service;
  const dependsOn: Record<string, { condition: string }> = {};
  if (lean.postgres && svc.uses.includes('postgres')) dependsOn.postgres = { condition: 'service_healthy' };
  if (lean.redis && svc.uses.includes('redis')) dependsOn.redis = { condition: 'service_healthy' };
  const ports = hostPortsOf(s);
  const environment = Object.fromEntries(serviceEnvironment(lean, s).map((e) => [e.name, interpolate(e)]));
  return {
    image: imageOf(plan.manifest.name, s),
    profiles: [RELEASE_PROFILE],
    restart: 'unless-stopped',
    init: true,
    ...(svc.command && { command: svc.command.map(composeLiteral) }),
    ...(Object.keys(environment).length > 0 && { environment }),
    ...secretMounts(lean, svc.name),
    // The port range of the slot stackplan-release starts it on (the plan's hostPort by default).
    ...(ports.length > 0 &&
      svc.port !== undefined && {
        ports: [
          ports.length === 1
            ? `127.0.0.1:${composeDefault(portKey(svc.name), String(ports[0]))}:${svc.port}`
            : `127.0.0.1:${composeDefault(portKey(svc.name), String(ports[0]))}-${composeDefault(`${portKey(svc.name)}_LAST`, String(ports[ports.length - 1]))}:${svc.port}`,
        ],
      }),
    ...(Object.keys(dependsOn).length > 0 && { depends_on: dependsOn }),
    ...(s.copies > 1 && { deploy: { replicas: s.copies } }),
    mem_limit: `${s.memoryLimitMiB}m`,
    memswap_limit: `${s.memoryLimitMiB}m`,
    ...leastPrivilege(svc.user, svc.readonlyRootFilesystem, [tmpTmpfs(s.memoryLimitMiB)]),
    // A port below 1024 inside the container, without the NET_BIND_SERVICE capability: the
    // container's own network namespace lets unprivileged processes bind from that port up.
    ...(svc.port !== undefined &&
      svc.port < 1024 && { sysctls: { 'net.ipv4.ip_unprivileged_port_start': svc.port } }),
    ...((h) => h && { healthcheck: h })(appHealthcheck(s)),
    logging: logging(),
  };
}

/** PostgreSQL server settings from the plan; shared with rehearse. */
export function postgresSettings(lean: LeanPlan): string[] {
  const pg = lean.postgres!;
  return [
    `shared_buffers=${pg.sharedBuffersMiB}MB`,
    'max_connections=50',
    `effective_cache_size=${pg.sharedBuffersMiB * 2}MB`,
    'log_min_duration_statement=1000',
  ];
}

function postgresService(lean: LeanPlan): Record<string, unknown> {
  const pg = lean.postgres!;
  const image = POSTGRES_IMAGES[pg.version];
  if (!image) throw new Error(`no pinned PostgreSQL image for version ${pg.version}`);
  return {
    image,
    restart: 'unless-stopped',
    command: ['postgres', ...postgresSettings(lean).flatMap((x) => ['-c', x])],
    environment: {
      POSTGRES_DB: composeLiteral(pg.database),
      POSTGRES_USER: composeLiteral(pg.user),
      POSTGRES_PASSWORD_FILE: composeLiteral(`${CONTAINER_SECRETS_DIR}/POSTGRES_PASSWORD`),
      PGDATA: '/var/lib/postgresql/data/pgdata',
    },
    ...secretMounts(lean, 'postgres'),
    ports: ['127.0.0.1:5432:5432'],
    volumes: ['postgres-data:/var/lib/postgresql/data'],
    healthcheck: {
      test: ['CMD', 'pg_isready', '-U', pg.user, '-d', pg.database].map(composeLiteral),
      interval: '10s',
      timeout: '5s',
      retries: 5,
      start_period: '30s',
    },
    stop_grace_period: '60s',
    shm_size: '128m',
    mem_limit: `${pg.memoryMiB}m`,
    memswap_limit: `${pg.memoryMiB}m`,
    ...leastPrivilege(DATA_STORE_USERS.postgres, true, [
      `/var/run/postgresql:size=1m,uid=${DATA_STORE_USERS.postgres.uid},gid=${DATA_STORE_USERS.postgres.gid},mode=0775`,
      '/tmp:size=64m,mode=1777,nosuid,nodev',
    ]),
    logging: logging(),
  };
}

/** redis-server arguments (persistence and eviction from the plan); shared with rehearse. */
export function redisArguments(lean: LeanPlan): string[] {
  const r = lean.redis!;
  const evicting = r.role === 'cache';
  return [
    '--maxmemory',
    `${r.maxmemoryMiB}mb`,
    '--maxmemory-policy',
    evicting ? 'allkeys-lru' : 'noeviction',
    ...(r.persistence ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no']),
    '--save',
    r.persistence ? '3600 1' : '',
    // The backup copies a snapshot over the replication protocol (redis-cli --rdb); no replica
    // waits to share it, so do not hold the transfer for the default 5 s.
    '--repl-diskless-sync-delay',
    '0',
  ];
}

function redisService(lean: LeanPlan): Record<string, unknown> {
  const r = lean.redis!;
  return {
    image: REDIS_IMAGE,
    restart: 'unless-stopped',
    // The password is in the configuration file stackplan-secrets writes (requirepass), never on
    // the command line or in the environment.
    command: ['redis-server', `${CONTAINER_SECRETS_DIR}/redis.conf`, ...redisArguments(lean)].map(
      composeLiteral,
    ),
    ...secretMounts(lean, 'redis'),
    ports: ['127.0.0.1:6379:6379'],
    ...(r.persistence && { volumes: ['redis-data:/data'] }),
    healthcheck: {
      test: [
        'CMD-SHELL',
        `REDISCLI_AUTH="$(cat ${CONTAINER_SECRETS_DIR}/REDIS_PASSWORD)" redis-cli ping | grep -q PONG`,
      ].map(composeLiteral),
      interval: '10s',
      timeout: '5s',
      retries: 5,
      start_period: '10s',
    },
    mem_limit: `${Math.ceil(r.maxmemoryMiB * (r.persistence ? 1.5 : 1.25))}m`,
    ...leastPrivilege(DATA_STORE_USERS.redis, true, ['/tmp:size=16m,mode=1777,nosuid,nodev']),
    logging: logging(),
  };
}

/** The compose document as data (tests and checks read it without parsing YAML). */
export function composeDocument(plan: Plan): Record<string, unknown> {
  const lean = leanOf(plan);
  const services: Record<string, unknown> = {};
  for (const s of lean.services) {
    if (s.image.kind === 'none') continue;
    services[s.service.name] = appService(plan, lean, s);
  }
  const volumes: Record<string, unknown> = {};
  const bind = (dir: string) => ({
    driver: 'local',
    driver_opts: { type: 'none', o: 'bind', device: composeLiteral(dir) },
  });
  if (lean.postgres) {
    services.postgres = postgresService(lean);
    volumes['postgres-data'] = bind(`${lean.host.data}/postgres`);
  }
  if (lean.redis) {
    services.redis = redisService(lean);
    if (lean.redis.persistence) volumes['redis-data'] = bind(`${lean.host.data}/redis`);
  }
  const taken = new Map<number, string>();
  for (const s of lean.services) {
    for (const p of hostPortsOf(s)) {
      const other = taken.get(p);
      if (other) throw new Error(`host port ${p} is used by both ${other} and ${s.service.name}`);
      taken.set(p, s.service.name);
    }
  }
  const secrets = composeSecrets(lean);
  return {
    services,
    // One network for the data stores' project and each service's release projects.
    networks: { default: { name: composeLiteral(plan.manifest.name) } },
    ...(Object.keys(volumes).length > 0 && { volumes }),
    ...(Object.keys(secrets).length > 0 && { secrets }),
  };
}

export function renderCompose(plan: Plan): string {
  return toYaml(composeDocument(plan), [
    `${plan.manifest.name}: the containers of the lean host. Rendered by stackplan from the plan; do not edit.`,
    'stackplan-app.service starts the data stores (project <app>) and stackplan-release each app service (profile',
    '"release", project <app>-<service>-<slot>, on its slot\'s ports). Secrets are files',
    `stackplan-secrets writes from SSM under ${HOST_PATHS.secrets}/<service>/, mounted at /run/secrets/; no`,
    'secret is in this file or in a container environment. Ports are published on 127.0.0.1 only.',
  ]);
}
