/**
 * Cross-field rules: each a small function over the parsed and normalized manifest that returns
 * findings with the same shape as schema errors (path, expected, found, fix). They run only when
 * the schema passed, and all of them run: the user sees every problem at once.
 *
 * Only rules that hold whatever the tier live here; what a tier can honour (availability, RPO, the
 * features it refuses) is judged where the tiers are known (src/plan/rules.ts), so the manifest
 * layer imports no planner.
 */
import type { PathSegment, Severity } from './diagnostics.js';
import type { Manifest } from './normalize.js';
import type { ParsedManifest } from './schema.js';

export interface Finding {
  severity: Severity;
  code: string;
  path: PathSegment[];
  message: string;
  expected?: string;
  found?: string;
  fix: string;
}

export interface RuleContext {
  parsed: ParsedManifest;
  manifest: Manifest;
}

export type Rule = (ctx: RuleContext) => Finding[];

const HTTP_KINDS = new Set(['frontend', 'api', 'ml']);

const article = (word: string): string => (/^[aeiou]/.test(word) ? 'an' : 'a');

const servicePorts: Rule = ({ manifest }) =>
  manifest.services.flatMap((s): Finding[] => {
    if (HTTP_KINDS.has(s.kind) && s.port === undefined) {
      return [
        {
          severity: 'error',
          code: 'port-required',
          path: ['services', s.name, 'port'],
          message: `${article(s.kind)} ${s.kind} service needs the port its container listens on`,
          expected: 'a port number',
          found: 'nothing',
          fix: `add "port: 8080" (the port the ${s.name} container listens on) under services.${s.name}`,
        },
      ];
    }
    if ((s.kind === 'static' || s.kind === 'worker') && s.port !== undefined) {
      return [
        {
          severity: 'error',
          code: 'port-not-allowed',
          path: ['services', s.name, 'port'],
          message:
            s.kind === 'static'
              ? 'a static service is files served by the web tier; it has no port'
              : 'a worker receives no traffic; it has no port',
          expected: 'no port',
          found: String(s.port),
          fix:
            s.kind === 'static'
              ? `remove services.${s.name}.port, or set kind: frontend if it is a server`
              : `remove services.${s.name}.port, or set kind: api if it serves HTTP`,
        },
      ];
    }
    return [];
  });

const serviceSource: Rule = ({ manifest }) =>
  manifest.services.flatMap((s): Finding[] => {
    if (s.kind === 'static') {
      if (s.build === undefined) {
        return [
          {
            severity: 'error',
            code: 'static-needs-build',
            path: ['services', s.name, 'build'],
            message: 'a static service is built from a directory of sources',
            expected: 'a build directory',
            found: s.image ? `image ${s.image}` : 'nothing',
            fix: `set services.${s.name}.build to the frontend's directory (and output to its build folder), or use kind: frontend for an image`,
          },
        ];
      }
      return [];
    }
    if (s.image === undefined && s.build === undefined) {
      return [
        {
          severity: 'error',
          code: 'image-or-build',
          path: ['services', s.name],
          message: 'the service has neither an image nor a build directory',
          expected: 'image or build',
          found: 'neither',
          fix: `add "image: registry/name:1.2.3" (pinned) or "build: ./${s.name}" under services.${s.name}`,
        },
      ];
    }
    if (s.image !== undefined && s.build !== undefined) {
      return [
        {
          severity: 'error',
          code: 'image-or-build',
          path: ['services', s.name, 'build'],
          message: 'the service has both an image and a build directory',
          expected: 'one of image or build',
          found: 'both',
          fix: `keep image to deploy a published image, or build to have CI build and push it; remove the other`,
        },
      ];
    }
    return [];
  });

