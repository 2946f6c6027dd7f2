/** SP-ecr-immutable-tags: ECR tags should be immutable, so a tag always means one image (seed 004). */
import type { Rule } from './context.js';

export const rule: Rule = {
  info: {
    id: 'SP-ecr-immutable-tags',
    pack: 'stackplan',
    title: 'ECR repository allows tags to be overwritten',
    severity: 'warning',
    category: 'security',
    securitySeverity: 4.3,
    resourceTypes: ['AWS::ECR::Repository'],
    what: 'An ECR repository whose ImageTagMutability is missing (MUTABLE is the default) or MUTABLE.',
    why: 'With mutable tags a push can silently replace the image behind a tag that is already deployed: the next task start runs different code than the one that was tested, and an attacker with push rights needs no template change.',
    fix: 'Set ImageTagMutability: IMMUTABLE (CDK: imageTagMutability: TagMutability.IMMUTABLE) and tag images with the commit SHA or a release version.',
    references: ['https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html'],
  },
  check(ctx) {
    for (const [id, r] of ctx.resources('AWS::ECR::Repository')) {
      const p = ctx.props(r);
      const m = ctx.str(p.ImageTagMutability);
      if (m?.startsWith('IMMUTABLE') || (p.ImageTagMutability !== undefined && m === undefined)) continue;
      ctx.report({
        logicalId: id,
        path: p.ImageTagMutability !== undefined ? ['Properties', 'ImageTagMutability'] : ['Properties'],
        message: `repository tags are ${m ?? 'MUTABLE (the default)'}: set ImageTagMutability: IMMUTABLE`,
      });
    }
  },
};
