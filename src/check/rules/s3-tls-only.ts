/** SP-s3-tls-only: a bucket policy must deny requests that do not use TLS. */
import type { Rule } from './context.js';

export const rule: Rule = {
  info: {
    id: 'SP-s3-tls-only',
    pack: 'stackplan',
    title: 'S3 bucket accepts requests without TLS',
    severity: 'error',
    category: 'security',
    securitySeverity: 5.9,
    resourceTypes: ['AWS::S3::Bucket', 'AWS::S3::BucketPolicy'],
    what: 'A bucket with no bucket policy, or whose policy has no Deny statement on the condition aws:SecureTransport = false (or s3:TlsVersion below 1.2).',
    why: 'S3 answers plain HTTP: without the deny, a client misconfigured with an http:// endpoint sends objects and signed requests in the clear, and data-in-transit requirements (PCI DSS, HIPAA, NIST SC-8) are not met.',
    fix: 'Add a bucket policy statement {Effect: Deny, Principal: "*", Action: "s3:*", Resource: [bucket ARN, bucket ARN/*], Condition: {Bool: {"aws:SecureTransport": "false"}}} (CDK: enforceSSL: true).',
    references: [
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit',
      'https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule',
    ],
  },
  check(ctx) {
    const denied = new Set<string>();
    for (const [, p] of ctx.resources('AWS::S3::BucketPolicy')) {
      const props = ctx.props(p);
      const bucket = ctx.refTarget(props.Bucket);
      const doc = JSON.stringify(props.PolicyDocument ?? {});
      const deniesPlain =
        /"Effect":"Deny"/.test(doc) &&
        (/"aws:SecureTransport":\s*(false|"false")/.test(doc) || /"s3:TlsVersion"/.test(doc));
      if (!deniesPlain) continue;
      if (bucket) denied.add(bucket);
      else {
        // Bucket given by name: the bucket whose BucketName is written the same way (compared as
        // text, so names built with !Sub around the account id still match).
        const name = ctx.text(props.Bucket);
        for (const [id, b] of ctx.resources('AWS::S3::Bucket')) {
          const own = ctx.props(b).BucketName;
          if (own !== undefined && ctx.text(own) === name) denied.add(id);
        }
      }
    }
    for (const [id] of ctx.resources('AWS::S3::Bucket')) {
      if (denied.has(id)) continue;
      ctx.report({
        logicalId: id,
        path: ['Properties'],
        message:
          'no bucket policy denies requests without TLS (aws:SecureTransport false): add one (CDK: enforceSSL: true)',
      });
    }
  },
};
