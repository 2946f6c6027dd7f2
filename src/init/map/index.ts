/**
 * compose project → manifest. Pure: reads only the project (and, for hints, the Dockerfiles and
 * proxy configuration files it names), returns the manifest as data with a comment per field
 * naming the compose line it came from, and the report: what was converted, what was ignored and
 * why, what needs attention, and what is fatal.
 *
 * The rules, in order: data stores (PostgreSQL and its extension images, Redis/Valkey/KeyDB,
 * Elasticsearch/OpenSearch, MinIO) become postgres:/redis:/search:/buckets:; stores stackplan
 * does not run, dev-only tools and reverse proxies are dropped with a warning; one-shot
 * migration services become `migrate:` on the service they prepare; every other service is an
 * HTTP service (published ports, a proxy in front, Traefik labels, an HTTP health check) — static,
 * frontend, api or, when nothing routes to it, an internal one — or a worker.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { formatLoc, isMapping, type Loc, locOf } from '../compose/located.js';
import { dependsOnMap, kvToMap } from '../compose/merge.js';
import type { ComposeProject, ComposeService, EnvVar } from '../compose/project.js';
import { argv, isDevServer, isMigrationCommand, ONE_SHOT_NAME, type Queue, workerSignal } from './command.js';
import { detectStaticSite, type StaticSite } from './dockerfile.js';
import {
  AWS_KEYS,
  hostsIn,
  isConnectionName,
  isLocationName,
  isSecretName,
  looksLikeSecretValue,
  PROVIDED,
  pointsAtLocalhost,
  portReferences,
  type StoreKind,
} from './env.js';
import { EXTENSIONS, LEAN_EXTENSIONS_NOTE } from './extensions.js';
import {
  classifyImage,
  type ImageRef,
  type ImageRole,
  isUnpinned,
  parseImage,
  postgresMajor,
} from './images.js';
import { HOST_CAPABILITIES, isFatalValue, SERVICE_KEYS, TOP_LEVEL_KEYS } from './keys.js';
import type { InitOptions, Mapping, ReportItem } from './types.js';
import { cpus, httpHealth, mebibytes, type PortSpec, parseExpose, parsePort, redisFlags } from './values.js';

export type { InitOptions, Mapping, ReportItem } from './types.js';

/** The tag written for an image compose ran as `latest` (or untagged): valid, and impossible to miss. */
export const UNPINNED_TAG = 'PIN-A-VERSION';

const SUPPORTED_PG = ['14', '15', '16', '17'];

interface Svc {
  c: ComposeService;
  name: string;
  config: Record<string, unknown>;
  img?: ImageRef;
  role?: ImageRole;
  cmd?: string[];
  cmdText: string;
  entrypoint?: string[];
  ports: PortSpec[];
  expose: number[];
  health?: { path?: string; port?: number };
  traefik?: { enabled: boolean; port?: number; paths: string[]; hosts: string[]; loc?: Loc };
  buildContext?: string;
  dockerfile?: string;
  envMap: Record<string, string | undefined>;
  hostnames: Set<string>;
  dependsOn: Record<string, Record<string, unknown>>;
}

interface AppDecision {
  svc: Svc;
  manifestName: string;
  kind: 'frontend' | 'static' | 'api' | 'worker' | 'ml';
  webFacing: boolean;
  port?: number;
  portWhy?: string;
  portLoc?: Loc;
  staticSite?: StaticSite;
  route?: string;
  routeWhy?: string;
  worker?: { queue?: Queue; scheduler: boolean; what: string };
  websocket?: boolean;
  migrate?: { command: string[]; from: Svc };
  proxied?: Proxied;
}

interface Proxied {
  proxy: string;
  port?: number;
  loc?: Loc;
  /** The path prefix the proxy routes to the service. */
  route?: string;
  /** The proxy strips the prefix (proxy_pass with a URI part). */
  strips?: boolean;
}

/** nginx `location` blocks (without nested blocks) that proxy_pass to a compose service. */
export function nginxLocations(
  text: string,
  services: readonly string[],
): Array<{ path: string; service: string; strips: boolean }> {
  const out: Array<{ path: string; service: string; strips: boolean }> = [];
  const upstreams = new Map<string, string>();
  for (const m of text.matchAll(/upstream\s+([\w.-]+)\s*\{([^}]*)\}/g)) {
    const server = /server\s+"?([\w.-]+)(?::\d+)?/.exec(m[2]!);
    if (server && services.includes(server[1]!)) upstreams.set(m[1]!, server[1]!);
  }
  for (const m of text.matchAll(/location\s+(?:\^~\s+)?(\/[^\s{]*)\s*\{([^{}]*)\}/g)) {
    const pass = /proxy_pass\s+https?:\/\/([\w.-]+)(?::\d+)?(\/[^;\s]*)?\s*;/.exec(m[2]!);
    if (!pass) continue;
    const service = services.includes(pass[1]!) ? pass[1]! : upstreams.get(pass[1]!);
    if (!service) continue;
    const p = m[1]!;
    const route = p.endsWith('/') ? p : `${p}/`;
    if (!/^\/([A-Za-z0-9._~-]+\/)*$/.test(route)) continue;
    out.push({ path: route, service, strips: pass[2] !== undefined && route !== '/' });
  }
  return out;
}

function labelsOf(config: Record<string, unknown>): Record<string, string> {
  const m = kvToMap(config.labels);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) out[k] = v === null || v === undefined ? '' : String(v);
  return out;
}

