/**
 * SP-elasticache-auth: a Redis OSS or Valkey cache must authenticate its clients (an AUTH token,
 * or RBAC user groups), which also needs in-transit encryption.
 */
import type { Rule } from './context.js';

export const rule: Rule = {
  info: {
    id: 'SP-elasticache-auth',
    pack: 'stackplan',
    title: 'ElastiCache Redis OSS / Valkey without authentication',
    severity: 'error',
    category: 'security',
    securitySeverity: 7.5,
    resourceTypes: [
      'AWS::ElastiCache::ReplicationGroup',
      'AWS::ElastiCache::CacheCluster',
      'AWS::ElastiCache::ServerlessCache',
    ],
    what: 'A Redis OSS or Valkey replication group with neither AuthToken nor UserGroupIds (or with TransitEncryptionEnabled false, which rules both out); a Redis OSS or Valkey CacheCluster (which cannot take an AUTH token); a serverless cache without UserGroupId.',
    why: 'Without AUTH anything that reaches the port can read and write every key, run FLUSHALL or CONFIG, and use the cache as a foothold; security groups alone leave every workload in the VPC as a client.',
    fix: 'Use a replication group with TransitEncryptionEnabled: true and an AuthToken from Secrets Manager ({{resolve:secretsmanager:…}}), or RBAC UserGroupIds; give serverless caches a UserGroupId.',
    references: [
      'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html',
      'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html',
    ],
  },
  check(ctx) {
    for (const [id, r] of ctx.resources(
      'AWS::ElastiCache::ReplicationGroup',
      'AWS::ElastiCache::CacheCluster',
      'AWS::ElastiCache::ServerlessCache',
    )) {
      const p = ctx.props(r);
      const engine = (ctx.str(p.Engine) ?? 'redis').toLowerCase();
      if (engine === 'memcached') continue;
      if (r.Type === 'AWS::ElastiCache::CacheCluster') {
        ctx.report({
          logicalId: id,
          path: ['Properties', 'Engine'],
          message: `${engine} CacheCluster cannot require an AUTH token: use an AWS::ElastiCache::ReplicationGroup with TransitEncryptionEnabled and AuthToken`,
        });
        continue;
      }
      if (r.Type === 'AWS::ElastiCache::ServerlessCache') {
        if (p.UserGroupId === undefined) {
          ctx.report({
            logicalId: id,
            path: ['Properties'],
            message:
              'serverless cache has no UserGroupId, so its default user needs no password: attach an RBAC user group',
          });
        }
        continue;
      }
      if (p.AuthToken !== undefined || p.UserGroupIds !== undefined) {
        if (ctx.bool(p.TransitEncryptionEnabled) === false) {
          ctx.report({
            logicalId: id,
            path: ['Properties', 'TransitEncryptionEnabled'],
            message:
              'replication group has AUTH configured but TransitEncryptionEnabled: false, so AUTH is refused (and would travel in the clear): enable in-transit encryption',
          });
        }
        continue;
      }
      ctx.report({
        logicalId: id,
        path: ['Properties'],
        message: `${engine} replication group has no AuthToken and no UserGroupIds: any client that reaches port 6379 can read and write every key`,
      });
    }
  },
};
