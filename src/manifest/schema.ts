/**
 * The stackplan manifest (`stackplan.yaml`): what the application is, never how AWS runs it.
 *
 * Every field carries a description and, where it has one, a default; the JSON Schema that
 * editors use (`schema/stackplan.schema.json`) is generated from this file, and a test fails
 * when the two disagree. Per-kind defaults that depend on other fields (a service's memory
 * by kind, say) are documented here and applied by `normalize.ts`.
 */
import { z } from 'zod';

import { TIERS } from './tiers.js';

export { TIERS, type TierName } from './tiers.js';

export const AVAILABILITY = ['single-instance', 'multi-az', 'multi-az-ha'] as const;
export type Availability = (typeof AVAILABILITY)[number];

/**
 * The Content-Security-Policy when the manifest sets none: scripts and connections from the app's
 * own origin only (the usual XSS defence), images, fonts and styles also from HTTPS CDNs and data:
 * URLs, inline styles allowed (CSS-in-JS), no plugins, no framing, no <base> or form hijacking.
 */
export const DEFAULT_CSP =
  "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data: https:; " +
  "font-src 'self' data: https:; style-src 'self' 'unsafe-inline' https:; object-src 'none'; " +
  "base-uri 'self'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests";

/** The uid:gid a container runs as when the manifest names none: nobody, never root. */
export const DEFAULT_USER = '65534:65534';

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];
export const DEFAULT_LOG_RETENTION_DAYS: LogRetentionDays = 30;

export const SERVICE_KINDS = ['frontend', 'static', 'api', 'worker', 'ml'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

const hostname = z
  .string()
  .regex(
    /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/,
    'a lowercase DNS name such as example.com',
  );

/**
 * Characters no one-line field may hold: C0 controls, DEL, and the line separators some YAML
 * parsers (YAML 1.1, GitHub's) break lines at (NEL, U+2028, U+2029). A value with them would
 * break out of the comment, header or command line it is written into.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const ONE_LINE = /^[^\x00-\x1f\x7f\u0085\u2028\u2029]*$/;
/** Text that may span lines (env values, command arguments): tab and line breaks, no other control character. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const MULTI_LINE = /^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$/;
/** A UTF-16 code unit that is half of a surrogate pair without its other half. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a string can be written as UTF-8 at all (no lone surrogate, e.g. from a "\ud800" YAML escape). */
export function wellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

const NOT_UTF8 = {
  message: 'holds a lone surrogate (such as "\\ud800"), which cannot be written as UTF-8',
  params: { expected: 'text that can be written as UTF-8' },
};

/** One line of printable text, at most `max` characters. */
export function oneLine(max: number) {
  return z
    .string()
    .max(max)
    .regex(ONE_LINE, 'one line of text without control characters')
    .refine(wellFormed, NOT_UTF8);
}

/** Text that may hold line breaks and tabs but no other control character, at most `max` characters. */
export function multiLine(max: number) {
  return z
    .string()
    .max(max)
    .regex(MULTI_LINE, 'text without control characters other than tab and line breaks')
    .refine(wellFormed, NOT_UTF8);
}

/**
 * A path relative to the manifest's directory. Where it may point (inside the manifest's
 * repository) is checked when the manifest is loaded from a file (see load.ts).
 */
function relativePath(what: string) {
  return oneLine(255)
    .min(1)
    .regex(
      /^(?![/~-])/,
      `${what} relative to the manifest, such as ./web (not an absolute path, nor one starting with "-")`,
    )
    .regex(/^[^\\]*$/, `${what} with "/" between directories (no backslash)`);
}

/** Each item at most once (reported at the repeated item). */
function unique<T>(items: T[], ctx: z.core.$RefinementCtx<T[]>): void {
  const seen = new Set<T>();
  for (const [i, item] of items.entries()) {
    if (seen.has(item)) {
      ctx.addIssue({
        code: 'custom',
        path: [i],
        message: `${String(item)} is listed twice`,
        params: { expected: 'each item once' },
        input: item,
      });
    }
    seen.add(item);
  }
}

const cidr = z
  .string()
  .regex(
    /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/(3[0-2]|[12]?\d)$/,
    'an IPv4 CIDR such as 203.0.113.7/32',
  );

const envName = z
  .string()
  .max(64)
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'an UPPER_SNAKE_CASE variable name');

