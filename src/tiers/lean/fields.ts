/**
 * How the lean tier treats every optional manifest field: what implements it, or why the tier
 * cannot run a manifest that sets it (the tier is then ineligible, and `plan` prints the reason).
 */
import type { Manifest } from '../../manifest/normalize.js';
import type { FieldTable, TierGap } from '../tier.js';

const searchGap = (m: Manifest): TierGap | undefined =>
  m.search
    ? {
        reason: 'search: one small instance cannot also host OpenSearch',
        whenForced: [
          {
            severity: 'error',
            code: 'lean-search',
            path: ['search'],
            message: 'the lean tier has no OpenSearch: one small instance cannot also host a search cluster',
            expected: 'search: false on lean',
            found: 'search declared',
            fix: 'remove "tier: lean" (ecs runs a managed OpenSearch domain), or remove search',
          },
        ],
      }
    : undefined;

const autoscalingGap = (m: Manifest): TierGap | undefined => {
  const scaling = m.services.filter((s) => s.replicas.max > s.replicas.min);
  if (!scaling.length) return undefined;
  return {
    reason: `autoscaling of ${scaling.map((s) => `${s.name} (${s.replicas.min}-${s.replicas.max})`).join(', ')}`,
    whenForced: scaling.map((s) => ({
      severity: 'warning' as const,
      code: 'lean-no-autoscaling',
      path: ['services', s.name, 'replicas'],
      message: `the lean tier runs a fixed ${s.replicas.min} cop${s.replicas.min === 1 ? 'y' : 'ies'} of ${s.name}; it does not autoscale to ${s.replicas.max}`,
      expected: 'min equal to max on lean',
      found: `min ${s.replicas.min}, max ${s.replicas.max}`,
      fix: `set services.${s.name}.replicas to ${s.replicas.min}, or remove "tier: lean"`,
    })),
  };
};

const wafGap = (m: Manifest): TierGap | undefined =>
  m.waf
    ? {
        reason: 'waf: one instance has no load balancer or CloudFront distribution for AWS WAF to sit on',
        whenForced: [
          {
            severity: 'warning',
            code: 'lean-no-waf',
            path: ['waf'],
            message:
              'the lean tier has no load balancer or CloudFront distribution for AWS WAF: the host is built without a web ACL (nginx still rate-limits the API)',
            expected: 'waf: false on lean',
            found: 'waf: true',
            fix: 'remove "tier: lean" (ecs puts a web ACL on its load balancer), or remove waf',
          },
        ],
      }
    : undefined;

