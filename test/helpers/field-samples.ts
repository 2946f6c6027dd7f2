/**
 * The field samples of the manifest schema's optional fields: a base manifest every tier can run,
 * and for each optional field a patch that sets it (to a value other than its default). Shared by
 * the field × tier test (each tier says how it honours each field) and the field-plan test (each
 * sample plans through every tier and its policy packs).
 */
/** A manifest every tier can run, to which each sample adds one field. */
export const BASE = {
  name: 'shop',
  domain: 'shop.example.com',
  alarmEmail: 'ops@example.com',
  services: { api: { kind: 'api', image: 'ghcr.io/acme/api:1.0.0', port: 8080 } } as Record<string, any>,
};

/** For each optional field, a manifest that sets it (to a value other than its default). */
export const SAMPLES: Record<string, (tier: string) => Record<string, unknown>> = {
  region: () => ({ region: 'eu-west-1' }),
  aliases: () => ({ aliases: ['www.shop.example.com'] }),
  hostedZone: () => ({ hostedZone: { id: 'Z0123456789ABCDEFGHIJ' } }),
  'hostedZone.name': () => ({ hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: 'shop.example.com' } }),
  adminCidr: () => ({ adminCidr: '203.0.113.7/32' }),
  tier: (tier) => ({ tier }),
  arch: () => ({ arch: 'arm64', services: { api: { ...BASE.services.api, arm64: true } } }),
  availability: () => ({ availability: 'multi-az' }),
  'backups.rpoHours': () => ({ backups: { rpoHours: 0.5 } }),
  'backups.retentionDays': () => ({ backups: { retentionDays: 30 } }),
  'logs.retentionDays': () => ({ logs: { retentionDays: 90 } }),
  'traffic.requestsPerMonth': () => ({ traffic: { requestsPerMonth: 5_000_000 } }),
  'traffic.gbOutPerMonth': () => ({ traffic: { gbOutPerMonth: 40 } }),
  egress: () => ({ egress: 'nat-instance' }),
  contentSecurityPolicy: () => ({ contentSecurityPolicy: "default-src 'self'" }),
  waf: () => ({ waf: true }),
  'services.*.image': () => svc({ image: 'ghcr.io/acme/api:2.0.0' }),
  'services.*.build': () => svc({ image: undefined, build: './api' }),
  'services.*.output': () => ({
    services: { ...BASE.services, web: { kind: 'static', build: './web', output: 'build' } },
  }),
  'services.*.port': () => svc({ port: 9000 }),
  'services.*.route': () => svc({ route: '/v1/' }),
  'services.*.health': () => svc({ health: '/ready' }),
  'services.*.user': () => svc({ user: '1000:1000' }),
  'services.*.readonlyRootFilesystem': () => svc({ readonlyRootFilesystem: false }),
  'services.*.healthCommand': () => svc({ healthCommand: ['/app/healthcheck'] }),
  'services.*.cpu': () => svc({ cpu: 0.5 }),
  'services.*.memory': () => svc({ memory: 1024 }),
  'services.*.replicas': () => svc({ replicas: { min: 1, max: 3 } }),
  'services.*.env': () => svc({ env: { LOG_LEVEL: 'debug' } }),
  'services.*.secrets': () => svc({ secrets: ['JWT_SECRET'] }),
  'services.*.websocket': () => svc({ websocket: true }),
  'services.*.arm64': () => svc({ arm64: true }),
  'services.*.command': () => svc({ command: ['serve', '--port', '8080'] }),
  'services.*.releaseTimeout': () => svc({ releaseTimeout: 120 }),
  'services.*.migrate': () => ({ ...svc({ migrate: ['migrate', 'up'] }), postgres: true }),
  'services.*.uses': () => ({ ...svc({ uses: ['postgres'] }), postgres: true, redis: true }),
  'services.*.spot': () => ({
    services: { ...BASE.services, jobs: { kind: 'worker', image: 'ghcr.io/acme/jobs:1.0.0', spot: true } },
  }),
  'services.*.rehearse': () => svc({ rehearse: { command: 'node server.mjs' } }),
  'services.*.rehearse.cwd': () => svc({ rehearse: { command: 'node server.mjs', cwd: 'api' } }),
  postgres: () => ({ postgres: true }),
  'postgres.version': () => ({ postgres: { version: '15' } }),
  'postgres.storageGb': () => ({ postgres: { storageGb: 50 } }),
  'postgres.database': () => ({ postgres: { database: 'orders' } }),
  'postgres.memoryMb': () => ({ postgres: { memoryMb: 2048 } }),
  redis: () => ({ redis: true }),
  'redis.persistence': () => ({ redis: { persistence: true } }),
  'redis.role': () => ({ redis: { role: 'broker', persistence: true } }),
  'redis.memoryMb': () => ({ redis: { memoryMb: 256 } }),
  'redis.engine': () => ({ redis: { engine: 'redis' } }),
  search: () => ({ search: true }),
  'search.storageGb': () => ({ search: { storageGb: 20 } }),
  'search.nodes': () => ({ search: { nodes: 2 } }),
  buckets: () => ({ buckets: { uploads: {} } }),
  'buckets.*.purpose': () => ({ buckets: { uploads: { purpose: 'user uploads' } } }),
  'buckets.*.storageGb': () => ({ buckets: { uploads: { storageGb: 25 } } }),
  'buckets.*.versioned': () => ({ buckets: { uploads: { versioned: false } } }),
  'integrations.bedrock': () => ({
    integrations: { bedrock: { models: [{ id: 'amazon.nova-lite-v1:0' }] } },
  }),
  'integrations.bedrock.models.*.inputTokensPerMonth': () => ({
    integrations: { bedrock: { models: [{ id: 'amazon.nova-lite-v1:0', inputTokensPerMonth: 1e6 }] } },
  }),
  'integrations.bedrock.models.*.outputTokensPerMonth': () => ({
    integrations: { bedrock: { models: [{ id: 'amazon.nova-lite-v1:0', outputTokensPerMonth: 1e5 }] } },
  }),
  'integrations.ses': () => ({ integrations: { ses: { sender: 'noreply@shop.example.com' } } }),
  'integrations.ses.emailsPerMonth': () => ({
    integrations: { ses: { sender: 'noreply@shop.example.com', emailsPerMonth: 5000 } },
  }),
  ci: () => ({ ci: { repository: 'acme/shop' } }),
  'ci.branch': () => ({ ci: { repository: 'acme/shop', branch: 'prod' } }),
  'ci.oidcProvider': () => ({ ci: { repository: 'acme/shop', oidcProvider: 'existing' } }),
};

/** The api service with some fields changed (undefined removes one). */
export function svc(fields: Record<string, unknown>): Record<string, unknown> {
  const api: Record<string, unknown> = { ...BASE.services.api, ...fields };
  for (const [k, v] of Object.entries(api)) if (v === undefined) delete api[k];
  return { services: { ...BASE.services, api } };
}
