/**
 * The questions `stackplan init` asks on a terminal, each with a default (Enter keeps it) and
 * checked on the spot with the manifest schema's own rules, so a wrong answer is asked again
 * instead of failing at the end. The same answers can come from flags (--yes, or no terminal):
 * then nothing is asked. Only `ask` talks to the terminal; everything else is plain data.
 */
import { ManifestSchema, ServiceSchema } from '../manifest/schema.js';

export interface Asker {
  /** Shows `question [default]: ` and resolves with the answer (the default on Enter). */
  ask(question: string, def: string): Promise<string>;
  say(text: string): void;
}

export interface ServiceAnswer {
  name: string;
  kind: 'frontend' | 'static' | 'api' | 'worker' | 'ml';
  image?: string;
  build?: string;
  port?: number;
  route?: string;
}

export interface Answers {
  name: string;
  domain: string;
  alarmEmail: string;
  region?: string;
  services: ServiceAnswer[];
  postgres: string | 'none';
  redis: 'cache' | 'broker' | 'cache-and-broker' | 'none';
  availability: 'single-instance' | 'multi-az' | 'multi-az-ha';
  rpoHours: number;
}

const shape = ManifestSchema.shape;

/** The first error the schema finds in one field, as a sentence; undefined when valid. */
function check(
  schema: { safeParse(v: unknown): { success: boolean; error?: { issues: Array<{ message: string }> } } },
  value: unknown,
): string | undefined {
  const r = schema.safeParse(value);
  return r.success ? undefined : (r.error?.issues[0]?.message ?? 'not valid here');
}

export const validators = {
  name: (v: string) => check(shape.name, v),
  domain: (v: string) => check(shape.domain, v),
  alarmEmail: (v: string) => check(shape.alarmEmail, v),
  region: (v: string) => check(shape.region, v),
  availability: (v: string) => check(shape.availability, v),
  rpoHours: (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n)) return 'a number of hours, such as 24';
    const r = shape.backups.safeParse({ rpoHours: n });
    return r.success ? undefined : (r.error.issues[0]?.message ?? 'out of range');
  },
  serviceName: (v: string) =>
    /^[a-z][a-z0-9-]{0,30}$/.test(v) ? undefined : 'a lowercase service name such as api',
  kind: (v: string) => check(ServiceSchema.shape.kind, v),
  port: (v: string) => check(ServiceSchema.shape.port, Number(v)),
  route: (v: string) => check(ServiceSchema.shape.route, v),
  image: (v: string) => check(ServiceSchema.shape.image, v),
  postgres: (v: string) =>
    v === 'none'
      ? undefined
      : ['14', '15', '16', '17'].includes(v)
        ? undefined
        : 'a major version (14, 15, 16 or 17) or none',
  redis: (v: string) =>
    ['cache', 'broker', 'cache-and-broker', 'none'].includes(v)
      ? undefined
      : 'cache, broker, cache-and-broker or none',
};

async function askValid(
  a: Asker,
  q: string,
  def: string,
  valid: (v: string) => string | undefined,
): Promise<string> {
  for (;;) {
    const answer = (await a.ask(q, def)).trim() || def;
    const problem = valid(answer);
    if (!problem) return answer;
    a.say(`  ✗ ${problem}`);
  }
}

/** A directory or `image:tag`: images have a tag or digest, directories do not. */
function isImage(v: string): boolean {
  return /[:@]/.test(v.split('/').pop() ?? '') && !v.startsWith('.') && !v.startsWith('/');
}

export async function askService(a: Asker, name: string, first: boolean): Promise<ServiceAnswer> {
  const kind = (await askValid(
    a,
    `  ${name}: kind (frontend, static, api, worker, ml)`,
    first ? 'frontend' : 'api',
    validators.kind,
  )) as ServiceAnswer['kind'];
  const src = await askValid(
    a,
    `  ${name}: image (pinned, e.g. ghcr.io/acme/${name}:1.0.0) or build directory`,
    first ? '.' : `./${name}`,
    (v) => (isImage(v) ? validators.image(v) : v ? undefined : 'an image or a directory'),
  );
  const out: ServiceAnswer = { name, kind, ...(isImage(src) ? { image: src } : { build: src }) };
  if (kind === 'frontend' || kind === 'api' || kind === 'ml') {
    out.port = Number(
      await askValid(
        a,
        `  ${name}: port it listens on`,
        kind === 'frontend' ? '3000' : '8080',
        validators.port,
      ),
    );
  }
  if (kind !== 'worker' && kind !== 'ml') {
    out.route = await askValid(
      a,
      `  ${name}: route`,
      kind === 'api' && !first ? '/api/' : '/',
      validators.route,
    );
  }
  return out;
}

export interface Defaults {
  name: string;
  domain?: string;
  alarmEmail?: string;
  availability?: Answers['availability'];
  rpoHours?: number;
}