const pathPrefix = z
  .string()
  .max(100)
  .regex(/^\/([A-Za-z0-9._~-]+\/)*$/, 'a path prefix that starts and ends with "/", such as /api/');

const urlPath = z
  .string()
  .max(255)
  .regex(/^\/[A-Za-z0-9._~\-/]*$/, 'an absolute URL path such as /health');

/**
 * A git branch name as `git check-ref-format --branch` accepts it, at most 200 characters (it
 * lands in the deploy role's description, at most 1,000, and its OIDC trust condition). No "*"
 * or "?": git refuses them, and in the trust condition they would be wildcards.
 */
const gitBranch = oneLine(200)
  .min(1)
  .regex(
    /^(?!-|\/|\.|@$|.*(?:\.\.|@\{|\/\/|\/\.|\.lock$|\.$|\/$))[^ ~^:?*[\\]+$/,
    'a git branch name such as main or release/2.x (no spaces, ~ ^ : ? * [ \\, "..", or a trailing "/", "." or ".lock")',
  );

/**
 * An image reference pinned by digest (`repo@sha256:…`, or `repo:tag@sha256:…`, which keeps the tag
 * readable) or by tag (not `latest`; validate warns that a tag can move). Every tier uses it
 * unchanged.
 */
const imageRef = z
  .string()
  .max(255)
  .regex(
    /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}(@sha256:[a-f0-9]{64})?|@sha256:[a-f0-9]{64})$/,
    'an image pinned by digest or tag, such as ghcr.io/acme/api:1.4.2@sha256:…, repo@sha256:… or ghcr.io/acme/api:1.4.2',
  )
  .refine((s) => !/:latest$/.test(s), {
    message: 'a pinned tag or digest, not :latest (latest changes under you and cannot be rolled back)',
  });

export const ReplicasSchema = z
  .union([
    z.int().min(1).max(100),
    z.strictObject({
      min: z.int().min(1).max(100).describe('Fewest copies running at any time.'),
      max: z.int().min(1).max(100).describe('Most copies the autoscaler may start (ecs, eks).'),
    }),
  ])
  .describe('How many copies run: a number, or {min, max} for autoscaling tiers. @default 1');

