/** SP-ecr-scan-on-push: ECR repositories should scan images when they are pushed (seed 004). */
import type { Rule } from './context.js';

export const rule: Rule = {
  info: {
    id: 'SP-ecr-scan-on-push',
    pack: 'stackplan',
    title: 'ECR repository does not scan images on push',
    severity: 'warning',
    category: 'security',
    securitySeverity: 4.3,
    resourceTypes: ['AWS::ECR::Repository'],
    what: 'An ECR repository whose ImageScanningConfiguration.ScanOnPush is missing or false.',
    why: 'Without a scan, images with known-vulnerable packages are deployed without anyone seeing the CVE list; basic scanning on push is free. (An account-level enhanced scanning configuration supersedes the repository setting: acknowledge the finding if you use one.)',
    fix: 'Set ImageScanningConfiguration: {ScanOnPush: true} (CDK: imageScanOnPush: true), or enable Amazon Inspector enhanced scanning for the registry.',
    references: [
      'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-basic.html',
      'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-enhanced.html',
    ],
  },
  check(ctx) {
    for (const [id, r] of ctx.resources('AWS::ECR::Repository')) {
      const cfg = ctx.props(r).ImageScanningConfiguration as Record<string, unknown> | undefined;
      const on = ctx.bool(cfg?.ScanOnPush);
      if (on === true || (cfg?.ScanOnPush !== undefined && on === undefined)) continue;
      ctx.report({
        logicalId: id,
        path: cfg ? ['Properties', 'ImageScanningConfiguration'] : ['Properties'],
        message: 'repository does not scan images on push: set ImageScanningConfiguration.ScanOnPush: true',
      });
    }
  },
};