/** The top-level questions (name, domain, alarm email, availability, RPO). */
export async function askBasics(
  a: Asker,
  d: Defaults,
): Promise<Pick<Answers, 'name' | 'domain' | 'alarmEmail' | 'availability' | 'rpoHours'>> {
  const name = await askValid(a, 'App name', d.name, validators.name);
  const domain = await askValid(
    a,
    'Domain the app answers on',
    d.domain ?? `${name}.example.com`,
    validators.domain,
  );
  const alarmEmail = await askValid(
    a,
    'Email for alarms',
    d.alarmEmail ?? `ops@${domain}`,
    validators.alarmEmail,
  );
  const availability = (await askValid(
    a,
    'Availability (single-instance, multi-az, multi-az-ha)',
    d.availability ?? 'single-instance',
    validators.availability,
  )) as Answers['availability'];
  const rpoHours = Number(
    await askValid(
      a,
      'Most data you accept to lose, in hours (RPO)',
      String(d.rpoHours ?? 24),
      validators.rpoHours,
    ),
  );
  return { name, domain, alarmEmail, availability, rpoHours };
}

/** Every question, for `stackplan init` without a compose file. */
export async function askAll(a: Asker, d: Defaults): Promise<Answers> {
  const basics = await askBasics(a, d);
  a.say('Services (Enter on an empty name when done):');
  const services: ServiceAnswer[] = [];
  for (;;) {
    const def = services.length === 0 ? 'web' : '';
    const name = (await a.ask('Service name', def)).trim() || def;
    if (!name) break;
    const problem =
      validators.serviceName(name) ??
      (services.some((s) => s.name === name) ? `${name} is already a service` : undefined);
    if (problem) {
      a.say(`  ✗ ${problem}`);
      continue;
    }
    services.push(await askService(a, name, services.length === 0));
  }
  const postgres = await askValid(a, 'PostgreSQL version (14-17, or none)', '16', validators.postgres);
  const redis = (await askValid(
    a,
    'Redis (cache, broker, cache-and-broker, or none)',
    'none',
    validators.redis,
  )) as Answers['redis'];
  return { ...basics, services, postgres, redis };
}

/** `--service name=web,kind=api,image=…,port=8080,route=/api/` → a service answer. */
export function parseServiceFlag(spec: string): ServiceAnswer | string {
  const fields: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return `"${part}" is not key=value (use name=web,kind=api,image=…,port=8080)`;
    fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  const unknown = Object.keys(fields).filter(
    (k) => !['name', 'kind', 'image', 'build', 'port', 'route'].includes(k),
  );
  if (unknown.length) return `unknown field ${unknown[0]} (use name, kind, image, build, port, route)`;
  const name = fields.name ?? '';
  const nameProblem = validators.serviceName(name);
  if (nameProblem) return `name: ${nameProblem}`;
  const kind = fields.kind ?? 'api';
  const kindProblem = validators.kind(kind);
  if (kindProblem) return `kind: ${kindProblem}`;
  const out: ServiceAnswer = { name, kind: kind as ServiceAnswer['kind'] };
  if (fields.image !== undefined) {
    const p = validators.image(fields.image);
    if (p) return `image: ${p}`;
    out.image = fields.image;
  }
  if (fields.build !== undefined) out.build = fields.build;
  if (out.image === undefined && out.build === undefined) out.build = '.';
  if (fields.port !== undefined) {
    const p = validators.port(fields.port);
    if (p) return `port: ${p}`;
    out.port = Number(fields.port);
  } else if (kind === 'frontend' || kind === 'api' || kind === 'ml')
    out.port = kind === 'frontend' ? 3000 : 8080;
  if (fields.route !== undefined) {
    const p = validators.route(fields.route);
    if (p) return `route: ${p}`;
    out.route = fields.route;
  }
  return out;
}

/** Answers → the manifest as data, with a comment per field. */
export function answersToManifest(x: Answers): {
  manifest: Record<string, unknown>;
  comments: Map<string, string>;
} {
  const comments = new Map<string, string>();
  const services: Record<string, unknown> = {};
  for (const s of x.services) {
    const svc: Record<string, unknown> = { kind: s.kind };
    if (s.image) svc.image = s.image;
    if (s.build) svc.build = s.build;
    if (s.port !== undefined && s.kind !== 'worker' && s.kind !== 'static') svc.port = s.port;
    if (s.route) svc.route = s.route;
    services[s.name] = svc;
  }
  const manifest: Record<string, unknown> = {
    name: x.name,
    ...(x.region && { region: x.region }),
    domain: x.domain,
    alarmEmail: x.alarmEmail,
    availability: x.availability,
    backups: { rpoHours: x.rpoHours },
    services,
  };
  comments.set('domain', 'the public domain; add hostedZone: {id: Z…} to have DNS records created');
  comments.set(
    'availability',
    'single-instance: one machine; multi-az survives an AZ failure; multi-az-ha adds redundancy everywhere',
  );
  comments.set('backups.rpoHours', 'most data (hours) you accept to lose');
  if (x.postgres !== 'none') {
    manifest.postgres = { version: x.postgres };
    comments.set('postgres', 'stackplan creates the database and user; apps get DATABASE_URL');
  }
  if (x.redis !== 'none') {
    manifest.redis = { role: x.redis, persistence: x.redis !== 'cache' };
    comments.set('redis', 'apps get REDIS_URL');
    comments.set(
      'redis.persistence',
      x.redis === 'cache' ? 'a cache can start empty' : 'a broker must keep queued jobs across restarts',
    );
  }
  return { manifest, comments };
}