export const ServiceSchema = z
  .strictObject({
    kind: z
      .enum(SERVICE_KINDS)
      .describe(
        'frontend: server-rendered web app (e.g. Next.js); static: a built bundle of files (e.g. a React SPA); ' +
          'api: HTTP backend; worker: background jobs, no HTTP; ml: model-serving HTTP service.',
      ),
    image: imageRef
      .optional()
      .describe(
        'Container image, pinned by digest (repo:tag@sha256:…; a tag alone is accepted with a warning). Give either image or build.',
      ),
    build: relativePath('a directory')
      .optional()
      .describe('Directory (relative to the manifest) to build the image or the static bundle from.'),
    output: relativePath('a directory')
      .optional()
      .describe('static only: the built files, relative to build. @default dist'),
    port: z
      .int()
      .min(1)
      .max(65535)
      .optional()
      .describe('Port the container listens on (not for static or worker).'),
    route: pathPrefix
      .optional()
      .describe(
        'URL path prefix routed to this service. @default "/" for frontend and static, "/api/" for api',
      ),
    health: urlPath
      .optional()
      .describe('Health endpoint path. @default /health for api and ml, the route for frontend'),
    cpu: z
      .number()
      .min(0.001)
      .max(16)
      .optional()
      .describe(
        'Average (sustained) vCPU the service uses. @default frontend 0.1, static 0, api 0.1, worker 0.1, ml 0.5',
      ),
    memory: z
      .int()
      .min(32)
      .max(122880)
      .optional()
      .describe(
        'Memory in MiB each copy may use (its limit). @default frontend 256, static 0, api 512, worker 512, ml 2048',
      ),
    replicas: ReplicasSchema.optional(),
    env: z
      .record(envName, z.union([multiLine(4096), z.number(), z.boolean()]))
      .refine((e) => Object.keys(e).length <= 100, { message: 'at most 100 variables' })
      .meta({ maxProperties: 100 })
      .default({})
      .describe(
        'Non-secret environment variables (at most 100; values up to 4096 characters, passed to the container verbatim).',
      ),
    secrets: z
      .array(envName)
      .max(40)
      .superRefine(unique)
      .default([])
      .describe(
        'Names of secrets the service reads (at most 40: the ecs tier lists each in an IAM policy of at most 6,144 ' +
          'characters); values are generated at deploy time, never written here.',
      ),
    websocket: z.boolean().default(false).describe('The service accepts WebSocket upgrades on its route.'),
    arm64: z
      .boolean()
      .default(false)
      .describe('The image is published for linux/arm64 too (multi-arch), so Graviton can run it.'),
    user: z
      .string()
      .regex(/^[1-9][0-9]{0,9}(:[0-9]{1,10})?$/, 'a numeric uid[:gid] other than root (0), such as 1000:1000')
      .default(DEFAULT_USER)
      .describe(
        'lean, ecs, eks: the uid:gid the container runs as, never root (a uid alone means the same gid); use the ' +
          'user your image is built for when it needs to own files. @default 65534:65534 (nobody)',
      ),
    readonlyRootFilesystem: z
      .boolean()
      .default(true)
      .describe(
        'lean, ecs, eks: mount the image read-only, with a private /tmp (compose and Fargate tmpfs, an eks emptyDir), so a ' +
          "compromised process cannot change the app's code. Set false for an image that writes elsewhere at run time. " +
          '@default true',
      ),
    healthCommand: z
      .array(multiLine(1024).min(1))
      .min(1)
      .max(16)
      .optional()
      .describe(
        'lean, ecs: the command run inside the container to probe health, exit 0 when healthy (e.g. ' +
          '[/app/healthcheck]): a compose healthcheck on lean, an ECS container health check on ecs. @default lean: ' +
          'GET health on the container port with curl, wget, node or python3, whichever the image has; ecs: none ' +
          '(the load balancer checks health)',
      ),
    releaseTimeout: z
      .int()
      .min(5)
      .max(900)
      .default(60)
      .describe(
        'lean: seconds a new release may take to answer its health path (or healthCommand) before stackplan-release ' +
          'gives up, stops it and leaves the running version serving (5 to 900). @default 60',
      ),
    command: z
      .array(multiLine(4096))
      .max(64)
      .optional()
      .describe('Override the image command (e.g. for a worker); each argument is passed verbatim.'),
    migrate: z
      .array(multiLine(4096).min(1))
      .min(1)
      .max(64)
      .optional()
      .describe(
        'Command that migrates the database schema (e.g. [alembic, upgrade, head]), run once per deploy with the new ' +
          'image before any service switches to it: a one-off task (ecs), a Job (eks), a one-off container run by ' +
          'stackplan-release (lean). It must stay backward compatible: the old version serves until the switch. @default none',
      ),
    uses: z
      .array(z.enum(['postgres', 'redis', 'search', 'bedrock', 'ses', 'buckets']))
      .superRefine(unique)
      .optional()
      .describe(
        'Which data stores and integrations the service may reach; its role and network access follow. ' +
          '@default all declared ones for api, worker and ml; none for frontend and static',
      ),
    spot: z
      .boolean()
      .default(false)
      .describe('worker only: may run on interruptible capacity (Fargate Spot) where the tier allows.'),
    rehearse: z
      .strictObject({
        command: multiLine(4096)
          .min(1)
          .describe(
            'Shell command that starts the service locally (run by bash as you: rehearse only manifests you trust).',
          ),
        cwd: relativePath('a directory')
          .optional()
          .describe(
            'Working directory, relative to the manifest and inside its repository. @default the manifest directory',
          ),
      })
      .optional()
      .describe('How `stackplan rehearse` starts this service on this machine instead of its image.'),
  })
  .describe('One deployable service of the application.');