function traefikOf(config: Record<string, unknown>): Svc['traefik'] {
  const labels = labelsOf(config);
  const keys = Object.keys(labels).filter((k) => k.startsWith('traefik.'));
  if (!keys.length) return undefined;
  const enabled =
    labels['traefik.enable'] === undefined
      ? keys.some((k) => /\.rule$/.test(k))
      : /^true$/i.test(labels['traefik.enable']);
  let port: number | undefined;
  const paths: string[] = [];
  const hosts: string[] = [];
  for (const [k, v] of Object.entries(labels)) {
    if (/^traefik\.http\.services\..+\.loadbalancer\.server\.port$/.test(k)) port = Number(v) || port;
    if (/^traefik\.http\.routers\..+\.rule$/.test(k)) {
      for (const m of v.matchAll(/PathPrefix\(\s*[`'"]([^`'"]+)[`'"]/g)) paths.push(m[1]!);
      for (const m of v.matchAll(/Host\(\s*[`'"]([^`'"]+)[`'"]/g)) hosts.push(m[1]!);
    }
  }
  const loc = locOf(config, 'labels');
  return {
    enabled,
    ...(port && { port }),
    paths: [...new Set(paths)],
    hosts: [...new Set(hosts)],
    ...(loc && { loc }),
  };
}

function envMapOf(c: ComposeService): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const e of c.env) out[e.name] = e.value;
  return out;
}

function analyse(c: ComposeService): Svc {
  const config = c.config;
  const img = typeof config.image === 'string' && config.image.trim() ? parseImage(config.image) : undefined;
  const cmd = argv(config.command);
  const cmdText = cmd?.join(' ') ?? '';
  const role = classifyImage(img, c.name.toLowerCase(), cmdText);
  const entrypoint = argv(config.entrypoint);
  const ports = (Array.isArray(config.ports) ? config.ports : [])
    .map(parsePort)
    .filter((p): p is PortSpec => !!p);
  const hc = isMapping(config.healthcheck) ? config.healthcheck : undefined;
  const health = hc && hc.disable !== true ? httpHealth(hc.test) : undefined;
  const build = config.build;
  const buildContext =
    typeof build === 'string'
      ? build
      : isMapping(build) && typeof build.context === 'string'
        ? build.context
        : undefined;
  const dockerfile = isMapping(build) && typeof build.dockerfile === 'string' ? build.dockerfile : undefined;
  const hostnames = new Set<string>([c.name.toLowerCase()]);
  if (typeof config.hostname === 'string') hostnames.add(config.hostname.toLowerCase());
  if (typeof config.container_name === 'string') hostnames.add(config.container_name.toLowerCase());
  if (isMapping(config.networks)) {
    for (const n of Object.values(config.networks)) {
      if (isMapping(n) && Array.isArray(n.aliases))
        for (const a of n.aliases) hostnames.add(String(a).toLowerCase());
    }
  }
  const traefik = traefikOf(config);
  return {
    c,
    name: c.name,
    config,
    ...(img && { img }),
    ...(role && { role }),
    ...(cmd && { cmd }),
    cmdText,
    ...(entrypoint && { entrypoint }),
    ports,
    expose: parseExpose(config.expose),
    ...(health && { health }),
    ...(traefik && { traefik }),
    ...(buildContext !== undefined && { buildContext }),
    ...(dockerfile !== undefined && { dockerfile }),
    envMap: envMapOf(c),
    hostnames,
    dependsOn: config.depends_on === undefined ? {} : dependsOnMap(config.depends_on),
  };
}

/** A manifest-safe service name: lowercase letters, digits and -, starting with a letter. */
export function manifestServiceName(name: string, taken: Set<string>): string {
  let n = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  if (!/^[a-z]/.test(n)) n = `s-${n}`;
  n = n.slice(0, 31).replace(/-$/, '');
  let candidate = n || 'svc';
  for (let i = 2; taken.has(candidate); i++) candidate = `${n.slice(0, 28)}-${i}`;
  taken.add(candidate);
  return candidate;
}

/** A manifest-safe app name (3-32 characters). */
export function appName(raw: string): string {
  let n = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-$/, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  if (n.length < 3) n = n ? `${n}-app` : 'app';
  if (n.length < 3) n = 'my-app';
  return n;
}

/** URL settings that name the app's own address (as opposed to a service it calls). */
const SITE_URL_VARS = /(^|_)(PUBLIC|SITE|APP|BASE|FRONTEND|BACKEND|WEB|ORIGIN|ORIGINS|CORS|DOMAIN|HOST)(_|$)/;
/** Hosts of services apps call, never the app's own domain. */
const THIRD_PARTY =
  /(^|\.)(github\.com|githubusercontent\.com|gitlab\.com|googleapis\.com|google\.com|amazonaws\.com|sentry\.io|stripe\.com|openai\.com|anthropic\.com|slack\.com|twilio\.com|sendgrid\.net|mailgun\.org|cloudflare\.com|docker\.io|docker\.com|npmjs\.org|pypi\.org)$/;

/** Secrets that belong to another service: a random value will not do. */
const EXTERNAL_CREDENTIAL =
  /(STRIPE|SMTP|EMAIL|MAIL|SENTRY|GITHUB|GITLAB|GOOGLE|OPENAI|ANTHROPIC|TWILIO|SENDGRID|MAILGUN|POSTMARK|SLACK|DISCORD|OAUTH|CLIENT_SECRET|API_?KEY|DSN|WEBHOOK|PAYPAL|AZURE|GCP|FIREBASE|ALGOLIA|PUSHER|RECAPTCHA|HCAPTCHA|LDAP|S3|MINIO|OBJECT_STORAGE)/;

/** Variable names whose bare value (`db`, `redis:6379`) is a host name. */
const HOSTISH = /(HOST|HOSTNAME|SERVER|ADDR|ADDRESS|ENDPOINT|BACKEND|URL|URI|DSN|NODES?)$/i;

const HOSTNAME = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

function publicDomain(host: string): boolean {
  const h = host.toLowerCase();
  return (
    HOSTNAME.test(h) &&
    !/(^|\.)(localhost|local|test|internal|invalid|lan|home|example|docker)$/.test(h) &&
    !/(^|\.)example\.(com|org|net)$/.test(h) &&
    !/\.localhost\.|localtest\.me$|nip\.io$|sslip\.io$/.test(h) &&
    !/^\d+(\.\d+){3}$/.test(h)
  );
}

const UI_NAME =
  /(^|[-_/.\s])(frontend|front|ui|webui|web-ui|webapp|dashboard|client|storefront|www|site|portal|nextjs|next|nuxt|remix|svelte|sveltekit|spa|admin-ui)([-_/.\s]|$)/;
const API_NAME = /(^|[-_/.\s])(api|backend|server|graphql|rest|gateway|core|app)([-_/.\s]|$)/;
const ML_NAME =
  /(^|[-_/.\s])(ml|machine-learning|inference|model|models|ollama|triton|torchserve|tei|vllm|embeddings?)([-_/.\s]|$)/;
const WS_NAME =
  /(^|[-_/.\s])(streaming|stream|websockets?|socket|sockets|ws|realtime|cable|anycable|soketi|centrifugo|pusher|push)([-_/.\s]|$)/;

class Mapper {
  readonly report: ReportItem[] = [];
  readonly comments = new Map<string, string>();
  readonly header: string[] = [];
  private readonly svcs: Svc[];
  private readonly taken = new Set<string>();
  private readonly dropped = new Map<string, string>();

  constructor(
    private readonly project: ComposeProject,
    private readonly opts: InitOptions,
    private readonly outDir: string,
    private readonly cwd: string,
  ) {
    this.svcs = project.services.map(analyse);
  }

  private add(item: ReportItem): void {
    this.report.push(item);
  }

  private comment(manifestPath: string, loc: Loc | undefined, detail?: string): void {
    const where = loc ? `from ${formatLoc(loc)}` : '';
    const text = [where, detail].filter(Boolean).join(': ');
    if (text) this.comments.set(manifestPath, text);
  }

  private relPath(abs: string): string {
    const rel = path.relative(this.outDir, abs).split(path.sep).join('/');
    if (!rel) return '.';
    return rel.startsWith('..') || path.isAbsolute(rel) ? rel : `./${rel}`;
  }

  map(): Mapping {
    const manifest: Record<string, unknown> = {};
    this.topLevel();
    const stores = this.svcs.filter(
      (s) => s.role && ['postgres', 'redis', 'search', 'bucket'].includes(s.role.role),
    );
    const apps = this.svcs.filter(
      (s) =>
        !s.role ||
        !['postgres', 'redis', 'search', 'bucket', 'unsupported-store', 'dev-tool', 'proxy'].includes(
          s.role.role,
        ),
    );
    for (const s of this.svcs) this.dropNonApp(s);
    const off = apps.filter((s) => this.scaledToZero(s));
    const active = apps.filter((s) => !off.includes(s));

    // Data stores first: they decide which environment variables are connection settings.
    const pgs = stores.filter((s) => s.role?.role === 'postgres');
    const redises = stores.filter((s) => s.role?.role === 'redis');
    const searches = stores.filter((s) => s.role?.role === 'search');
    const minios = stores.filter((s) => s.role?.role === 'bucket');
    const pg = this.primary(pgs, active);
    const redis = this.primary(redises, active);
    const search = this.primary(searches, active);
    const storeHosts: Array<{ kind: StoreKind; hosts: Set<string>; name: string }> = [];
    for (const [kind, list] of [
      ['postgres', pgs],
      ['redis', redises],
      ['search', searches],
      ['bucket', minios],
    ] as const) {
      for (const s of list) storeHosts.push({ kind, hosts: s.hostnames, name: s.name });
    }

    const decisions = this.decideApps(active);
    const { name, domain } = this.identity(decisions);
    manifest.name = name.value;
    this.comment('name', name.loc, name.why);
    if (this.opts.region) manifest.region = this.opts.region;
    manifest.domain = domain.value;
    this.comment('domain', domain.loc, domain.why);
    if (domain.aliases?.length) {
      manifest.aliases = domain.aliases;
      this.comment('aliases', domain.loc, 'the other names in the same server_name');
    }
    manifest.alarmEmail = this.opts.alarmEmail ?? `ops@${domain.value}`;
    if (!this.opts.alarmEmail)
      this.comment('alarmEmail', undefined, 'where alarms go: replace with a mailbox someone reads');
    manifest.availability = this.opts.availability ?? 'single-instance';
    this.comment(
      'availability',
      undefined,
      this.opts.availability ? 'as asked' : 'one machine; multi-az survives the loss of an availability zone',
    );
    manifest.backups = { rpoHours: this.opts.rpoHours ?? 24 };
    this.comment(
      'backups.rpoHours',
      undefined,
      this.opts.rpoHours ? 'as asked' : 'most data (hours) you accept to lose: lower it for busier apps',
    );

    const services: Record<string, unknown> = {};
    const queues = new Set<Queue>();
    for (const d of decisions) {
      services[d.manifestName] = this.service(d, storeHosts);
      if (d.worker?.queue) queues.add(d.worker.queue);
    }
    manifest.services = services;

    const extensions: string[] = [];
    if (pg) {
      const out = this.postgres(pg, pgs, active);
      manifest.postgres = out.settings;
      extensions.push(...out.extensions);
    }
    if (redis) manifest.redis = this.redis(redis, redises, decisions, queues);
    if (search) manifest.search = this.search(search, searches);
    if (minios.length) {
      const buckets = this.buckets(minios, active);
      if (Object.keys(buckets).length) manifest.buckets = buckets;
    }
    const onRds = extensions.filter((e) => EXTENSIONS[e]?.rds);
    if (onRds.length && extensions.every((e) => EXTENSIONS[e]?.rds)) {
      manifest.tier = 'ecs';
      this.comment(
        'tier',
        pg ? locOf(pg.config, 'image') : undefined,
        `${onRds.join(', ')} needs RDS: the lean tier's PostgreSQL image has no ${onRds.length > 1 ? 'such extensions' : 'such extension'}`,
      );
    }
    if (Object.keys(services).length === 0) {
      this.add({
        kind: 'fatal',
        message:
          'no service to deploy: every service in the compose file is a data store, a dev tool or a proxy',
        fix: 'convert the compose file that runs your application, or start from questions: stackplan init (without --from-compose)',
      });
    }
    return { manifest: ordered(manifest), comments: this.comments, header: this.header, report: this.report };
  }

  private topLevel(): void {
    const files = this.project.files.join(', ');
    this.header.push(
      `Generated by stackplan init from ${files}.`,
      'Each field says which compose line it came from; check the ones marked guessed, then run:',
      '  stackplan validate stackplan.yaml && stackplan plan stackplan.yaml',
    );
    for (const d of this.project.disabled) {
      this.add({
        kind: 'ignored',
        service: d.name,
        ...(d.loc && { loc: d.loc }),
        message: `in profile ${d.profiles.join(', ')}, which is not active`,
        fix: `pass --profile ${d.profiles[0]} to include it`,
      });
    }
    for (const t of this.project.topKeys) {
      if (t.key.startsWith('x-') || t.key === 'services' || t.key === 'name' || t.key === 'include') continue;
      const why = TOP_LEVEL_KEYS[t.key] ?? 'no stackplan equivalent';
      this.add({ kind: 'ignored', key: t.key, ...(t.loc && { loc: t.loc }), message: why });
    }
    for (const u of this.project.unset) {
      this.add({
        kind: 'attention',
        loc: u.loc,
        message: `\${${u.name}} is not set (in the environment or ${this.project.envFileShown ?? '.env'}), so compose would use a blank value; so did the conversion`,
        fix: `set ${u.name} and run stackplan init again if the value matters`,
      });
    }
  }

  /** Data stores stackplan does not run, dev tools and proxies: one report line each. */
  private dropNonApp(s: Svc): void {
    const r = s.role;
    if (!r) return;
    const loc = s.c.loc;
    if (r.role === 'unsupported-store') {
      this.dropped.set(s.name, r.what);
      this.add({
        kind: 'attention',
        service: s.name,
        ...(loc && { loc }),
        message: `${r.what} (${s.img?.ref}): stackplan does not run it, so it is not converted and the app will not find it`,
        fix: r.suggestion,
      });
    } else if (r.role === 'dev-tool') {
      this.dropped.set(s.name, r.what);
      this.add({ kind: 'ignored', service: s.name, ...(loc && { loc }), message: `${r.what}: not deployed` });
    } else if (r.role === 'proxy') {
      this.dropped.set(s.name, `the ${r.what} proxy`);
      this.add({
        kind: 'ignored',
        service: s.name,
        ...(loc && { loc }),
        message: `${r.what} reverse proxy: stackplan provides the edge (nginx with Let's Encrypt on lean, ALB and CloudFront on ecs), TLS included`,
      });
    }
  }

  private scaledToZero(s: Svc): boolean {
    const deploy = isMapping(s.config.deploy) ? s.config.deploy : {};
    const replicas = deploy.replicas ?? s.config.scale;
    if (replicas !== undefined && Number(replicas) === 0) {
      const loc = locOf(deploy, 'replicas') ?? locOf(s.config, 'scale');
      this.add({
        kind: 'ignored',
        service: s.name,
        ...(loc && { loc }),
        message: 'scaled to 0 replicas in compose: not converted',
      });
      return true;
    }
    return false;
  }

  /** The store the app uses most (most depends_on, then the conventional name, then file order). */
  private primary(list: Svc[], apps: Svc[]): Svc | undefined {
    if (list.length === 0) return undefined;
    const score = (s: Svc) => apps.filter((a) => s.name in a.dependsOn).length;
    return [...list].sort((a, b) => score(b) - score(a))[0];
  }

  private identity(decisions: AppDecision[]): {
    name: { value: string; loc?: Loc; why?: string };
    domain: { value: string; loc?: Loc; why?: string; aliases?: string[] };
  } {
    let name: { value: string; loc?: Loc; why?: string };
    if (this.opts.name) name = { value: appName(this.opts.name), why: 'from --name' };
    else if (this.project.name) {
      name = {
        value: appName(this.project.name),
        ...(this.project.nameLoc ? { loc: this.project.nameLoc } : { why: 'from COMPOSE_PROJECT_NAME' }),
      };
    } else
      name = { value: appName(path.basename(this.project.dir)), why: 'the compose project directory name' };
    if (this.opts.domain) return { name, domain: { value: this.opts.domain, why: 'from --domain' } };
    // A public host name the compose project already uses: a proxy's server_name, Traefik Host()
    // rules, settings named like a domain, then any URL in the services' environment.
    for (const p of this.svcs.filter((s) => s.role?.role === 'proxy')) {
      for (const t of this.mountedTexts(p)) {
        for (const m of t.text.matchAll(/^\s*server_name\s+([^;]+);/gm)) {
          const names = m[1]!
            .split(/\s+/)
            .map((n) => n.toLowerCase())
            .filter(publicDomain);
          const first = names.find((n) => !n.startsWith('www.')) ?? names[0];
          if (!first) continue;
          const aliases = names.filter((n) => n !== first);
          return {
            name,
            domain: {
              value: first,
              ...(t.loc && { loc: t.loc }),
              why: `server_name in ${p.name}'s configuration`,
              ...(aliases.length && { aliases }),
            },
          };
        }
      }
    }
    for (const d of decisions) {
      for (const h of d.svc.traefik?.hosts ?? []) {
        const host = h.replace(/^(api|www|dashboard|app|admin)\./, '');
        if (publicDomain(host))
          return {
            name,
            domain: {
              value: host,
              ...(d.svc.traefik?.loc && { loc: d.svc.traefik.loc }),
              why: 'a Traefik Host rule',
            },
          };
      }
    }
    const DOMAIN_VARS =
      /^(DOMAIN|APP_DOMAIN|LOCAL_DOMAIN|WEB_DOMAIN|SITE_DOMAIN|VIRTUAL_HOST|LETSENCRYPT_HOST|SERVER_NAME|SITE_URL|APP_URL|BASE_URL|PUBLIC_URL|FRONTEND_URL|FRONTEND_HOST|WEB_URL|NEXTAUTH_URL|ROOT_URL|HOST_URL)$/;
    const hostOf = (v: string) =>
      (/^[a-z]+:\/\/([^/:]+)/i.exec(v)?.[1] ?? v.split(',')[0]!)
        .trim()
        .toLowerCase()
        .replace(/^www\./, '');
    for (const pass of [0, 1]) {
      for (const d of decisions) {
        for (const e of d.svc.c.env) {
          if (!e.value) continue;
          if (
            pass === 0
              ? !DOMAIN_VARS.test(e.name)
              : !SITE_URL_VARS.test(e.name) || !/^https?:\/\//.test(e.value)
          )
            continue;
          if (isSecretName(e.name) || looksLikeSecretValue(e.value)) continue;
          const host = hostOf(e.value);
          if (publicDomain(host) && !THIRD_PARTY.test(host))
            return { name, domain: { value: host, ...(e.loc && { loc: e.loc }), why: e.name } };
        }
      }
    }
    return {
      name,
      domain: {
        value: `${name.value}.example.com`,
        why: 'a placeholder: set the domain the app answers on (--domain)',
      },
    };
  }

  // ---- applications ----

  private decideApps(apps: Svc[]): AppDecision[] {
    const proxied = this.proxiedServices(apps);
    const referenced = this.referencedPorts(apps);
    const migrations = new Map<Svc, Svc>();
    const rest: Svc[] = [];
    for (const s of apps) {
      const target = this.migrationTarget(s, apps);
      if (target) migrations.set(s, target);
      else rest.push(s);
    }
    const out: AppDecision[] = [];
    for (const s of rest) {
      const published = s.ports.filter((p) => p.published !== undefined && p.protocol === 'tcp');
      const viaProxy = proxied.get(s.name);
      const webFacing = published.length > 0 || s.traefik?.enabled === true || viaProxy !== undefined;
      const httpEvidence =
        webFacing || s.expose.length > 0 || s.health !== undefined || referenced.has(s.name);
      const worker = workerSignal(`${s.entrypoint?.join(' ') ?? ''} ${s.cmdText}`, s.envMap);
      if (
        !httpEvidence ||
        (worker && published.length === 0 && !s.traefik?.enabled && viaProxy === undefined)
      ) {
        if (s.c.mergedIntoOthers && !s.cmd && !worker) {
          this.add({
            kind: 'ignored',
            service: s.name,
            ...(s.c.loc && { loc: s.c.loc }),
            message:
              'a template other services merge in (<<:), with no ports and no command of its own: not converted',
            fix: `if ${s.name} really runs on its own, give it a command and run stackplan init again`,
          });
          continue;
        }
        out.push({
          svc: s,
          manifestName: manifestServiceName(s.name, this.taken),
          kind: 'worker',
          webFacing: false,
          worker: worker ?? {
            scheduler: false,
            what: s.cmd ? 'a background process' : "the image's default command",
          },
        });
        continue;
      }
      const d: AppDecision = {
        svc: s,
        manifestName: manifestServiceName(s.name, this.taken),
        kind: 'api',
        webFacing,
        ...(viaProxy && { proxied: viaProxy }),
      };
      // Port: Traefik's, the proxy's, the published one matching the health check, exposed, health check.
      const hp = s.health?.port;
      const pick =
        s.traefik?.port !== undefined
          ? { port: s.traefik.port, why: 'the Traefik service port', loc: s.traefik.loc }
          : viaProxy?.port !== undefined
            ? { port: viaProxy.port, why: `the port ${viaProxy.proxy} forwards to`, loc: viaProxy.loc }
            : published.length
              ? {
                  port: (
                    published.find((p) => p.target === hp) ??
                    published.find((p) => [80, 8080, 3000, 8000, 5000, 4000, 9000].includes(p.target)) ??
                    published[0]!
                  ).target,
                  why: 'the container port of ports:',
                  loc: locOf(s.config, 'ports'),
                }
              : s.expose.length
                ? { port: s.expose[0]!, why: 'expose:', loc: locOf(s.config, 'expose') }
                : hp !== undefined
                  ? { port: hp, why: 'the port its health check calls', loc: locOf(s.config, 'healthcheck') }
                  : referenced.has(s.name)
                    ? {
                        port: referenced.get(s.name)!.port,
                        why: `the port ${referenced.get(s.name)!.by} uses to reach it`,
                        loc: referenced.get(s.name)!.loc,
                      }
                    : this.portSetting(s);
      if (pick) {
        d.port = pick.port;
        d.portWhy = pick.why;
        if (pick.loc) d.portLoc = pick.loc;
      }
      const site = s.buildContext ? detectStaticSite(s.buildContext, s.dockerfile) : undefined;
      const hay =
        `${s.name} ${s.img?.repository ?? ''} ${s.buildContext ? path.basename(s.buildContext) : ''} ${s.dockerfile ?? ''}`.toLowerCase();
      if (site) {
        d.kind = 'static';
        d.staticSite = site;
      } else if (ML_NAME.test(hay)) d.kind = 'ml';
      else if (UI_NAME.test(hay) && !API_NAME.test(s.name.toLowerCase())) d.kind = 'frontend';
      else d.kind = 'api';
      if (WS_NAME.test(`${s.name} ${s.img?.base ?? ''}`.toLowerCase()) && d.kind !== 'static')
        d.websocket = true;
      if (d.port === undefined && d.kind !== 'static') {
        this.add({
          kind: 'attention',
          service: s.name,
          ...(s.c.loc && { loc: s.c.loc }),
          message: 'serves HTTP but no port could be read from compose: 8080 was assumed',
          fix: `set services.${d.manifestName}.port to the port the container listens on`,
        });
        d.port = 8080;
        d.portWhy = 'assumed';
      }
      out.push(d);
    }
    // Nothing published a port (everything sat behind an override or a proxy we could not read):
    // the HTTP services are the site.
    const http = out.filter((d) => d.kind !== 'worker');
    if (http.length && !http.some((d) => d.webFacing)) {
      for (const d of http) d.webFacing = true;
      this.add({
        kind: 'attention',
        message: `no service publishes a port; ${http.map((d) => d.svc.name).join(', ')} ${http.length > 1 ? 'answer' : 'answers'} HTTP, so ${http.length > 1 ? 'they are' : 'it is'} routed from the internet`,
        fix: 'check the routes in the manifest; compose files that publish ports in an override should be converted with both files (-f base -f override)',
      });
    }
    for (const d of out) {
      if (d.kind !== 'worker' && !d.webFacing && d.kind !== 'static') d.kind = 'ml';
    }
    this.assignRoutes(out);
    // Migrations on the service they prepare.
    for (const [m, target] of migrations) {
      const d = out.find((x) => x.svc === target);
      const cmd = [...(m.entrypoint ?? []), ...(m.cmd ?? [])];
      if (!d || !cmd.length || d.kind === 'static') {
        this.add({
          kind: 'attention',
          service: m.name,
          ...(m.c.loc && { loc: m.c.loc }),
          message:
            'a one-shot setup job: stackplan runs only database migrations (migrate:) before each deploy, and found no service to attach it to',
          fix: 'run it by hand once after the first deploy',
        });
        continue;
      }
      if (d.migrate) {
        this.add({
          kind: 'attention',
          service: m.name,
          ...(m.c.loc && { loc: m.c.loc }),
          message: `a second migration job for ${target.name} (CI runs one per deploy): not converted`,
          fix: `chain it into services.${d.manifestName}.migrate (e.g. [sh, -c, "first && second"])`,
        });
        continue;
      }
      d.migrate = { command: cmd, from: m };
    }
    // A migration job that other services do not depend on may still be the only one: every app
    // service keeps its place.
    return out;
  }

  /** Services a dropped reverse proxy sends traffic to, with the port from its config if it names one. */
  private proxiedServices(apps: Svc[]): Map<string, Proxied> {
    const out = new Map<string, Proxied>();
    const names = apps.map((a) => a.name);
    for (const p of this.svcs.filter((s) => s.role?.role === 'proxy')) {
      const mounted = this.mountedTexts(p);
      const texts = [
        ...mounted,
        ...Object.values(p.envMap)
          .filter((v): v is string => !!v)
          .map((v) => ({ text: v, loc: locOf(p.config, 'environment') })),
      ];
      let found = false;
      for (const t of texts) {
        for (const ref of portReferences(t.text, names)) {
          found = true;
          if (!out.has(ref.service))
            out.set(ref.service, { port: ref.port, proxy: p.name, ...(t.loc && { loc: t.loc }) });
        }
      }
      // nginx `location /prefix/ { proxy_pass http://service…; }`: the path the proxy routes.
      for (const t of mounted) {
        for (const loc of nginxLocations(t.text, names)) {
          const entry = out.get(loc.service) ?? { proxy: p.name, ...(t.loc && { loc: t.loc }) };
          if (entry.route === undefined || loc.path.length < entry.route.length) {
            entry.route = loc.path;
            entry.strips = loc.strips;
          }
          out.set(loc.service, entry);
          found = true;
        }
      }
      // Without a readable configuration, what the proxy waits for is what it serves.
      if (!found) {
        for (const dep of Object.keys(p.dependsOn)) {
          if (names.includes(dep) && !out.has(dep)) out.set(dep, { proxy: p.name });
        }
      }
    }
    return out;
  }

  /** The port a service is told to listen on by its own environment (PORT, APP_PORT, DIFY_PORT …). */
  private portSetting(s: Svc): { port: number; why: string; loc?: Loc } | undefined {
    const candidates = s.c.env.filter(
      (e) =>
        /^([A-Z0-9]+_)?(HTTP_|LISTEN_|SERVER_|APP_|WEB_)?PORT$/.test(e.name) &&
        /^\d{2,5}$/.test(e.value ?? '') &&
        !(['postgres', 'redis', 'search', 'bucket'] as const).some((k) => isConnectionName(e.name, k)),
    );
    const e = candidates.find((c) => c.name === 'PORT') ?? candidates[0];
    if (!e) return undefined;
    return { port: Number(e.value), why: `its ${e.name} setting`, ...(e.loc && { loc: e.loc }) };
  }

  /** `svc:port` mentions of app services in other services' env and mounted files: internal HTTP. */
  private referencedPorts(apps: Svc[]): Map<string, { port: number; by: string; loc?: Loc }> {
    const out = new Map<string, { port: number; by: string; loc?: Loc }>();
    const names = apps.map((a) => a.name);
    for (const s of apps) {
      const texts = [
        ...this.mountedTexts(s),
        ...s.c.env.filter((e) => e.value).map((e) => ({ text: e.value!, ...(e.loc && { loc: e.loc }) })),
      ];
      for (const t of texts) {
        for (const ref of portReferences(
          t.text,
          names.filter((n) => n !== s.name),
        )) {
          if (!out.has(ref.service))
            out.set(ref.service, { port: ref.port, by: s.name, ...(t.loc && { loc: t.loc }) });
        }
      }
    }
    return out;
  }

  /** Small text files bind-mounted into a service (configuration), with where they are mounted. */
  private mountedTexts(s: Svc): Array<{ text: string; loc?: Loc }> {
    const out: Array<{ text: string; loc?: Loc }> = [];
    const vols = Array.isArray(s.config.volumes) ? s.config.volumes : [];
    vols.forEach((v, i) => {
      const src =
        typeof v === 'string' ? v.split(':')[0]! : isMapping(v) && v.type === 'bind' ? String(v.source) : '';
      if (!src.startsWith('/')) return;
      try {
        const st = statSync(src);
        if (!st.isFile() || st.size > 256 * 1024) return;
        const text = readFileSync(src, 'utf8');
        const l = locOf(vols, i);
        out.push({ text, ...(l && { loc: l }) });
      } catch {
        // Not on this machine: nothing to learn from it.
      }
    });
    return out;
  }

  private migrationTarget(s: Svc, apps: Svc[]): Svc | undefined {
    const text = `${s.entrypoint?.join(' ') ?? ''} ${s.cmdText}`;
    const dependents = apps.filter(
      (a) =>
        a !== s &&
        (a.dependsOn[s.name] as { condition?: string } | undefined)?.condition ===
          'service_completed_successfully',
    );
    const restart = String(s.config.restart ?? 'no');
    const oneShot =
      dependents.length > 0 ||
      ((ONE_SHOT_NAME.test(s.name.toLowerCase()) || isMigrationCommand(text)) &&
        /^(no|on-failure.*)$/.test(restart) &&
        s.ports.length === 0);
    if (!oneShot) return undefined;
    if (!isMigrationCommand(text) && !ONE_SHOT_NAME.test(s.name.toLowerCase()) && dependents.length === 0)
      return undefined;
    const sameSource = (a: Svc) =>
      (s.buildContext !== undefined && a.buildContext === s.buildContext && a.dockerfile === s.dockerfile) ||
      (s.img !== undefined && a.img?.ref === s.img.ref);
    return dependents.find(sameSource) ?? dependents[0] ?? apps.find((a) => a !== s && sameSource(a));
  }

  private assignRoutes(ds: AppDecision[]): void {
    const routed = ds.filter((d) => d.webFacing && d.kind !== 'worker' && d.kind !== 'ml');
    const used = new Set<string>();
    const set = (d: AppDecision, route: string, why: string) => {
      d.route = route;
      d.routeWhy = why;
      used.add(route);
    };
    // Explicit path rules first: Traefik's PathPrefix, the proxy's location blocks.
    for (const d of routed) {
      const p = d.svc.traefik?.paths[0];
      if (p) set(d, p.endsWith('/') ? p : `${p}/`, 'from a Traefik PathPrefix rule');
      else if (d.proxied?.route && !used.has(d.proxied.route)) {
        set(d, d.proxied.route, `the location ${d.proxied.proxy} routes to it`);
      }
    }
    const rest = routed.filter((d) => !d.route);
    if (!rest.length) return;
    if (routed.length === 1 && !used.has('/')) {
      set(rest[0]!, '/', 'the only web-facing service');
      return;
    }
    // The site root: a frontend or static site if there is exactly one, else the main service.
    const uis = rest.filter((d) => d.kind === 'frontend' || d.kind === 'static');
    const rootPick =
      uis.length === 1
        ? uis[0]
        : uis.length === 0
          ? [...rest].sort((a, b) => this.rootScore(b) - this.rootScore(a))[0]
          : undefined;
    if (rootPick && !used.has('/')) set(rootPick, '/', 'the site root (guessed)');
    for (const d of rest) {
      if (d.route) continue;
      const name = d.svc.name.toLowerCase();
      const healthDir = d.svc.health?.path
        ? path.posix.dirname(d.svc.health.path.replace(/\/$/, ''))
        : undefined;
      let route: string;
      let why: string;
      if (/^(api|backend|server)$/.test(name) || /(^|[-_])api$/.test(name)) {
        route = '/api/';
        why = 'guessed from the service name';
      } else if (healthDir && healthDir !== '/' && healthDir.split('/').length > 2) {
        route = `${healthDir}/`;
        why = 'guessed from its health check path';
      } else {
        route = `/${d.manifestName}/`;
        why = 'guessed: compose does not say which paths it serves';
      }
      for (let i = 2; used.has(route); i++) route = `/${d.manifestName}-${i}/`;
      set(d, route, why);
    }
  }

  /** How likely a service is the one behind "/": its name, being depended on, a root health check. */
  private rootScore(d: AppDecision): number {
    const n = d.svc.name.toLowerCase();
    let score = 0;
    if (/^(web|app|site|main|www|frontend|server)$/.test(n) || n === this.project.name?.toLowerCase())
      score += 4;
    if (/(^|[-_])api$|^api|backend/.test(n)) score -= 2;
    if (d.svc.health?.path && path.posix.dirname(d.svc.health.path) === '/') score += 1;
    score += this.svcs.filter((s) => d.svc.name in s.dependsOn).length;
    if (d.svc.ports.some((p) => [80, 443, 3000, 8000, 8080].includes(p.target))) score += 1;
    return score;
  }

  private service(
    d: AppDecision,
    stores: Array<{ kind: StoreKind; hosts: Set<string>; name: string }>,
  ): Record<string, unknown> {
    const s = d.svc;
    const base = `services.${d.manifestName}`;
    const out: Record<string, unknown> = { kind: d.kind };
    const c = s.config;
    const why =
      d.kind === 'worker'
        ? `runs ${d.worker?.what ?? 'in the background'}, no ports`
        : d.kind === 'static'
          ? `a static site: ${path.basename(d.staticSite!.dockerfile)} copies a built folder into a file server`
          : d.kind === 'ml' && !d.webFacing
            ? 'HTTP that nothing routes to from outside (ml is the manifest kind for an HTTP service without a public route)'
            : d.kind === 'ml'
              ? 'a model-serving service (by its name)'
              : d.kind === 'frontend'
                ? 'a web frontend (by its name)'
                : 'an HTTP service';
    this.comment(`${base}.kind`, s.c.loc, `service ${s.name}, ${why}`);
    this.add({
      kind: 'converted',
      service: s.name,
      ...(s.c.loc && { loc: s.c.loc }),
      message: `→ services.${d.manifestName} (${d.kind}${d.port !== undefined && d.kind !== 'static' && d.kind !== 'worker' ? `, port ${d.port}` : ''}${d.route ? `, route ${d.route}` : ''})`,
    });
    if (d.manifestName !== s.name) {
      this.add({
        kind: 'attention',
        service: s.name,
        ...(s.c.loc && { loc: s.c.loc }),
        message: `renamed to ${d.manifestName}: manifest service names are lowercase letters, digits and -`,
      });
    }
    // Source: build wins over image (CI builds and pushes it); image kept pinned.
    if (d.kind === 'static') {
      out.build = this.relPath(d.staticSite!.buildDir);
      this.comment(
        `${base}.build`,
        locOf(c, 'build'),
        `the directory ${path.basename(d.staticSite!.dockerfile)} builds in`,
      );
      out.output = d.staticSite!.output;
      this.comment(`${base}.output`, {
        file: this.display(d.staticSite!.dockerfile),
        line: d.staticSite!.line,
        col: 1,
      });
    } else if (
      s.buildContext !== undefined &&
      !/^[a-z]+:\/\//.test(s.buildContext) &&
      !s.buildContext.startsWith('git@')
    ) {
      out.build = this.relPath(s.buildContext);
      this.comment(`${base}.build`, locOf(c, 'build'));
      this.buildNotes(d);
    } else if (s.img) {
      out.image = this.pinned(s, d.manifestName);
    } else {
      this.add({
        kind: 'attention',
        service: s.name,
        ...(s.c.loc && { loc: s.c.loc }),
        message: `builds from ${String(s.buildContext ?? 'nowhere')}, which stackplan cannot build from`,
        fix: `set services.${d.manifestName}.build to a local directory, or image to a pinned image`,
      });
      out.image = `${d.manifestName}:${UNPINNED_TAG}`;
    }
    if (d.kind !== 'static' && d.kind !== 'worker' && d.port !== undefined) {
      out.port = d.port;
      this.comment(`${base}.port`, d.portLoc, d.portWhy);
    }
    if (d.route) {
      out.route = d.route;
      this.comment(`${base}.route`, d.svc.traefik?.paths.length ? d.svc.traefik.loc : undefined, d.routeWhy);
      if (/guessed/.test(d.routeWhy ?? '') && d.route !== '/') {
        this.add({
          kind: 'attention',
          service: s.name,
          ...(s.c.loc && { loc: s.c.loc }),
          message: `route ${d.route} is a guess (${d.routeWhy?.replace(/^guessed:? ?/, '') || 'compose has no path routing'})`,
          fix: `set services.${d.manifestName}.route to the path prefix ${s.name} serves`,
        });
      }
    }
    if (d.proxied?.strips && d.route === d.proxied.route) {
      this.add({
        kind: 'attention',
        service: s.name,
        ...(d.proxied.loc && { loc: d.proxied.loc }),
        message: `${d.proxied.proxy} removed ${d.route} before passing requests on (proxy_pass with a path); stackplan forwards the full path`,
        fix: `make ${s.name} answer under ${d.route} (most frameworks have a base-path setting)`,
      });
    }
    if (d.svc.traefik?.hosts.length && d.kind !== 'worker') {
      this.add({
        kind: 'attention',
        service: s.name,
        ...(d.svc.traefik.loc && { loc: d.svc.traefik.loc }),
        message: `Traefik routed it by host name (${d.svc.traefik.hosts.join(', ')}); stackplan serves one domain and routes by path${d.route ? ` (${d.route})` : ''}`,
        fix: 'point the URLs the app and its clients use at the domain and route in the manifest',
      });
    }
    if (
      d.kind !== 'worker' &&
      d.kind !== 'static' &&
      s.health?.path &&
      /^\/[A-Za-z0-9._~\-/]*$/.test(s.health.path)
    ) {
      out.health = s.health.path;
      this.comment(`${base}.health`, locOf(c, 'healthcheck'));
    }
    if (d.websocket) {
      out.websocket = true;
      this.comment(`${base}.websocket`, s.c.loc, 'guessed from the name: it serves WebSockets');
    }
    this.resources(d, out, base);
    if (d.kind !== 'static') {
      const cmd = s.cmd;
      if (cmd?.length) {
        out.command = cmd;
        this.comment(`${base}.command`, locOf(c, 'command'));
        if (isDevServer(cmd.join(' '))) {
          this.add({
            kind: 'attention',
            service: s.name,
            ...(locOf(c, 'command') && { loc: locOf(c, 'command')! }),
            message: `the command runs a development server (${cmd.join(' ')})`,
            fix: "set command: to the production server, or remove it to use the image's own",
          });
        }
      }
      if (s.entrypoint?.length) {
        this.add({
          kind: 'attention',
          service: s.name,
          ...(locOf(c, 'entrypoint') && { loc: locOf(c, 'entrypoint')! }),
          message: `entrypoint ${s.entrypoint.join(' ')} is not converted: the manifest overrides the command only`,
          fix: 'set the ENTRYPOINT in the Dockerfile, or fold it into command',
        });
      }
      if (d.worker?.scheduler) {
        this.add({
          kind: 'attention',
          service: s.name,
          ...(s.c.loc && { loc: s.c.loc }),
          message: `runs a scheduler (${d.worker.what}): keep it at one replica, or scheduled jobs run twice`,
        });
      }
    }
    if (d.migrate) {
      out.migrate = d.migrate.command;
      const m = d.migrate.from;
      this.comment(
        `${base}.migrate`,
        locOf(m.config, 'command') ?? m.c.loc,
        `the one-shot ${m.name} service`,
      );
      this.add({
        kind: 'converted',
        service: m.name,
        ...(m.c.loc && { loc: m.c.loc }),
        message: `→ services.${d.manifestName}.migrate (CI runs it once per deploy on ecs, before the services update)`,
      });
    }
    if (d.kind !== 'static') this.environment(d, out, base, stores);
    this.keys(d);
    return out;
  }

  private display(abs: string): string {
    const rel = path.relative(this.cwd, abs);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
  }

  private buildNotes(d: AppDecision): void {
    const s = d.svc;
    const b = s.config.build;
    if (!isMapping(b)) return;
    const loc = locOf(s.config, 'build');
    if (typeof b.dockerfile === 'string' && b.dockerfile !== 'Dockerfile') {
      this.add({
        kind: 'attention',
        service: s.name,
        ...(loc && { loc }),
        message: `builds with ${b.dockerfile}, but stackplan's CI builds <build>/Dockerfile`,
        fix: `move the Dockerfile to ${this.relPath(path.join(s.buildContext!, 'Dockerfile'))} (or point build: at the directory that holds it)`,
      });
    }
    for (const k of ['args', 'target', 'secrets', 'ssh', 'additional_contexts']) {
      if (b[k] !== undefined) {
        this.add({
          kind: 'attention',
          service: s.name,
          ...(locOf(b, k) && { loc: locOf(b, k)! }),
          message: `build.${k} is not converted: CI runs a plain docker build of the directory`,
          fix:
            k === 'args'
              ? 'give the build arguments defaults in the Dockerfile (ARG NAME=value)'
              : 'make the default build produce the image you deploy',
        });
      }
    }
  }

  private pinned(s: Svc, manifestName: string): string {
    const img = s.img!;
    const loc = locOf(s.config, 'image');
    if (isUnpinned(img)) {
      const at = img.ref.lastIndexOf('/');
      const colon = img.ref.lastIndexOf(':');
      const repo = colon > at ? img.ref.slice(0, colon) : img.ref;
      const value = `${repo}:${UNPINNED_TAG}`;
      this.comment(
        `services.${manifestName}.image`,
        loc,
        `was ${img.ref}: latest moves under you and cannot be rolled back; pin the version you run`,
      );
      this.add({
        kind: 'attention',
        service: s.name,
        ...(loc && { loc }),
        message: `image ${img.ref} is not pinned: the manifest says ${value}`,
        fix: `replace ${UNPINNED_TAG} with the version you run (docker image ls ${repo}), before deploying`,
      });
      return value;
    }
    this.comment(`services.${manifestName}.image`, loc);
    return img.ref;
  }

  private resources(d: AppDecision, out: Record<string, unknown>, base: string): void {
    if (d.kind === 'static') return;
    const c = d.svc.config;
    const deploy = isMapping(c.deploy) ? c.deploy : {};
    const res = isMapping(deploy.resources) ? deploy.resources : {};
    const limits = isMapping(res.limits) ? res.limits : {};
    const reservations = isMapping(res.reservations) ? res.reservations : {};
    /** The first of the places compose can say a value, read with `parse`. */
    const firstOf = (
      parse: (v: unknown) => number | undefined,
      places: Array<[Record<string, unknown>, string, string]>,
    ): { v: number; loc: Loc | undefined; what: string } | undefined => {
      for (const [where, key, what] of places) {
        const v = parse(where[key]);
        if (v !== undefined) return { v, loc: locOf(where, key), what };
      }
      return undefined;
    };
    const cpuSrc = firstOf(cpus, [
      [reservations, 'cpus', 'deploy.resources.reservations.cpus'],
      [limits, 'cpus', 'deploy.resources.limits.cpus'],
      [c, 'cpus', 'cpus'],
    ]);
    if (cpuSrc) {
      if (cpuSrc.v <= 16) {
        out.cpu = Math.round(cpuSrc.v * 1000) / 1000;
        this.comment(`${base}.cpu`, cpuSrc.loc, cpuSrc.what);
      } else
        this.outOfRange(
          d,
          cpuSrc.loc,
          `${cpuSrc.what} ${cpuSrc.v} is more than the 16 vCPU a service may have`,
        );
    }
    const memSrc = firstOf(mebibytes, [
      [limits, 'memory', 'deploy.resources.limits.memory'],
      [c, 'mem_limit', 'mem_limit'],
      [reservations, 'memory', 'deploy.resources.reservations.memory'],
      [c, 'mem_reservation', 'mem_reservation'],
    ]);
    if (memSrc) {
      if (memSrc.v >= 32 && memSrc.v <= 122880) {
        out.memory = memSrc.v;
        this.comment(`${base}.memory`, memSrc.loc, `${memSrc.what}, in MiB`);
      } else this.outOfRange(d, memSrc.loc, `${memSrc.what} (${memSrc.v} MiB) is outside 32-122880 MiB`);
    }
    const replicas = deploy.replicas ?? c.scale;
    if (replicas !== undefined) {
      const n = Number(replicas);
      if (Number.isInteger(n) && n >= 1 && n <= 100) {
        out.replicas = n;
        this.comment(`${base}.replicas`, locOf(deploy, 'replicas') ?? locOf(c, 'scale'));
      } else if (n !== 0)
        this.outOfRange(
          d,
          locOf(deploy, 'replicas') ?? locOf(c, 'scale'),
          `replicas ${String(replicas)} is not 1-100`,
        );
    }
  }

  private outOfRange(d: AppDecision, loc: Loc | undefined, message: string): void {
    this.add({
      kind: 'attention',
      service: d.svc.name,
      ...(loc && { loc }),
      message: `${message}: not converted, the default applies`,
      fix: `set it under services.${d.manifestName} within the manifest's limits`,
    });
  }

  private environment(
    d: AppDecision,
    out: Record<string, unknown>,
    base: string,
    stores: Array<{ kind: StoreKind; hosts: Set<string>; name: string }>,
  ): void {
    const s = d.svc;
    const env: Record<string, string> = {};
    const secrets: string[] = [];
    const connection: Array<{ v: EnvVar; kind: StoreKind }> = [];
    const emptySecrets: EnvVar[] = [];
    const appHosts = new Map<string, Svc>();
    for (const o of this.svcs) if (o !== s) for (const h of o.hostnames) appHosts.set(h, o);
    for (const ref of s.c.envFiles) {
      if (ref.found || !ref.required) continue;
      this.add({
        kind: 'attention',
        service: s.name,
        ...(ref.loc && { loc: ref.loc }),
        message: `env_file ${ref.display} does not exist here, so its variables are not in the manifest (compose would refuse to start)`,
        fix: `create ${ref.display} (often from a sample next to it) and run stackplan init again`,
      });
    }
    for (const v of s.c.env) {
      const value = v.value ?? '';
      const hosts = hostsIn(value, HOSTISH.test(v.name));
      const store = stores.find(
        (st) =>
          hosts.some((h) => st.hosts.has(h)) ||
          (isConnectionName(v.name, st.kind) && (value === '' || !isLocationName(v.name))),
      );
      if (AWS_KEYS.has(v.name)) {
        this.add({
          kind: 'ignored',
          service: s.name,
          ...(v.loc && { loc: v.loc }),
          message: `${v.name}: long-lived AWS keys are never configured; every tier gives the service a role`,
          fix: 'list the AWS services it calls under uses: in the manifest',
        });
        continue;
      }
      if (store) {
        connection.push({ v, kind: store.kind });
        continue;
      }
      const droppedHost = hosts.find((h) => {
        const o = appHosts.get(h);
        return o !== undefined && this.dropped.has(o.name);
      });
      if (droppedHost) {
        const o = appHosts.get(droppedHost)!;
        this.add({
          kind: 'attention',
          service: s.name,
          ...(v.loc && { loc: v.loc }),
          message: `${v.name} points at ${o.name} (${this.dropped.get(o.name)}), which is not deployed: dropped`,
          fix: `set ${v.name} to the production equivalent (add it to secrets if it holds credentials)`,
        });
        continue;
      }
      if (!/^[A-Z_][A-Z0-9_]*$/.test(v.name)) {
        this.add({
          kind: 'ignored',
          service: s.name,
          ...(v.loc && { loc: v.loc }),
          message: `${v.name}: manifest environment names are UPPER_SNAKE_CASE, so it is not converted`,
          fix: `set it in the image, or rename it if the app accepts another name`,
        });
        continue;
      }
      if (isSecretName(v.name) || looksLikeSecretValue(value)) {
        if (value === '' && v.value !== undefined) {
          emptySecrets.push(v);
          continue;
        }
        if (!secrets.includes(v.name)) secrets.push(v.name);
        continue;
      }
      if (v.value === undefined) {
        this.add({
          kind: 'attention',
          service: s.name,
          ...(v.loc && { loc: v.loc }),
          message: `${v.name} takes its value from the environment, which does not set it: not converted`,
          fix: `add ${v.name} under env: (or secrets:, if it is one)`,
        });
        continue;
      }
      const other = hosts.map((h) => appHosts.get(h)).find((o) => o && !o.role);
      if (other) {
        this.add({
          kind: 'attention',
          service: s.name,
          ...(v.loc && { loc: v.loc }),
          message: `${v.name} reaches ${other.name} by its compose name; on ecs services reach each other as <service>.${this.appNameGuess()}.internal`,
          fix: `check ${v.name} after planning (plan prints each service's internal name)`,
        });
      } else if (pointsAtLocalhost(value)) {
        this.add({
          kind: 'attention',
          service: s.name,
          ...(v.loc && { loc: v.loc }),
          message: `${v.name}=${value.length > 60 ? `${value.slice(0, 57)}...` : value} points at localhost`,
          fix: `set env.${v.name} to the public URL (https://<domain>/…)`,
        });
      }
      env[v.name] = value;
      this.comment(`${base}.env.${v.name}`, v.loc);
    }
    if (Object.keys(env).length) out.env = env;
    if (secrets.length) {
      out.secrets = secrets;
      const where = [
        ...new Set(
          s.c.env
            .filter((e) => secrets.includes(e.name))
            .map((e) => e.loc?.file)
            .filter(Boolean),
        ),
      ];
      this.comment(
        `${base}.secrets`,
        undefined,
        `names from ${where.join(', ')}; values are never copied: each is generated at deploy time`,
      );
      const first = s.c.env.find((e) => e.name === secrets[0]);
      const external = secrets.filter(
        (n) => EXTERNAL_CREDENTIAL.test(n) || looksLikeSecretValue(s.envMap[n] ?? ''),
      );
      this.add({
        kind: 'attention',
        service: s.name,
        ...(first?.loc && { loc: first.loc }),
        message: `secrets ${secrets.join(', ')}: values are generated at deploy time, never copied from compose`,
        fix: external.length
          ? `${external.join(', ')} ${external.length > 1 ? 'look like credentials' : 'looks like a credential'} for another service: after the first deploy, put the real value into the parameter stackplan generated`
          : 'a random value works for these (keys the app itself signs or encrypts with)',
      });
    }
    if (emptySecrets.length) {
      this.add({
        kind: 'ignored',
        service: s.name,
        ...(emptySecrets[0]!.loc && { loc: emptySecrets[0]!.loc }),
        message: `${emptySecrets.map((e) => e.name).join(', ')}: empty in compose (feature off?), so not made secrets`,
        fix: `add ${emptySecrets.length > 1 ? 'them' : 'it'} to secrets: when you use ${emptySecrets.length > 1 ? 'them' : 'it'}`,
      });
    }
    if (connection.length) {
      const kinds = [...new Set(connection.map((c) => c.kind))];
      const provided = kinds.map((k) => PROVIDED[k]).join(', ');
      const names = connection.map((c) => c.v.name);
      const readsProvided = names.filter((n) => ['DATABASE_URL', 'REDIS_URL', 'OPENSEARCH_URL'].includes(n));
      const others = names.filter((n) => !readsProvided.includes(n));
      this.add({
        kind: others.length ? 'attention' : 'converted',
        service: s.name,
        ...(connection[0]!.v.loc && { loc: connection[0]!.v.loc }),
        message: `${names.join(', ')}: connection settings for the data stores, dropped; stackplan provides ${provided}`,
        ...(others.length && {
          fix: `make the app read ${provided.replace(/ \(.*?\)/g, '')} instead of ${others.join(', ')} (or derive them from it in the entrypoint)`,
        }),
      });
    }
  }

  private appNameGuess(): string {
    return this.opts.name
      ? appName(this.opts.name)
      : appName(this.project.name ?? path.basename(this.project.dir));
  }

  /** The service's remaining keys: ignored with a warning, or fatal. */
  private keys(d: AppDecision): void {
    const s = d.svc;
    for (const [key, value] of Object.entries(s.config)) {
      if (key.startsWith('x-')) continue;
      const rule = SERVICE_KEYS[key];
      const loc = locOf(s.config, key);
      if (key === 'network_mode') {
        if (typeof value === 'string' && (value === 'host' || /^(service|container):/.test(value))) {
          this.fatal(
            s,
            loc,
            `network_mode: ${value}`,
            'shares the host’s (or another container’s) network, which no tier can give a service',
            'remove network_mode: and talk to other services by name over the network stackplan builds',
          );
        } else this.ignoredKey(s, key, loc, SERVICE_KEYS.network_mode!.why!);
        continue;
      }
      if (key === 'cap_add') {
        const caps = (Array.isArray(value) ? value : []).map((c) =>
          String(c).toUpperCase().replace(/^CAP_/, ''),
        );
        const hostCaps = caps.filter((c) => HOST_CAPABILITIES.has(c));
        if (hostCaps.length) {
          this.fatal(
            s,
            loc,
            `cap_add: ${hostCaps.join(', ')}`,
            'these capabilities give the container the host; Fargate refuses them',
            'remove them from cap_add (run this service elsewhere if it needs them)',
          );
        } else this.ignoredKey(s, key, loc, SERVICE_KEYS.cap_add!.why!);
        continue;
      }
      if (!rule) {
        this.ignoredKey(s, key, loc, 'no stackplan equivalent');
        continue;
      }
      if (rule.class === 'fatal') {
        if (isFatalValue(key, value)) this.fatal(s, loc, `${key}: ${short(value)}`, rule.why!, rule.fix!);
        continue;
      }
      if (rule.class === 'ignored') this.ignoredKey(s, key, loc, rule.why!);
    }
    // Resource requests that cannot be met anywhere.
    const deploy = isMapping(s.config.deploy) ? s.config.deploy : {};
    const devices = (deploy.resources as { reservations?: { devices?: unknown } } | undefined)?.reservations
      ?.devices;
    if (Array.isArray(devices) && devices.length) {
      this.fatal(
        s,
        locOf(deploy, 'resources'),
        'deploy.resources.reservations.devices',
        'reserves devices (GPUs) that no tier provides',
        'remove the device reservation, or run this service elsewhere',
      );
    }
    this.volumes(d);
  }

  private volumes(d: AppDecision): void {
    const s = d.svc;
    const vols = Array.isArray(s.config.volumes) ? s.config.volumes : [];
    vols.forEach((v, i) => {
      const loc = locOf(vols, i);
      let source = '';
      let target = '';
      let readOnly = false;
      let type = 'volume';
      if (typeof v === 'string') {
        const parts = v.split(':');
        if (parts.length === 1) {
          target = parts[0]!;
          type = 'anonymous';
        } else {
          source = parts[0]!;
          target = parts[1]!;
          readOnly = (parts[2] ?? '').split(',').includes('ro');
          type =
            source.startsWith('/') || source.startsWith('.') || source.startsWith('~') ? 'bind' : 'volume';
        }
      } else if (isMapping(v)) {
        source = String(v.source ?? '');
        target = String(v.target ?? '');
        readOnly = v.read_only === true;
        type = String(v.type ?? 'volume');
      }
      if (type === 'tmpfs' || target === '/etc/localtime' || target === '/etc/timezone') return;
      if (/docker\.sock$/.test(source)) {
        this.fatal(
          s,
          loc,
          `volumes: ${source}`,
          'the Docker socket gives the container control of the host; no tier exposes it',
          'remove the docker.sock mount (use the AWS APIs through the service role instead)',
        );
        return;
      }
      let isFile = false;
      if (type === 'bind') {
        try {
          isFile = statSync(source).isFile();
        } catch {
          isFile = /\.[a-z0-9]{1,8}$/i.test(source);
        }
      }
      if (type === 'bind' && (isFile || readOnly)) {
        this.add({
          kind: 'attention',
          service: s.name,
          ...(loc && { loc }),
          message: `mounts ${this.relPath(source)} at ${target} from the host: configuration that is not in the image`,
          fix: 'bake it into the image (COPY in the Dockerfile), or turn the settings it holds into env',
        });
        return;
      }
      this.add({
        kind: 'attention',
        service: s.name,
        ...(loc && { loc }),
        message: `keeps data in ${type === 'bind' ? `host directory ${this.relPath(source)}` : type === 'anonymous' ? 'an anonymous volume' : `volume ${source}`} at ${target}: containers are replaced on deploy and this data would be lost`,
        fix: 'choose: an S3 bucket (add buckets: and store the files in S3), EFS (not supported by stackplan yet), or drop it if it is a cache',
      });
    });
  }

  private fatal(s: Svc, loc: Loc | undefined, what: string, why: string, fix: string): void {
    this.add({
      kind: 'fatal',
      service: s.name,
      key: what.split(':')[0]!,
      ...(loc && { loc }),
      message: `${what}: ${why}`,
      fix,
    });
  }

  private ignoredKey(s: Svc, key: string, loc: Loc | undefined, why: string): void {
    this.add({ kind: 'ignored', service: s.name, key, ...(loc && { loc }), message: why });
  }

  // ---- data stores ----

  private storeKeyNotes(s: Svc, what: string): void {
    const vols = Array.isArray(s.config.volumes) ? s.config.volumes : [];
    vols.forEach((v, i) => {
      const text = typeof v === 'string' ? v : isMapping(v) ? `${String(v.source)}:${String(v.target)}` : '';
      if (/docker-entrypoint-initdb\.d/.test(text)) {
        const l = locOf(vols, i);
        this.add({
          kind: 'attention',
          service: s.name,
          ...(l && { loc: l }),
          message: `runs init scripts from ${this.relPath(text.split(':')[0]!)} when ${what} is created: stackplan creates the database and its user itself`,
          fix: 'move what they do (extra users, extensions, seed data) into your migration (services.<name>.migrate)',
        });
      }
    });
  }

  private postgres(
    pg: Svc,
    all: Svc[],
    apps: Svc[],
  ): { settings: Record<string, unknown>; extensions: string[] } {
    const settings: Record<string, unknown> = {};
    const role = pg.role as Extract<ImageRole, { role: 'postgres' }>;
    const img = pg.img!;
    const loc = locOf(pg.config, 'image');
    const major = postgresMajor(img);
    let version: string;
    if (major === undefined) {
      version = '17';
      this.comment(
        'postgres.version',
        loc,
        `${img.ref} names no major version: 17 is the newest stackplan runs`,
      );
      this.add({
        kind: 'attention',
        service: pg.name,
        ...(loc && { loc }),
        message: `${img.ref} names no PostgreSQL major version: the manifest says 17`,
        fix: 'set postgres.version to the major version your data is on',
      });
    } else if (SUPPORTED_PG.includes(String(major))) {
      version = String(major);
      this.comment('postgres.version', loc, img.ref);
    } else {
      version = major < 14 ? '14' : '17';
      this.comment(
        'postgres.version',
        loc,
        `${img.ref}: PostgreSQL ${major} is not in standard support; ${version} is the nearest stackplan runs`,
      );
      this.add({
        kind: 'attention',
        service: pg.name,
        ...(loc && { loc }),
        message: `PostgreSQL ${major} (${img.ref}) is not a version stackplan runs: the manifest says ${version}`,
        fix:
          major < 14
            ? `upgrade the data to ${version} (pg_dump from ${major}, restore into ${version}) when you move it`
            : `restore a pg_dump of your ${major} data into ${version}, and check the app supports ${version}`,
      });
    }
    settings.version = version;
    this.comment('postgres', pg.c.loc, `service ${pg.name}`);
    const env = pg.envMap;
    const dbName = env.POSTGRES_DB || env.POSTGRESQL_DATABASE || env.POSTGRES_USER || env.POSTGRESQL_USERNAME;
    if (dbName && /^[a-z_][a-z0-9_]{0,62}$/.test(dbName)) {
      settings.database = dbName;
      const v = pg.c.env.find((e) => e.value === dbName && /DB|DATABASE|USER/.test(e.name));
      this.comment('postgres.database', v?.loc, v ? v.name : undefined);
    }
    const mem =
      mebibytes(
        (pg.config.deploy as { resources?: { limits?: { memory?: unknown } } } | undefined)?.resources?.limits
          ?.memory,
      ) ?? mebibytes(pg.config.mem_limit);
    if (mem !== undefined && mem >= 1024 && mem <= 524288) {
      settings.memoryMb = mem;
      this.comment(
        'postgres.memoryMb',
        locOf(pg.config, 'mem_limit') ?? locOf(pg.config, 'deploy'),
        'the memory compose gave it',
      );
    }
    this.add({
      kind: 'converted',
      service: pg.name,
      ...(pg.c.loc && { loc: pg.c.loc }),
      message: `→ postgres (PostgreSQL ${version}${settings.database ? `, database ${settings.database}` : ''}; stackplan creates the user and generates the password)`,
    });
    this.storeKeyNotes(pg, 'the database');
    for (const e of role.extensions) {
      const sup = EXTENSIONS[e];
      if (!sup) continue;
      this.add({
        kind: 'attention',
        service: pg.name,
        ...(loc && { loc }),
        message: `${img.ref} brings the ${e} extension (${sup.what}): ${sup.managed}; ${LEAN_EXTENSIONS_NOTE}`,
        fix: `sources: ${sup.sources.join(' ; ')}`,
      });
    }
    for (const other of all) {
      if (other === pg) continue;
      const otherExt = (other.role as Extract<ImageRole, { role: 'postgres' }>).extensions;
      const used = apps.filter((a) => other.name in a.dependsOn).map((a) => a.name);
      this.add({
        kind: 'attention',
        service: other.name,
        ...(other.c.loc && { loc: other.c.loc }),
        message: `a second PostgreSQL server (${other.img?.ref}${used.length ? `, used by ${used.join(', ')}` : ''}): stackplan runs one server, so it is not converted`,
        fix: `create its database in the one PostgreSQL (${pg.name}) and point the app at it${otherExt.length ? `; enable ${otherExt.join(', ')} there (see the extension note)` : ''}`,
      });
      for (const e of otherExt) if (!role.extensions.includes(e)) role.extensions.push(e);
    }
    return { settings, extensions: role.extensions };
  }

  private redis(r: Svc, all: Svc[], decisions: AppDecision[], queues: Set<Queue>): Record<string, unknown> {
    const settings: Record<string, unknown> = {};
    const flavour = (r.role as Extract<ImageRole, { role: 'redis' }>).flavour;
    const loc = locOf(r.config, 'image');
    const cmd = r.cmdText;
    const flags = redisFlags(cmd);
    const cacheEvidence =
      /cache/.test(r.name) ||
      all.some((o) => o !== r && /cache/.test(o.name)) ||
      decisions.some((d) =>
        d.svc.c.env.some(
          (e) =>
            /CACHE/.test(e.name) && hostsIn(e.value ?? '').some((h) => all.some((o) => o.hostnames.has(h))),
        ),
      );
    const brokerByName = /broker|queue|jobs|celery/.test(r.name.toLowerCase());
    // A worker that connects to Redis (and names no other queue) takes its jobs from it.
    const redisWorkers = decisions.filter(
      (d) =>
        d.kind === 'worker' &&
        !d.worker?.scheduler &&
        d.svc.c.env.some((e) =>
          hostsIn(e.value ?? '', true).some((h) => all.some((o) => o.hostnames.has(h))),
        ),
    );
    const broker = queues.size > 0 || brokerByName || redisWorkers.length > 0;
    const role = broker && cacheEvidence ? 'cache-and-broker' : broker ? 'broker' : 'cache';
    settings.role = role;
    this.comment(
      'redis.role',
      r.c.loc,
      broker
        ? queues.size
          ? `${[...queues].join(', ')} queue${queues.size > 1 ? 's' : ''} jobs in it${cacheEvidence ? ', and it caches' : ''}`
          : redisWorkers.length
            ? `${redisWorkers.map((d) => d.svc.name).join(', ')} ${redisWorkers.length > 1 ? 'work' : 'works'} from it${cacheEvidence ? ', and it caches' : ''}`
            : `named ${r.name}`
        : 'nothing queues jobs in it',
    );
    const persistence = broker || flags.appendonly === true;
    settings.persistence = persistence;
    this.comment(
      'redis.persistence',
      flags.appendonly ? locOf(r.config, 'command') : r.c.loc,
      flags.appendonly
        ? '--appendonly yes'
        : broker
          ? 'a broker must keep queued jobs across restarts'
          : 'a cache can start empty',
    );
    const mem = flags.maxmemoryMb ?? mebibytes(r.config.mem_limit);
    if (mem !== undefined && mem >= 32 && mem <= 65536) {
      settings.memoryMb = mem;
      this.comment(
        'redis.memoryMb',
        flags.maxmemoryMb ? locOf(r.config, 'command') : locOf(r.config, 'mem_limit'),
      );
    }
    const engineNote =
      flavour === 'valkey'
        ? `service ${r.name}, ${r.img?.ref}`
        : `service ${r.name}, ${r.img?.ref}; ecs runs Valkey (Redis-compatible, priced below Redis OSS): set engine: redis to keep Redis OSS`;
    this.comment('redis', loc, engineNote);
    this.add({
      kind: 'converted',
      service: r.name,
      ...(r.c.loc && { loc: r.c.loc }),
      message: `→ redis (${role}${persistence ? ', persistent' : ''}; stackplan generates the password)`,
    });
    if (flavour === 'redis-stack' || flavour === 'dragonfly' || flavour === 'keydb') {
      this.add({
        kind: 'attention',
        service: r.name,
        ...(loc && { loc }),
        message: `${r.img?.ref} is ${flavour}: stackplan runs Valkey/Redis OSS${flavour === 'redis-stack' ? ', without the Stack modules (search, JSON, time series)' : ''}`,
        fix: 'check the app uses only the Redis protocol and commands',
      });
    }
    for (const other of all) {
      if (other === r) continue;
      this.add({
        kind: 'attention',
        service: other.name,
        ...(other.c.loc && { loc: other.c.loc }),
        message: `a second Redis (${other.img?.ref}): stackplan runs one, so it is folded into redis (role ${role})`,
        fix: `point what used ${other.name} at REDIS_URL with another database number (e.g. /1)`,
      });
    }
    return settings;
  }

  private search(sv: Svc, all: Svc[]): Record<string, unknown> | boolean {
    const role = sv.role as Extract<ImageRole, { role: 'search' }>;
    const loc = locOf(sv.config, 'image');
    this.comment('search', loc, `service ${sv.name}, ${sv.img?.ref}`);
    this.add({
      kind: 'converted',
      service: sv.name,
      ...(sv.c.loc && { loc: sv.c.loc }),
      message:
        '→ search (Amazon OpenSearch Service on ecs/eks; the lean tier has no search, so plan picks ecs)',
    });
    const major = Number(/^(\d+)/.exec(sv.img?.tag ?? '')?.[1]);
    if (role.engine === 'elasticsearch' && major >= 8) {
      this.add({
        kind: 'attention',
        service: sv.name,
        ...(loc && { loc }),
        message: `${sv.img?.ref} is Elasticsearch ${major}; OpenSearch speaks the Elasticsearch 7.10 API`,
        fix: 'use an OpenSearch client, or an Elasticsearch client in 7.x compatibility mode',
      });
    }
    for (const other of all) {
      if (other === sv) continue;
      this.add({
        kind: 'attention',
        service: other.name,
        ...(other.c.loc && { loc: other.c.loc }),
        message: 'a second search cluster: stackplan runs one, so it is not converted',
        fix: 'keep its indexes in the one domain',
      });
    }
    return true;
  }

  private buckets(minios: Svc[], apps: Svc[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const a of apps) {
      for (const e of a.c.env) {
        if (!/BUCKET/.test(e.name) || !e.value || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(e.value))
          continue;
        let key = e.value.replace(/[^a-z0-9-]/g, '-').replace(/^[^a-z]+/, '');
        if (key.length < 2) continue;
        key = key.slice(0, 31).replace(/-+$/, '');
        if (key.length < 2 || key in out) continue;
        out[key] = {};
        this.comment(
          `buckets.${key}`,
          e.loc,
          `${e.name}; stackplan names the bucket and gives the app BUCKET_${key.toUpperCase().replace(/-/g, '_')}`,
        );
      }
    }
    for (const m of minios) {
      this.add({
        kind: Object.keys(out).length ? 'converted' : 'attention',
        service: m.name,
        ...(m.c.loc && { loc: m.c.loc }),
        message: Object.keys(out).length
          ? `→ buckets (${Object.keys(out).join(', ')}): S3 instead of MinIO`
          : 'MinIO (S3-compatible storage): no bucket name found in the services’ environment, so no bucket was declared',
        ...(Object.keys(out).length
          ? { fix: 'make the app use S3 (drop the MinIO endpoint; the service role grants access)' }
          : { fix: 'add buckets: {uploads: {}} with the buckets the app uses, and make it use S3' }),
      });
    }
    return out;
  }
}

function short(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

const TOP_ORDER = [
  'name',
  'region',
  'domain',
  'aliases',
  'alarmEmail',
  'tier',
  'availability',
  'backups',
  'services',
  'postgres',
  'redis',
  'search',
  'buckets',
];
const SERVICE_ORDER = [
  'kind',
  'image',
  'build',
  'output',
  'port',
  'route',
  'health',
  'websocket',
  'cpu',
  'memory',
  'replicas',
  'command',
  'migrate',
  'env',
  'secrets',
];

function sortKeys(o: Record<string, unknown>, order: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of order) if (k in o) out[k] = o[k];
  for (const k of Object.keys(o)) if (!(k in out)) out[k] = o[k];
  return out;
}

function ordered(m: Record<string, unknown>): Record<string, unknown> {
  const out = sortKeys(m, TOP_ORDER);
  if (isMapping(out.services)) {
    const services: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(out.services))
      services[k] = isMapping(v) ? sortKeys(v, SERVICE_ORDER) : v;
    out.services = services;
  }
  return out;
}

/**
 * Maps a loaded compose project. `outDir` is where the manifest will be written (build paths are
 * made relative to it); `cwd` is what file names in comments and the report are relative to.
 */
export function mapProject(
  project: ComposeProject,
  opts: InitOptions,
  where: { outDir: string; cwd: string },
): Mapping {
  return new Mapper(project, opts, where.outDir, where.cwd).map();
}
