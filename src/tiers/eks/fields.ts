/**
 * How the eks tier treats every optional manifest field: what implements it (a CloudFormation
 * resource, a Kubernetes object, the CI workflow), or why the tier cannot run a manifest that sets
 * it (the tier is then ineligible, and `plan` prints the reason). The network, data stores and edge
 * are the ecs tier's, so their rows say the same.
 */
import type { Manifest } from '../../manifest/normalize.js';
import { ECS_FIELDS } from '../ecs/fields.js';
import type { FieldTable, TierGap } from '../tier.js';

/** Nodes pull add-on images from public registries and the kubectl handler fetches a Helm chart. */
const endpointsOnly = (m: Manifest): TierGap | undefined =>
  m.egress === 'endpoints'
    ? {
        reason:
          'egress endpoints: EKS nodes pull add-on images from public registries and the kubectl handler fetches a Helm chart',
        whenForced: [
          {
            severity: 'error',
            code: 'eks-egress-endpoints',
            path: ['egress'],
            message:
              'the eks tier needs internet egress: nodes pull the add-ons’ images from public registries and the kubectl handler fetches the load balancer controller’s Helm chart',
            expected: 'egress: nat-gateway or nat-instance on eks',
            found: 'egress: endpoints',
            fix: 'set egress: nat-gateway (or nat-instance), or remove "tier: eks"',
          },
        ],
      }
    : undefined;

/** Workers asking for Spot: the cluster's nodes are on-demand (no Spot node group is generated). */
const spotWorkers = (m: Manifest): TierGap | undefined => {
  const spot = m.services.filter((s) => s.spot);
  if (!spot.length) return undefined;
  return {
    reason: `spot: ${spot.map((s) => s.name).join(', ')} would run on on-demand nodes (no Spot node group is generated)`,
    whenForced: spot.map((s) => ({
      severity: 'warning' as const,
      code: 'eks-no-spot',
      path: ['services', s.name, 'spot'],
      message: `the eks tier runs ${s.name} on the cluster's on-demand nodes: it generates no Spot node group`,
      expected: 'spot: false on eks',
      found: 'spot: true',
      fix: `remove services.${s.name}.spot, or remove "tier: eks" (ecs runs the worker on Fargate Spot)`,
    })),
  };
};

const ecs = (field: string) => ECS_FIELDS[field]!;