export const PostgresSchema = z.strictObject({
  version: z
    .union([z.enum(['14', '15', '16', '17']), z.literal([14, 15, 16, 17])])
    .transform((v) => String(v) as '14' | '15' | '16' | '17')
    .default('16')
    .describe('PostgreSQL major version (only versions in standard support).'),
  storageGb: z.int().min(20).max(16384).default(20).describe('Allocated storage in GB.'),
  database: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lowercase database name')
    .optional()
    .describe('Database name. @default the app name with - replaced by _'),
  memoryMb: z
    .int()
    .min(1024)
    .max(524288)
    .default(1024)
    .describe(
      'ecs, eks: memory the database server needs in MiB (working set, connections); the planner picks the ' +
        'cheapest RDS class with at least this much. The lean tier sizes PostgreSQL from the host instead. @default 1024',
    ),
});

export const RedisSchema = z.strictObject({
  persistence: z
    .boolean()
    .default(false)
    .describe(
      'Keep data across restarts (append-only file on lean; snapshots and replicas on managed tiers).',
    ),
  role: z
    .enum(['cache', 'broker', 'cache-and-broker'])
    .default('cache')
    .describe(
      'cache: losing data is harmless; broker: holds queued jobs (e.g. Celery), must survive restarts.',
    ),
  memoryMb: z.int().min(32).max(65536).default(128).describe('Memory Redis may use (maxmemory) in MiB.'),
  engine: z
    .enum(['valkey', 'redis'])
    .default('valkey')
    .describe(
      'ecs, eks: the ElastiCache engine. valkey is the open-source continuation of Redis OSS 7.2 (same ' +
        'protocol and clients), priced below Redis OSS per node; redis for Redis OSS itself. @default valkey',
    ),
});

export const SearchSchema = z.strictObject({
  storageGb: z.int().min(10).max(16384).default(10).describe('EBS storage per data node in GB.'),
  nodes: z
    .int()
    .min(1)
    .max(10)
    .optional()
    .describe(
      'Data nodes. Replicas and zone awareness are configured only with more than one. ' +
        '@default 1 for single-instance, 2 for multi-az, 3 for multi-az-ha',
    ),
});

export const BucketSchema = z.strictObject({
  purpose: oneLine(200)
    .min(1)
    .optional()
    .describe('What the bucket holds (shown in the design and the plan).'),
  storageGb: z.number().nonnegative().max(10_000_000).optional().describe('Expected stored GB (for cost).'),
  versioned: z.boolean().default(true).describe('Keep old versions of objects.'),
});

const bedrockModel = z.strictObject({
  id: z
    .string()
    .max(128)
    .regex(/^[a-z0-9-]+\.[A-Za-z0-9.:_-]+$/, 'a Bedrock model id such as amazon.nova-lite-v1:0')
    .describe('Bedrock model id.'),
  inputTokensPerMonth: z
    .number()
    .nonnegative()
    .max(1e12)
    .optional()
    .describe('Expected input tokens a month (for cost).'),
  outputTokensPerMonth: z
    .number()
    .nonnegative()
    .max(1e12)
    .optional()
    .describe('Expected output tokens a month (for cost).'),
});

