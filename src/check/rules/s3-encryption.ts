/** SP-s3-encryption: a bucket should say how it is encrypted at rest. */
import type { Rule } from './context.js';

export const rule: Rule = {
  info: {
    id: 'SP-s3-encryption',
    pack: 'stackplan',
    title: 'S3 bucket has no encryption configuration',
    severity: 'warning',
    category: 'security',
    securitySeverity: 4.0,
    resourceTypes: ['AWS::S3::Bucket'],
    what: 'A bucket without BucketEncryption.ServerSideEncryptionConfiguration.',
    why: "S3 encrypts new objects with SSE-S3 by default since January 2023, but a template that does not say so leaves the choice to defaults, fails audits that read the template (and cdk-nag's NIST and HIPAA packs), and cannot move to SSE-KMS, whose key policy and CloudTrail records show who decrypted what.",
    fix: 'Set BucketEncryption with SSEAlgorithm AES256, or aws:kms with a customer-managed key and BucketKeyEnabled: true (CDK: encryption: BucketEncryption.S3_MANAGED or KMS).',
    references: [
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html',
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html',
    ],
  },
  check(ctx) {
    for (const [id, r] of ctx.resources('AWS::S3::Bucket')) {
      const enc = ctx.props(r).BucketEncryption as Record<string, unknown> | undefined;
      const rules = enc?.ServerSideEncryptionConfiguration;
      // A non-empty rule list, or one built by an intrinsic function, declares it.
      if (rules !== undefined && (!Array.isArray(rules) || rules.length > 0)) continue;
      ctx.report({
        logicalId: id,
        path: enc ? ['Properties', 'BucketEncryption'] : ['Properties'],
        message:
          'bucket does not declare its encryption (S3 applies SSE-S3 by default): set BucketEncryption, SSE-KMS for audit trails',
      });
    }
  },
};