export const EKS_FIELDS: FieldTable = {
  region: {
    honours:
      'the stack deploys there (CloudFront’s certificate in a us-east-1 stack), and data stores are the cheapest classes priced there',
  },
  aliases: { honours: 'certificate names, CloudFront aliases or the Ingress host, and DNS records' },
  hostedZone: { honours: 'ACM validates in the zone, and alias records point every name at the edge' },
  'hostedZone.name': ecs('hostedZone.name'),
  adminCidr: {
    honours:
      'the only network the Kubernetes API endpoint answers on from the internet (private otherwise); nodes take no SSH',
  },
  tier: { honours: 'tier: eks builds the eks tier even where another tier is cheaper' },
  arch: {
    honours:
      'the nodes’ architecture: Graviton node groups unless an image is x86-only (Auto Mode is x86_64 only)',
  },
  availability: {
    honours:
      'nodes across two AZs (three for multi-az-ha), topology spread, PodDisruptionBudgets, Multi-AZ RDS and cache replicas',
  },
  'backups.rpoHours': ecs('backups.rpoHours'),
  'backups.retentionDays': ecs('backups.retentionDays'),
  'logs.retentionDays': {
    honours:
      'the retention of every log group: Container Insights, the control plane, PostgreSQL and the deploy-time functions',
  },
  egress: {
    honours: 'NAT gateways or NAT instances for the nodes’ private subnets',
    refuses: endpointsOnly,
  },
  contentSecurityPolicy: {
    unused: 'the schema scopes it to the lean tier; the ALB and CloudFront add no CSP',
  },
  waf: {
    honours:
      'a regional web ACL the Ingress annotation attaches to the ALB: managed common rules and a rate limit',
    // Same gap as ecs: the web ACL sits on the load balancer.
    refuses: ECS_FIELDS.waf!.refuses!,
  },
  'services.*.image': { honours: 'the Deployment’s container runs the pinned image' },
  'services.*.build': {
    honours:
      'an ECR repository CI pushes the commit-SHA tag to, deployed by cdk deploy; for a static service, the bundle CI syncs to S3',
  },
  'services.*.output': ecs('services.*.output'),
  'services.*.port': { honours: 'the container port, the Service port and the Ingress backend' },
  'services.*.route': {
    honours: 'an Ingress path on the ALB (and a CloudFront behaviour in front of static sites)',
  },
  'services.*.health': {
    honours: 'the readiness probe (deep) and the ALB target health check; liveness stays a shallow TCP check',
  },
  'services.*.user': { honours: 'the pod and container securityContext runAsUser/runAsGroup (runAsNonRoot)' },
  'services.*.readonlyRootFilesystem': {
    honours: 'the container securityContext readOnlyRootFilesystem, with /tmp an emptyDir',
  },
  'services.*.healthCommand': {
    unused: 'the schema scopes it to the lean host; pods are probed on the health path',
  },
  'services.*.cpu': { honours: 'the container’s CPU request (the limit is twice it) and node sizing' },
  'services.*.memory': { honours: 'the container’s memory request and limit, and node sizing' },
  'services.*.replicas': {
    honours:
      'Deployment replicas, a HorizontalPodAutoscaler on 70% CPU between min and max, a PodDisruptionBudget',
  },
  'services.*.env': { honours: 'the container environment' },
  'services.*.secrets': {
    honours: 'generated at deploy time, mounted by the Secrets Store CSI driver with the pod’s own role',
  },
  'services.*.websocket': { honours: 'the ALB idle timeout (Ingress group attribute) rises to an hour' },
  'services.*.arm64': { honours: 'lets the nodes be Graviton' },
  'services.*.command': { honours: 'the container args' },
  'services.*.releaseTimeout': {
    unused: 'Kubernetes rolls Deployments out with its own readiness probes and progress deadline',
  },
  'services.*.migrate': {
    honours: 'a migration Job cdk deploy runs and waits for before the Deployments roll',
  },
  'services.*.uses': {
    honours: 'NetworkPolicies, the Pod Identity role’s statements and the environment for each use',
  },
  'services.*.spot': { refuses: spotWorkers },
  postgres: ecs('postgres'),
  'postgres.version': ecs('postgres.version'),
  'postgres.storageGb': ecs('postgres.storageGb'),
  'postgres.database': ecs('postgres.database'),
  'postgres.memoryMb': ecs('postgres.memoryMb'),
  redis: ecs('redis'),
  'redis.persistence': ecs('redis.persistence'),
  'redis.role': ecs('redis.role'),
  'redis.memoryMb': ecs('redis.memoryMb'),
  'redis.engine': ecs('redis.engine'),
  search: ecs('search'),
  'search.storageGb': ecs('search.storageGb'),
  'search.nodes': ecs('search.nodes'),
  buckets: {
    honours:
      'a private, encrypted, TLS-only S3 bucket per key, BUCKET_<KEY> and Pod Identity access for the services that use it',
  },
  'buckets.*.purpose': ecs('buckets.*.purpose'),
  'buckets.*.storageGb': ecs('buckets.*.storageGb'),
  'buckets.*.versioned': ecs('buckets.*.versioned'),
  'integrations.bedrock': { honours: 'Pod Identity roles may invoke exactly the named models' },
  'integrations.ses': { honours: 'Pod Identity roles may send email from the sender only' },
  ci: { honours: 'the GitHub Actions workflow (ci/deploy.yml) and the OIDC deploy role' },
  'ci.branch': ecs('ci.branch'),
  'ci.oidcProvider': ecs('ci.oidcProvider'),
};