export const LEAN_FIELDS: FieldTable = {
  region: { honours: 'the stack deploys there, and the instance is the cheapest fitting type priced there' },
  aliases: {
    honours:
      'nginx serves them, the certificate covers them, and they get A records when the hosted zone is given',
  },
  hostedZone: { honours: 'A records for the domain and every alias point at the Elastic IP' },
  'hostedZone.name': { honours: 'the zone the A records are created in' },
  adminCidr: {
    honours: 'port 22 opens to this CIDR only; without it SSH stays closed (SSM Session Manager)',
  },
  tier: { honours: 'tier: lean builds the lean tier even where another tier is cheaper' },
  arch: {
    honours:
      'the instance architecture: arm64 is Graviton, x86_64 is Intel/AMD, auto is Graviton when every image is',
  },
  availability: {
    honours: 'single-instance: EC2 recovers the host in place on hardware failure (same IP and volumes)',
  },
  'backups.rpoHours': {
    honours: 'pg_dump to S3 on a systemd timer at the longest interval within the RPO, alarmed when late',
  },
  'backups.retentionDays': {
    honours:
      'S3 Object Lock (governance) keeps every backup version this many days, then the lifecycle expires it (old versions kept as long again)',
  },
  'logs.retentionDays': {
    honours:
      'the retention of the host log group (nginx errors, backup and monitor logs) and the deploy-time function logs',
  },
  egress: {
    unused: 'the host sits in a public subnet with its own Elastic IP: there are no private subnets or NAT',
  },
  contentSecurityPolicy: { honours: "nginx sends it on every response (false: the app's own)" },
  waf: { refuses: wafGap },
  // (search before services: `plan` lists the gaps in this order)
  search: { refuses: searchGap },
  'search.storageGb': { refuses: searchGap },
  'search.nodes': { refuses: searchGap },
  'services.*.image': { honours: 'compose runs the pinned image' },
  'services.*.build': {
    honours:
      'an ECR repository CI pushes the commit SHA to and stackplan-release pulls; for a static service, the bundle nginx serves',
  },
  'services.*.output': { honours: 'the built files the sync script installs for nginx to serve' },
  'services.*.port': { honours: 'the container port nginx proxies to, published on loopback only' },
  'services.*.route': { honours: 'an nginx location for the route' },
  'services.*.health': { honours: 'the monitor checks it every minute (the HealthOk alarm)' },
  'services.*.user': { honours: 'the compose user: the container runs as that uid:gid, never root' },
  'services.*.readonlyRootFilesystem': {
    honours: 'compose read_only with a private /tmp in memory, or a writable image when false',
  },
  'services.*.healthCommand': { honours: 'the compose healthcheck command `up --wait` waits on' },
  'services.*.cpu': { honours: 'sizes the instance: sustained vCPU within the burstable baseline' },
  'services.*.memory': { honours: 'sizes the instance, and limits the container (mem_limit)' },
  'services.*.replicas': { honours: 'compose runs replicas.min copies', refuses: autoscalingGap },
  'services.*.env': { honours: 'the container environment' },
  'services.*.secrets': {
    honours: 'generated into SSM at deploy time and written to the 0600 env file compose reads',
  },
  'services.*.websocket': { honours: 'nginx passes the Upgrade handshake and keeps the connection open' },
  'services.*.arm64': { honours: 'lets arch: auto choose a Graviton instance' },
  'services.*.command': { honours: 'the compose command of the container' },
  'services.*.migrate': {
    honours:
      'stackplan-release runs it once in a one-off container of the new image before the switch; a failure aborts',
  },
  'services.*.releaseTimeout': {
    honours: 'how long stackplan-release waits for the new container to be healthy before it stops it',
  },
  'services.*.uses': {
    honours:
      'what the service reaches: DATABASE_URL, REDIS_URL, BUCKET_<KEY>, and instance-role credentials for AWS APIs',
  },
  'services.*.spot': {
    unused: 'one on-demand host: there is no interruptible capacity for a worker to run on',
  },
  postgres: { honours: 'PostgreSQL in a container on the data volume, dumped to S3 on the backup schedule' },
  'postgres.version': { honours: 'the pinned PostgreSQL image of that major version' },
  'postgres.storageGb': { honours: 'sizes the data volume (the database and two local dumps)' },
  'postgres.database': { honours: 'the database compose creates and the backups dump' },
  'postgres.memoryMb': {
    unused: 'PostgreSQL gets a quarter of the memory the host has spare; memoryMb picks an RDS class',
  },
  redis: { honours: 'Redis in a container on the host' },
  'redis.persistence': { honours: 'an append-only file on the data volume, and a snapshot in every backup' },
  'redis.role': { honours: 'the eviction policy: allkeys-lru for a cache, noeviction for a broker' },
  'redis.memoryMb': { honours: 'maxmemory, and the instance size' },
  'redis.engine': { unused: 'the host runs the Redis image; engine picks the ElastiCache engine' },
  buckets: {
    honours:
      'a private, encrypted, TLS-only S3 bucket per key; the services that use buckets get BUCKET_<KEY> and access to it',
  },
  'buckets.*.purpose': { honours: 'listed in the plan, and the reason the bucket is not replicated' },
  'buckets.*.storageGb': { honours: "prices the bucket's storage" },
  'buckets.*.versioned': { honours: 'S3 versioning, old versions expiring after 30 days' },
  'integrations.bedrock': { honours: 'the instance role may invoke exactly the named models' },
  'integrations.ses': { honours: 'the instance role may send email from the sender only' },
  ci: {
    honours:
      'out/lean/ci/deploy.yml and an OIDC deploy role: images pushed to ECR, then stackplan-release through SSM Run Command',
  },
  'ci.branch': { honours: 'the branch the deploy role trusts and the workflow runs on' },
  'ci.oidcProvider': { honours: 'creates GitHub’s OIDC provider, or uses the account’s' },
};
