/**
 * How the ecs tier treats every optional manifest field: what implements it, or why the tier
 * cannot run a manifest that sets it (the tier is then ineligible, and `plan` prints the reason).
 */
import type { Manifest } from '../../manifest/normalize.js';
import type { FieldTable, TierGap } from '../tier.js';

/** WAF sits on the ALB; an app of static sites only has none (a CloudFront web ACL is not generated). */
const wafWithoutAlb = (m: Manifest): TierGap | undefined => {
  if (!m.waf) return undefined;
  const routed = m.services.some((s) => s.kind !== 'static' && s.kind !== 'worker' && s.route !== undefined);
  if (routed) return undefined;
  return {
    reason: 'waf: the app has no load balancer for the web ACL (a CloudFront web ACL is not generated)',
    whenForced: [
      {
        severity: 'warning',
        code: 'ecs-waf-without-alb',
        path: ['waf'],
        message:
          'the ecs tier puts WAF on the load balancer, and this app has none (static sites only): no web ACL is built',
        expected: 'a routed api, frontend or ml service',
        found: 'static services only',
        fix: 'remove waf, or route a service through the load balancer',
      },
    ],
  };
};

export const ECS_FIELDS: FieldTable = {
  region: {
    honours:
      'the stacks deploy there (CloudFront’s certificate in us-east-1), and data stores are the cheapest classes priced there',
  },
  aliases: { honours: 'certificate names, CloudFront aliases or the ALB host, and DNS records' },
  hostedZone: { honours: 'ACM validates in the zone, and alias records point every name at the edge' },
  'hostedZone.name': { honours: 'the zone certificates validate and records are created in' },
  adminCidr: {
    honours:
      'port 22 is open nowhere: Fargate tasks and NAT instances take no SSH, which is stricter than the CIDR',
  },
  tier: { honours: 'tier: ecs builds the ecs tier even where another tier is cheaper' },
  arch: {
    honours: 'the tasks’ architecture: Graviton unless an image is x86-only or the worker runs on Spot',
  },
  availability: {
    honours: 'two AZs (three for multi-az-ha), Multi-AZ RDS, cache replicas and at least two tasks for HA',
  },
  'backups.rpoHours': { honours: 'RDS point-in-time recovery: transaction logs every 5 minutes' },
  'backups.retentionDays': { honours: 'RDS backup retention, clamped to the 7-35 days RDS allows' },
  'logs.retentionDays': {
    honours:
      'the retention of every log group: container output, WAF, PostgreSQL, OpenSearch and the deploy-time functions',
  },
  egress: { honours: 'NAT gateways, NAT instances, or interface endpoints only' },
  contentSecurityPolicy: {
    unused:
      'the ecs tier adds no Content-Security-Policy header yet (neither the ALB nor CloudFront sets one): the app must send its own',
  },
  waf: {
    honours: 'a regional web ACL on the ALB: AWS managed common rules and a rate limit',
    refuses: wafWithoutAlb,
  },
  'services.*.image': { honours: 'the task runs the pinned image' },
  'services.*.build': {
    honours:
      'an ECR repository CI pushes the commit-SHA tag to; for a static service, the bundle CI syncs to S3',
  },
  'services.*.output': { honours: 'the built files CI syncs to the static bucket' },
  'services.*.port': { honours: 'the container port of the target group or the Cloud Map service' },
  'services.*.route': {
    honours: 'an ALB listener rule (and a CloudFront behaviour in front of static sites)',
  },
  'services.*.health': { honours: 'the target group health check' },
  'services.*.cpu': { honours: 'the smallest Fargate size with at least this vCPU' },
  'services.*.memory': { honours: 'the smallest Fargate size with at least this memory' },
  'services.*.replicas': { honours: 'desired tasks, and target tracking on CPU between min and max' },
  'services.*.env': { honours: 'the task definition environment' },
  'services.*.secrets': { honours: 'generated at deploy time, injected as ECS secrets' },
  'services.*.websocket': { honours: 'the ALB idle timeout rises to an hour' },
  'services.*.arm64': { honours: 'lets the service run on Graviton' },
  'services.*.user': { honours: 'the container user (uid:gid) of the task definition, never root' },
  'services.*.readonlyRootFilesystem': {
    honours:
      'readonlyRootFilesystem on the container, with a Fargate tmpfs at /tmp; false leaves the image writable',
  },
  'services.*.healthCommand': {
    honours: 'an ECS container health check; ECS replaces a task whose check fails',
  },
  'services.*.command': { honours: 'the container command' },
  'services.*.migrate': { honours: 'a one-off migration task CI runs before each deploy' },
  'services.*.releaseTimeout': {
    unused:
      'ECS replaces tasks with its own rolling deployment, health check grace period and circuit breaker',
  },
  'services.*.uses': {
    honours: 'security group access, task role statements and the environment for each use',
  },
  'services.*.spot': { honours: 'a worker runs on Fargate Spot (x86_64)' },
  postgres: { honours: 'RDS PostgreSQL in isolated subnets, encrypted, TLS-only' },
  'postgres.version': { honours: 'the RDS engine version' },
  'postgres.storageGb': { honours: 'allocated gp3 storage (autoscaling to twice)' },
  'postgres.database': { honours: 'the database RDS creates' },
  'postgres.memoryMb': { honours: 'the cheapest RDS class with at least this memory' },
  redis: { honours: 'an ElastiCache replication group, encrypted, TLS and AUTH' },
  'redis.persistence': { honours: 'daily snapshots kept 7 days' },
  'redis.role': { honours: 'eviction policy, and a replica for a broker even at single-instance' },
  'redis.memoryMb': { honours: 'the cheapest node with this memory after reserved memory' },
  'redis.engine': { honours: 'the ElastiCache engine (Valkey or Redis OSS)' },
  search: { honours: 'an OpenSearch domain in the VPC' },
  'search.storageGb': { honours: 'EBS storage per data node' },
  'search.nodes': { honours: 'data nodes, with zone awareness and index replicas above one' },
  buckets: {
    honours: 'a private, encrypted, TLS-only S3 bucket per key, BUCKET_<KEY> for the services that use it',
  },
  'buckets.*.purpose': { honours: 'listed in the plan, and the reason the bucket is not replicated' },
  'buckets.*.storageGb': { honours: "prices the bucket's storage" },
  'buckets.*.versioned': { honours: 'S3 versioning, old versions expiring after 30 days' },
  'integrations.bedrock': { honours: 'task roles may invoke exactly the named models' },
  'integrations.ses': { honours: 'task roles may send email from the sender only' },
  ci: { honours: 'the GitHub Actions workflow and the OIDC deploy role' },
  'ci.branch': { honours: 'the branch the deploy role trusts and the workflow runs on' },
  'ci.oidcProvider': { honours: 'creates GitHub’s OIDC provider, or uses the account’s' },
};