export const IntegrationsSchema = z.strictObject({
  bedrock: z
    .strictObject({
      models: z
        .array(bedrockModel)
        .min(1)
        .max(20)
        .describe('Models the app invokes; IAM is scoped to exactly these.'),
    })
    .optional(),
  ses: z
    .strictObject({
      sender: z
        .email()
        .max(254)
        .describe('Verified sender address; IAM allows sending from this identity only.'),
      emailsPerMonth: z
        .number()
        .nonnegative()
        .max(1e10)
        .optional()
        .describe('Expected emails a month (for cost).'),
    })
    .optional(),
});

export const ManifestSchema = z
  .strictObject({
    name: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/,
        '3-32 lowercase letters, digits or "-", starting with a letter',
      )
      .describe('Application name; prefixes every resource name.'),
    region: z
      .string()
      .max(32)
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region such as us-east-1')
      .default('us-east-1')
      .describe('AWS region to deploy to. @default us-east-1'),
    domain: hostname
      .max(57)
      .describe(
        'The public domain the application answers on (at most 57 characters: certificates name it, and the ecs ' +
          'tier origin.<domain>, in a 64-character field).',
      ),
    aliases: z
      .array(hostname)
      .max(9)
      .default([])
      .describe(
        "Other names that serve the same site (e.g. www.example.com); at most 9, ACM's default of 10 names per certificate.",
      ),
    hostedZone: z
      .strictObject({
        id: z.string().regex(/^Z[A-Z0-9]{4,31}$/, 'a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ'),
        name: hostname.optional().describe('Zone name. @default the domain'),
      })
      .optional()
      .describe('Route 53 hosted zone that holds the domain; when given, DNS records are created.'),
    alarmEmail: z.email().max(254).describe('Where alarms are sent (an SNS email subscription).'),
    adminCidr: cidr
      .optional()
      .describe(
        'Allow SSH (22) from this CIDR only. Without it port 22 stays closed; use SSM Session Manager.',
      ),
    tier: z.enum(TIERS).optional().describe('Force a tier instead of the recommended one.'),
    arch: z
      .enum(['auto', 'x86_64', 'arm64'])
      .default('auto')
      .describe('CPU architecture. auto: Graviton (arm64) when every image is multi-arch. @default auto'),
    availability: z
      .enum(AVAILABILITY)
      .default('single-instance')
      .describe(
        'single-instance: one machine, minutes of downtime on failure; multi-az: survives an AZ failure; ' +
          'multi-az-ha: multi-az with redundancy in every layer. @default single-instance',
      ),
    backups: z
      .strictObject({
        rpoHours: z
          .number()
          .positive()
          .max(168)
          .default(24)
          .describe('Most data (in hours) you accept to lose. @default 24'),
        retentionDays: z
          .int()
          .min(1)
          .max(3650)
          .default(14)
          .describe('How long backups are kept. @default 14'),
      })
      .default({ rpoHours: 24, retentionDays: 14 }),
    logs: z
      .strictObject({
        retentionDays: z
          .literal(LOG_RETENTION_DAYS, {
            error: `one of CloudWatch Logs' retention periods in days: ${LOG_RETENTION_DAYS.join(', ')}`,
          })
          .default(DEFAULT_LOG_RETENTION_DAYS)
          .describe(
            'How long every CloudWatch log group of the app keeps its events (container output, database, ' +
              "search, control plane, host and deploy-time function logs), in days; one of CloudWatch Logs' " +
              `retention periods. The trade-off: storage is billed per GB-month kept, so longer costs more, ` +
              'while shorter limits how far back an incident can be investigated. Control Tower ' +
              '(CT.CLOUDWATCH.PR.2) asks for 365 or more; below that its finding is acknowledged with this ' +
              'setting as the reason. @default 30',
          ),
      })
      .default({ retentionDays: DEFAULT_LOG_RETENTION_DAYS })
      .describe('CloudWatch Logs settings for every tier.'),
    traffic: z
      .strictObject({
        requestsPerMonth: z
          .number()
          .nonnegative()
          .max(1e12)
          .default(1_000_000)
          .describe('HTTP requests a month. @default 1000000'),
        gbOutPerMonth: z
          .number()
          .nonnegative()
          .max(10_000_000)
          .default(10)
          .describe('GB served to the internet a month. @default 10'),
      })
      .default({ requestsPerMonth: 1_000_000, gbOutPerMonth: 10 }),
    egress: z
      .enum(['nat-gateway', 'nat-instance', 'endpoints'])
      .default('nat-gateway')
      .describe(
        'How private subnets reach the internet on ecs/eks: managed NAT gateway, a NAT instance (cheaper, ' +
          'you patch it), or VPC endpoints only (no internet). @default nat-gateway',
      ),
    contentSecurityPolicy: z
      .union([
        z
          .string()
          .min(1)
          .max(4096)
          .regex(/^[\x20-\x7e]*$/, 'printable ASCII, as an HTTP header value must be'),
        z.literal(false),
      ])
      .default(DEFAULT_CSP)
      .describe(
        "The Content-Security-Policy header the lean tier's nginx sends (the ecs tier sends none yet); false when the app " +
          "sets its own (browsers enforce both). @default default-src 'self', images, fonts and styles also from https:, " +
          'no plugins, no framing',
      ),
    waf: z
      .boolean()
      .default(false)
      .describe('Put AWS WAF (managed common rules + rate limit) in front (ecs, eks).'),
    services: z
      .record(
        z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'a lowercase service name such as api'),
        ServiceSchema,
      )
      .refine((s) => Object.keys(s).length > 0, { message: 'at least one service' })
      .refine((s) => Object.keys(s).length <= 20, {
        message: 'at most 20 services (one CloudFormation stack holds at most 500 resources)',
      })
      .meta({ minProperties: 1, maxProperties: 20 })
      .describe('The services that make up the app, by name (1 to 20).'),
    postgres: z
      .union([z.boolean(), PostgresSchema])
      .default(false)
      .describe('PostgreSQL: true for defaults, or settings. @default false'),
    redis: z
      .union([z.boolean(), RedisSchema])
      .default(false)
      .describe('Redis: true for defaults, or settings. @default false'),
    search: z
      .union([z.boolean(), SearchSchema])
      .default(false)
      .describe('OpenSearch: true for defaults, or settings. @default false'),
    buckets: z
      .record(
        z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, 'a lowercase bucket key such as uploads'),
        BucketSchema,
      )
      .refine((b) => Object.keys(b).length <= 20, { message: 'at most 20 buckets' })
      .meta({ maxProperties: 20 })
      .default({})
      .describe('Object storage buckets the app uses, by key.'),
    integrations: IntegrationsSchema.default({}),
    ci: z
      .strictObject({
        repository: z
          .string()
          .max(140)
          .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'a GitHub repository such as acme/shop')
          .describe('GitHub repository whose Actions may deploy (OIDC trust is scoped to it).'),
        branch: gitBranch.default('main').describe('Branch that deploys (a git branch name). @default main'),
        oidcProvider: z
          .enum(['create', 'existing'])
          .default('create')
          .describe(
            "GitHub's OIDC identity provider in the AWS account: create it with the stack, or use the one the " +
              'account already has (an account holds one per URL; creating a second fails the deploy). @default create',
          ),
      })
      .optional()
      .describe('GitHub Actions deployment with OIDC (no long-lived keys).'),
  })
  .describe('stackplan manifest: describes a web application; stackplan turns it into AWS deployments.');

/** The manifest as written (input side of the schema). */
export type ManifestInput = z.input<typeof ManifestSchema>;
/** The manifest after parsing: defaults filled, shorthands still as written. */
export type ParsedManifest = z.output<typeof ManifestSchema>;
export type ServiceInput = z.output<typeof ServiceSchema>;
export type PostgresSettings = z.output<typeof PostgresSchema>;
export type RedisSettings = z.output<typeof RedisSchema>;
export type SearchSettings = z.output<typeof SearchSchema>;
