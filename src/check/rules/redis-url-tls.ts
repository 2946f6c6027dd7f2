/**
 * SP-redis-url-tls: an app given `redis://` for an ElastiCache cache with in-transit encryption
 * connects in plain text and fails (or, with a lenient client, silently never connects). Seeds 001
 * and 003 do exactly this: TransitEncryptionEnabled: true and REDIS_URL=redis://….
 */
import { type Rule, type RuleContext, UNKNOWN } from './context.js';
import { containers } from './workloads.js';

/** Caches with in-transit encryption on: logical id → type. Serverless caches always encrypt. */
function encryptedCaches(ctx: RuleContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, r] of ctx.resources(
    'AWS::ElastiCache::ReplicationGroup',
    'AWS::ElastiCache::CacheCluster',
    'AWS::ElastiCache::ServerlessCache',
  )) {
    if (
      r.Type === 'AWS::ElastiCache::ServerlessCache' ||
      ctx.bool(ctx.props(r).TransitEncryptionEnabled) === true
    ) {
      out.set(id, r.Type);
    }
  }
  return out;
}

/** Places a connection URL is handed to an app, with their paths below the resource. */
function urlCarriers(
  ctx: RuleContext,
): Array<{ id: string; path: Array<string | number>; what: string; value: unknown }> {
  const out: Array<{ id: string; path: Array<string | number>; what: string; value: unknown }> = [];
  for (const c of containers(ctx)) {
    for (const e of c.env)
      out.push({ id: c.logicalId, path: e.path, what: `${c.name}: ${e.name}`, value: e.value });
  }
  const add = (type: string, prop: string, what: string) => {
    for (const [id, r] of ctx.resources(type)) {
      const v = ctx.props(r)[prop];
      if (v !== undefined) out.push({ id, path: ['Properties', prop], what, value: v });
    }
  };
  add('AWS::SecretsManager::Secret', 'SecretString', 'secret value');
  add('AWS::SSM::Parameter', 'Value', 'parameter value');
  return out;
}

export const rule: Rule = {
  info: {
    id: 'SP-redis-url-tls',
    pack: 'stackplan',
    title: 'redis:// URL for a cache that requires TLS',
    severity: 'error',
    category: 'security',
    securitySeverity: 6.5,
    resourceTypes: [
      'AWS::ElastiCache::ReplicationGroup',
      'AWS::ElastiCache::ServerlessCache',
      'AWS::ECS::TaskDefinition',
      'AWS::Lambda::Function',
      'AWS::SecretsManager::Secret',
      'AWS::SSM::Parameter',
    ],
    what: 'A `redis://` URL in a container or function environment, a secret or an SSM parameter of a stack whose ElastiCache cache has in-transit encryption on (TransitEncryptionEnabled: true, or any serverless cache).',
    why: 'A cache with in-transit encryption accepts only TLS connections: a client given redis:// speaks plain text and cannot connect, and clients that fall back silently may send the AUTH token in the clear to whatever answers.',
    fix: 'Hand the app rediss://:<auth token>@<primary endpoint>:6379 (note the double s), from a secret.',
    references: [
      'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html',
      'https://www.iana.org/assignments/uri-schemes/prov/rediss',
    ],
  },
  check(ctx) {
    const caches = encryptedCaches(ctx);
    if (caches.size === 0) return;
    const names = [...caches.keys()];
    for (const c of urlCarriers(ctx)) {
      const text = ctx.text(c.value);
      const m = /\bredis:\/\/[^\s"',]*/i.exec(text);
      if (!m) continue;
      ctx.report({
        logicalId: c.id,
        path: c.path,
        detail: c.what,
        message: `${c.what} is ${m[0].split(UNKNOWN).join('…')} but ${names.length === 1 ? `cache ${names[0]} requires` : `caches ${names.join(', ')} require`} TLS: use rediss:// with the AUTH token`,
      });
    }
  },
};
