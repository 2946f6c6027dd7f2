/**
 * Normalization: the parsed manifest with every shorthand expanded and every per-kind default
 * applied, so later stages never re-derive a default. Records which values were defaulted so
 * the plan can say why.
 */
import type {
  Availability,
  LogRetentionDays,
  ParsedManifest,
  PostgresSettings,
  RedisSettings,
  SearchSettings,
  ServiceInput,
  ServiceKind,
  TierName,
} from './schema.js';

export type Use = 'postgres' | 'redis' | 'search' | 'bedrock' | 'ses' | 'buckets';

export interface Service {
  name: string;
  kind: ServiceKind;
  image?: string;
  build?: string;
  /** static only: built files relative to build. */
  output?: string;
  port?: number;
  /** URL prefix routed to this service; undefined for internal services and workers. */
  route?: string;
  health?: string;
  /** Average vCPU. */
  cpu: number;
  /** MiB. */
  memory: number;
  replicas: { min: number; max: number };
  env: Record<string, string>;
  secrets: string[];
  websocket: boolean;
  arm64: boolean;
  /** lean, ecs: the non-root uid and gid the container runs as. */
  user: { uid: number; gid: number };
  /** lean, ecs: the image is mounted read-only (a tmpfs /tmp for writes). */
  readonlyRootFilesystem: boolean;
  /** lean, ecs: the health probe run inside the container, when the manifest gives one. */
  healthCommand?: string[];
  /** lean: seconds a new release may take to become healthy before stackplan-release abandons it. */
  releaseTimeout: number;
  command?: string[];
  /** Schema migration command, run once per deploy with the new image before the switch. */
  migrate?: string[];
  uses: Use[];
  spot: boolean;
  rehearse?: { command: string; cwd?: string };
  /** Fields whose value came from a default, for the plan's explanations. */
  defaulted: string[];
}

export interface Manifest {
  name: string;
  region: string;
  domain: string;
  aliases: string[];
  hostedZone?: { id: string; name: string };
  alarmEmail: string;
  adminCidr?: string;
  tier?: TierName;
  arch: 'auto' | 'x86_64' | 'arm64';
  availability: Availability;
  backups: { rpoHours: number; retentionDays: number };
  /** CloudWatch Logs: how long every log group keeps its events. */
  logs: { retentionDays: LogRetentionDays };
  traffic: { requestsPerMonth: number; gbOutPerMonth: number };
  egress: 'nat-gateway' | 'nat-instance' | 'endpoints';
  /** The Content-Security-Policy header of the web tier; false when the app sends its own. */
  contentSecurityPolicy: string | false;
  waf: boolean;
  services: Service[];
  postgres?: PostgresSettings & { database: string };
  redis?: RedisSettings;
  search?: SearchSettings & { nodes: number };
  buckets: { key: string; purpose?: string; storageGb?: number; versioned: boolean }[];
  integrations: {
    bedrock?: { models: { id: string; inputTokensPerMonth?: number; outputTokensPerMonth?: number }[] };
    ses?: { sender: string; emailsPerMonth?: number };
  };
  ci?: { repository: string; branch: string; oidcProvider: 'create' | 'existing' };
}

export const KIND_DEFAULTS: Record<
  ServiceKind,
  { cpu: number; memory: number; health?: string; route?: string }
> = {
  frontend: { cpu: 0.1, memory: 256, route: '/' },
  static: { cpu: 0, memory: 0, route: '/' },
  api: { cpu: 0.1, memory: 512, health: '/health', route: '/api/' },
  worker: { cpu: 0.1, memory: 512 },
  ml: { cpu: 0.5, memory: 2048, health: '/health' },
};

const BACKEND_KINDS: ReadonlySet<ServiceKind> = new Set(['api', 'worker', 'ml']);

function defaultUses(kind: ServiceKind, m: ParsedManifest): Use[] {
  if (!BACKEND_KINDS.has(kind)) return [];
  const uses: Use[] = [];
  if (m.postgres !== false) uses.push('postgres');
  if (m.redis !== false) uses.push('redis');
  if (m.search !== false) uses.push('search');
  if (m.integrations.bedrock) uses.push('bedrock');
  if (m.integrations.ses) uses.push('ses');
  if (Object.keys(m.buckets).length > 0) uses.push('buckets');
  return uses;
}

/** "1000" or "1000:1001" (validated) → ids; a uid alone means the same gid, never the root group. */
function parseUser(user: string): { uid: number; gid: number } {
  const [uid, gid] = user.split(':').map(Number) as [number, number | undefined];
  return { uid, gid: gid ?? uid };
}

