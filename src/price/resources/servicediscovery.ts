/**
 * AWS Cloud Map (ECS service discovery): a private DNS namespace is a Route 53 private hosted
 * zone (monthly fee, queries by usage); each service bills its registered instances — ECS
 * registers one per running task, so the default is the desired count of the ECS services that
 * use the registry.
 */
import { ctxProps, monthly, type Pricer, per, usage } from './common.js';

export const serviceDiscoveryPrivateDnsNamespace: Pricer = (ctx) => ({
  components: [
    monthly('Hosted zone (private, for the namespace)', 'months', 1, 'route53', 'hosted_zone_month'),
    usage(
      'DNS queries',
      '1M queries',
      per(ctx.usage.queries, 1e6),
      'route53',
      'standard_queries_per_million',
    ),
  ],
});

export const serviceDiscoveryService: Pricer = (ctx) => {
  // Desired tasks of the ECS services using each registry, indexed once per template.
  const tasksByRegistry = ctx.index.memo('cloud-map-tasks', () => {
    const m = new Map<string, number>();
    for (const [id] of ctx.index.ofType('AWS::ECS::Service')) {
      try {
        const svc = ctxProps(ctx, id)!;
        const registries = new Set(svc.subs('ServiceRegistries').map((r) => r.ref('RegistryArn')));
        for (const reg of registries) if (reg) m.set(reg, (m.get(reg) ?? 0) + svc.num('DesiredCount', 1));
      } catch {
        // an unresolvable service property leaves the count to usage
      }
    }
    return m;
  });
  const instances = ctx.usage.instances ?? tasksByRegistry.get(ctx.logicalId);
  return {
    components: [
      usage('Registered instances', 'resource-months', instances, 'cloud_map', 'registered_resource_month'),
    ],
    notes: ['queries through the namespace are priced on the namespace (Route 53)'],
  };
};