const routes: Rule = ({ parsed, manifest }) => {
  const out: Finding[] = [];
  for (const [name, raw] of Object.entries(parsed.services)) {
    if (raw.kind === 'worker' && raw.route !== undefined) {
      out.push({
        severity: 'error',
        code: 'route-on-worker',
        path: ['services', name, 'route'],
        message: 'a route sends web traffic to a worker, which serves none',
        expected: 'no route',
        found: `"${raw.route}"`,
        fix: `remove services.${name}.route, or route ${raw.route} to the api service that serves it`,
      });
    }
  }
  const byRoute = new Map<string, string[]>();
  for (const s of manifest.services) {
    if (s.route === undefined || s.kind === 'worker') continue;
    if (s.kind === 'ml' && s.defaulted.includes('route')) continue;
    byRoute.set(s.route, [...(byRoute.get(s.route) ?? []), s.name]);
  }
  for (const [route, names] of byRoute) {
    if (names.length > 1) {
      out.push({
        severity: 'error',
        code: 'duplicate-route',
        path: ['services', names[1]!, 'route'],
        message: `route ${route} is claimed by ${names.join(' and ')}`,
        expected: 'one service per route',
        found: `${names.length} services`,
        fix: `give services.${names[1]}.route its own prefix, such as /${names[1]}/`,
      });
    }
  }
  if (!byRoute.has('/')) {
    out.push({
      severity: 'warning',
      code: 'no-root-route',
      path: ['services'],
      message: 'no service serves the route "/": the site root answers 404',
      expected: 'a frontend, static or api service with route "/"',
      found: `routes ${[...byRoute.keys()].sort().join(', ') || 'none'}`,
      fix: 'add a frontend or static service (its route defaults to "/"), or set route: / on the api',
    });
  }
  return out;
};

const websockets: Rule = ({ manifest }) =>
  manifest.services
    .filter((s) => s.websocket && (s.kind === 'static' || s.kind === 'worker'))
    .map((s) => ({
      severity: 'error' as const,
      code: 'websocket-unsupported',
      path: ['services', s.name, 'websocket'],
      message: `a ${s.kind} service cannot accept WebSocket connections`,
      expected: 'websocket: false',
      found: 'true',
      fix: `set websocket: true on the api or frontend service that holds the connections, and remove it from ${s.name}`,
    }));

const replicas: Rule = ({ manifest }) =>
  manifest.services.flatMap((s): Finding[] => {
    const out: Finding[] = [];
    if (s.replicas.min > s.replicas.max) {
      out.push({
        severity: 'error',
        code: 'replicas-range',
        path: ['services', s.name, 'replicas'],
        message: 'replicas.min is larger than replicas.max',
        expected: 'min <= max',
        found: `min ${s.replicas.min}, max ${s.replicas.max}`,
        fix: `set services.${s.name}.replicas to {min: ${s.replicas.max}, max: ${s.replicas.min}}`,
      });
    }
    if (s.spot && s.kind !== 'worker') {
      out.push({
        severity: 'error',
        code: 'spot-non-worker',
        path: ['services', s.name, 'spot'],
        message: 'interruptible (Spot) capacity is for workers only: a reclaimed web task drops requests',
        expected: 'spot on a worker',
        found: `spot on ${article(s.kind)} ${s.kind}`,
        fix: `remove services.${s.name}.spot`,
      });
    }
    return out;
  });

const RESERVED_ENV: Record<string, string> = {
  AWS_ACCESS_KEY_ID:
    'long-lived AWS keys leak; every tier gives the service a role with exactly the access it needs',
  AWS_SECRET_ACCESS_KEY:
    'long-lived AWS keys leak; every tier gives the service a role with exactly the access it needs',
  AWS_SESSION_TOKEN: 'the role provides temporary credentials automatically',
};

const environment: Rule = ({ manifest }) =>
  manifest.services.flatMap((s) => {
    const out: Finding[] = [];
    for (const name of [...Object.keys(s.env), ...s.secrets]) {
      const why = RESERVED_ENV[name];
      if (why) {
        const inEnv = name in s.env;
        out.push({
          severity: 'error',
          code: 'aws-keys',
          path: inEnv
            ? ['services', s.name, 'env', name]
            : ['services', s.name, 'secrets', s.secrets.indexOf(name)],
          message: `${name} must not be configured: ${why}`,
          expected: 'no AWS credentials in configuration',
          found: name,
          fix: `remove ${name}; list the AWS services it calls under services.${s.name}.uses instead`,
        });
      }
    }
    for (const [i, secret] of s.secrets.entries()) {
      if (secret in s.env) {
        out.push({
          severity: 'error',
          code: 'secret-env-clash',
          path: ['services', s.name, 'secrets', i],
          message: `${secret} is both a secret and a plain env variable`,
          expected: 'each name once',
          found: 'both',
          fix: `remove ${secret} from services.${s.name}.env: secret values are generated, never written in the manifest`,
        });
      }
    }
    return out;
  });