export function normalizeService(name: string, s: ServiceInput, m: ParsedManifest): Service {
  const d = KIND_DEFAULTS[s.kind];
  const defaulted: string[] = [];
  const pick = <T>(field: string, value: T | undefined, fallback: T): T => {
    if (value !== undefined) return value;
    defaulted.push(field);
    return fallback;
  };
  if (s.replicas === undefined) defaulted.push('replicas');
  const replicas =
    s.replicas === undefined
      ? { min: 1, max: 1 }
      : typeof s.replicas === 'number'
        ? { min: s.replicas, max: s.replicas }
        : { ...s.replicas };
  const route = s.route ?? d.route;
  if (s.route === undefined && route !== undefined) defaulted.push('route');
  const health =
    s.kind === 'worker' || s.kind === 'static' ? undefined : (s.health ?? d.health ?? route ?? '/');
  if (s.health === undefined && health !== undefined) defaulted.push('health');
  if (s.kind === 'static' && s.output === undefined) defaulted.push('output');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.env)) env[k] = String(v);
  return {
    name,
    kind: s.kind,
    ...(s.image !== undefined && { image: s.image }),
    ...(s.build !== undefined && { build: s.build }),
    ...(s.kind === 'static' && { output: s.output ?? 'dist' }),
    ...(s.port !== undefined && { port: s.port }),
    ...(s.kind !== 'worker' && route !== undefined && { route }),
    ...(health !== undefined && { health }),
    cpu: pick('cpu', s.cpu, d.cpu),
    memory: pick('memory', s.memory, d.memory),
    replicas,
    env,
    secrets: [...s.secrets],
    websocket: s.websocket,
    arm64: s.arm64,
    user: parseUser(s.user),
    readonlyRootFilesystem: s.readonlyRootFilesystem,
    ...(s.healthCommand !== undefined && { healthCommand: [...s.healthCommand] }),
    releaseTimeout: s.releaseTimeout,
    ...(s.command !== undefined && { command: [...s.command] }),
    ...(s.migrate !== undefined && { migrate: [...s.migrate] }),
    uses: s.uses ? [...s.uses] : defaultUses(s.kind, m),
    spot: s.spot,
    ...(s.rehearse !== undefined && { rehearse: { ...s.rehearse } }),
    defaulted,
  };
}

const POSTGRES_DEFAULTS: PostgresSettings = { version: '16', storageGb: 20, memoryMb: 1024 };
const REDIS_DEFAULTS: RedisSettings = { persistence: false, role: 'cache', memoryMb: 128, engine: 'valkey' };
const SEARCH_DEFAULTS: SearchSettings = { storageGb: 10 };
/** Search data nodes when the manifest gives none: one per AZ the availability asks to survive. */
export const SEARCH_NODES_BY_AVAILABILITY: Record<Availability, number> = {
  'single-instance': 1,
  'multi-az': 2,
  'multi-az-ha': 3,
};

function expand<T extends object>(v: boolean | T, defaults: T): T | undefined {
  if (v === false) return undefined;
  if (v === true) return { ...defaults };
  return { ...defaults, ...v };
}

export function normalize(m: ParsedManifest): Manifest {
  const postgres = expand(m.postgres, POSTGRES_DEFAULTS);
  return {
    name: m.name,
    region: m.region,
    domain: m.domain,
    aliases: [...m.aliases],
    ...(m.hostedZone && { hostedZone: { id: m.hostedZone.id, name: m.hostedZone.name ?? m.domain } }),
    alarmEmail: m.alarmEmail,
    ...(m.adminCidr !== undefined && { adminCidr: m.adminCidr }),
    ...(m.tier !== undefined && { tier: m.tier }),
    arch: m.arch,
    availability: m.availability,
    backups: { ...m.backups },
    logs: { ...m.logs },
    traffic: { ...m.traffic },
    egress: m.egress,
    contentSecurityPolicy: m.contentSecurityPolicy,
    waf: m.waf,
    services: Object.entries(m.services)
      .map(([name, s]) => normalizeService(name, s, m))
      .sort((a, b) => a.name.localeCompare(b.name)),
    ...(postgres && { postgres: { ...postgres, database: postgres.database ?? m.name.replace(/-/g, '_') } }),
    ...(m.redis !== false && { redis: expand(m.redis, REDIS_DEFAULTS)! }),
    ...(m.search !== false && {
      search: ((s) => ({ ...s, nodes: s.nodes ?? SEARCH_NODES_BY_AVAILABILITY[m.availability] }))(
        expand(m.search, SEARCH_DEFAULTS)!,
      ),
    }),
    buckets: Object.entries(m.buckets)
      .map(([key, b]) => ({ key, ...b }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    integrations: {
      ...(m.integrations.bedrock && {
        bedrock: { models: m.integrations.bedrock.models.map((x) => ({ ...x })) },
      }),
      ...(m.integrations.ses && { ses: { ...m.integrations.ses } }),
    },
    ...(m.ci && { ci: { ...m.ci } }),
  };
}
