/**
 * SP-s3-public-access-block: every bucket should block public access explicitly. Since April 2023
 * new buckets block it by default, so a missing configuration is a warning (the template relies on
 * a default an account setting or a later change can undo); switching a block off is an error.
 */
import type { Rule } from './context.js';

const SETTINGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];

export const rule: Rule = {
  info: {
    id: 'SP-s3-public-access-block',
    pack: 'stackplan',
    title: 'S3 bucket does not block public access',
    severity: 'error',
    category: 'security',
    securitySeverity: 7.5,
    resourceTypes: ['AWS::S3::Bucket'],
    what: "A bucket whose PublicAccessBlockConfiguration sets any of BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls or RestrictPublicBuckets to false (error), or has no PublicAccessBlockConfiguration at all (warning: it then relies on S3's default).",
    why: 'Public buckets are the most common AWS data leak. The public access block is the guard that stops a later ACL or policy change from publishing the data; a website does not need it off — serve it through CloudFront with origin access control.',
    fix: 'Set all four settings to true (CDK: blockPublicAccess: BlockPublicAccess.BLOCK_ALL) and serve public content through CloudFront with origin access control.',
    references: [
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
      'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html',
    ],
  },
  check(ctx) {
    for (const [id, r] of ctx.resources('AWS::S3::Bucket')) {
      const raw = ctx.props(r).PublicAccessBlockConfiguration;
      if (raw === undefined) {
        ctx.report({
          logicalId: id,
          severity: 'warning',
          path: ['Properties'],
          message:
            "bucket has no PublicAccessBlockConfiguration and relies on S3's default: block all public access explicitly",
        });
        continue;
      }
      const cfg = ctx.known(raw) as Record<string, unknown> | undefined;
      if (!cfg) continue;
      const off = SETTINGS.filter((s) => cfg[s] === false || cfg[s] === 'false' || cfg[s] === undefined);
      if (off.length === 0) continue;
      const explicit = off.filter((s) => cfg[s] !== undefined);
      ctx.report({
        logicalId: id,
        severity: explicit.length ? 'error' : 'warning',
        path: [
          'Properties',
          'PublicAccessBlockConfiguration',
          ...(explicit.length === 1 ? [explicit[0]!] : []),
        ],
        message: `bucket's public access block leaves ${off.join(', ')} off: set all four to true`,
      });
    }
  },
};