const uses: Rule = ({ manifest }) => {
  const declared = {
    postgres: manifest.postgres !== undefined,
    redis: manifest.redis !== undefined,
    search: manifest.search !== undefined,
    bedrock: manifest.integrations.bedrock !== undefined,
    ses: manifest.integrations.ses !== undefined,
    buckets: manifest.buckets.length > 0,
  };
  const where: Record<string, string> = {
    postgres: 'postgres: true',
    redis: 'redis: true',
    search: 'search: true',
    bedrock: 'integrations.bedrock.models',
    ses: 'integrations.ses.sender',
    buckets: 'buckets',
  };
  return manifest.services.flatMap((s) =>
    s.uses
      .map((u, i) => ({ u, i }))
      .filter(({ u }) => !declared[u])
      .map(({ u, i }) => ({
        severity: 'error' as const,
        code: 'uses-undeclared',
        path: ['services', s.name, 'uses', i],
        message: `the service uses ${u}, which the manifest does not declare`,
        expected: `${u} declared at the top level`,
        found: 'not declared',
        fix: `declare it (${where[u]}) or remove "${u}" from services.${s.name}.uses`,
      })),
  );
};

const architecture: Rule = ({ manifest }) =>
  manifest.arch !== 'arm64'
    ? []
    : manifest.services
        .filter((s) => s.image !== undefined && !s.arm64)
        .map((s) => ({
          severity: 'error' as const,
          code: 'arch-mismatch',
          path: ['services', s.name, 'arm64'],
          message: `arch is arm64 but the image of ${s.name} is not marked as published for arm64`,
          expected: 'arm64: true on every image-based service',
          found: 'arm64: false',
          fix: `publish ${s.image} for linux/arm64 and set services.${s.name}.arm64: true, or set arch: auto`,
        }));

function within(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

const dns: Rule = ({ manifest }) => {
  const out: Finding[] = [];
  for (const [i, alias] of manifest.aliases.entries()) {
    if (alias === manifest.domain || manifest.aliases.indexOf(alias) !== i) {
      out.push({
        severity: 'error',
        code: 'duplicate-alias',
        path: ['aliases', i],
        message: `${alias} is listed twice`,
        expected: 'names distinct from domain and each other',
        found: alias,
        fix: `remove aliases[${i}]`,
      });
    }
  }
  const zone = manifest.hostedZone;
  if (zone) {
    for (const [path, name] of [
      [['domain'], manifest.domain] as const,
      ...manifest.aliases.map((a, i) => [['aliases', i], a] as const),
    ]) {
      if (!within(name, zone.name)) {
        out.push({
          severity: 'error',
          code: 'outside-zone',
          path: [...path],
          message: `${name} is not inside the hosted zone ${zone.name}: its records and certificate validation cannot be created there`,
          expected: `a name ending in ${zone.name}`,
          found: name,
          fix: `set hostedZone.name to the zone that holds ${name}, or remove the name`,
        });
      }
    }
  }
  const sender = manifest.integrations.ses?.sender;
  if (sender) {
    const senderDomain = sender.split('@')[1] ?? '';
    const names = [manifest.domain, ...manifest.aliases, zone?.name].filter(Boolean) as string[];
    if (!names.some((n) => within(senderDomain, n) || within(n, senderDomain))) {
      out.push({
        severity: 'warning',
        code: 'ses-sender-domain',
        path: ['integrations', 'ses', 'sender'],
        message: `the sender domain ${senderDomain} is not the app's domain: verify it in SES separately`,
        expected: `an address at ${manifest.domain}`,
        found: sender,
        fix: `use an address at ${manifest.domain}, or verify ${senderDomain} in SES before deploying`,
      });
    }
  }
  return out;
};

const adminAccess: Rule = ({ manifest }) => {
  const cidr = manifest.adminCidr;
  if (!cidr) return [];
  const prefix = Number(cidr.split('/')[1]);
  if (prefix >= 16) return [];
  return [
    {
      severity: 'error',
      code: 'ssh-too-open',
      path: ['adminCidr'],
      message: `SSH from ${cidr} opens port 22 to ${prefix === 0 ? 'the whole internet' : `${2 ** (32 - prefix)} addresses`}`,
      expected: 'a CIDR of /16 or narrower, ideally your office or VPN address /32',
      found: cidr,
      fix: 'set adminCidr to your own address (e.g. 203.0.113.7/32), or remove it and use SSM Session Manager',
    },
  ];
};

const redisRole: Rule = ({ manifest }) => {
  const r = manifest.redis;
  if (!r || r.role === 'cache' || r.persistence) return [];
  return [
    {
      severity: 'warning',
      code: 'broker-without-persistence',
      path: ['redis', 'persistence'],
      message: `Redis is a job broker (${r.role}) but not persistent: queued jobs are lost on every restart`,
      expected: 'persistence: true for a broker',
      found: 'persistence: false',
      fix: 'set redis.persistence: true',
    },
  ];
};

const migrations: Rule = ({ manifest }) => {
  const out: Finding[] = [];
  const migrating = manifest.services.filter((s) => s.migrate !== undefined);
  for (const s of migrating) {
    if (s.kind === 'static') {
      out.push({
        severity: 'error',
        code: 'migrate-static',
        path: ['services', s.name, 'migrate'],
        message: 'a static service is files, with no image to run a migration in',
        expected: 'migrate on the service whose image holds the migrations',
        found: `migrate on static service ${s.name}`,
        fix: `move migrate to the api or worker service that owns the database schema`,
      });
    }
  }
  if (migrating.length > 1) {
    out.push({
      severity: 'error',
      code: 'migrate-once',
      path: ['services', migrating[1]!.name, 'migrate'],
      message: `${migrating.map((s) => s.name).join(', ')} each migrate the schema: CI runs one migration task per deploy`,
      expected: 'migrate on one service',
      found: `${migrating.length} services`,
      fix: `keep migrate on the service that owns the schema and remove services.${migrating[1]!.name}.migrate`,
    });
  }
  return out;
};

/** Names the lean host's compose file and secrets directory give the data stores. */
const reservedNames: Rule = ({ manifest }) =>
  manifest.services
    .filter((s) => s.name === 'postgres' || s.name === 'redis')
    .map((s) => ({
      severity: 'error' as const,
      code: 'reserved-name',
      path: ['services', s.name],
      message: `"${s.name}" names the ${s.name === 'postgres' ? 'PostgreSQL' : 'Redis'} container stackplan runs: a service of that name would replace it`,
      expected: 'a name other than postgres and redis',
      found: s.name,
      fix: `rename services.${s.name} (e.g. ${s.name}-app), and declare ${s.name}: true to have stackplan run it`,
    }));

/** An image pinned by tag only: the registry can point the tag at other content at any time. */
const imageDigests: Rule = ({ manifest }) =>
  manifest.services
    .filter((s) => s.image !== undefined && !s.image.includes('@sha256:'))
    .map((s) => ({
      severity: 'warning' as const,
      code: 'image-tag',
      path: ['services', s.name, 'image'],
      message: `${s.image} is pinned by tag only: whoever controls the registry can move the tag to other content, and every host and task would run it at the next pull`,
      expected: 'a digest: repository:tag@sha256:<digest>',
      found: s.image!,
      fix: `pin the digest too: image: ${s.image}@sha256:<digest> (\`docker buildx imagetools inspect ${s.image}\` prints it)`,
    }));

export const RULES: readonly Rule[] = [
  servicePorts,
  serviceSource,
  routes,
  websockets,
  replicas,
  environment,
  uses,
  architecture,
  dns,
  adminAccess,
  redisRole,
  migrations,
  imageDigests,
  reservedNames,
];

/** Runs every rule here and the `extra` ones (rules only the tiers can judge). */
export function runRules(ctx: RuleContext, extra: readonly Rule[] = []): Finding[] {
  return [...RULES, ...extra].flatMap((r) => r(ctx));
}
