/**
 * SP-image-tag: container images must be pinned, by an immutable tag or a digest. `:latest` (or
 * no tag, which means latest) deploys whatever was pushed last: seeds 001 and 004.
 */
import { type Rule, UNKNOWN } from './context.js';
import { containers } from './workloads.js';

/** The tag of an image reference, `''` when it has none, undefined when it is a digest or unknown. */
export function imageTag(image: string): string | undefined {
  if (image.includes('@')) return undefined; // pinned by digest
  const last = image.slice(image.lastIndexOf('/') + 1);
  const i = last.lastIndexOf(':');
  const tag = i >= 0 ? last.slice(i + 1) : '';
  return tag.includes(UNKNOWN) ? undefined : tag;
}

export const rule: Rule = {
  info: {
    id: 'SP-image-tag',
    pack: 'stackplan',
    title: 'Container image is :latest or has no tag',
    severity: 'warning',
    category: 'security',
    securitySeverity: 5.0,
    resourceTypes: [
      'AWS::ECS::TaskDefinition',
      'AWS::Lambda::Function',
      'AWS::AppRunner::Service',
      'Custom::AWSCDK-EKS-KubernetesResource',
    ],
    what: 'An ECS container, image-based Lambda function, App Runner service or Kubernetes container whose image has the tag `latest` or no tag at all (which pulls `latest`). Images pinned by digest (@sha256:…) and tags computed at deploy time are not reported.',
    why: 'A moving tag makes every deploy, scale-out and task restart pull whatever was pushed last: two tasks of one service can run different code, a rollback redeploys the broken image, and a compromised or mistaken push reaches production without a change to the template.',
    fix: "Reference an immutable tag (a release version or the commit SHA CI built) or a digest, and make the repository's tags immutable (SP-ecr-immutable-tags).",
    references: [
      'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-considerations.html',
      'https://kubernetes.io/docs/concepts/containers/images/#image-names',
    ],
  },
  check(ctx) {
    for (const c of containers(ctx)) {
      if (c.image === undefined) continue;
      const image = ctx.text(c.image);
      if (image === UNKNOWN) continue;
      const tag = imageTag(image);
      if (tag === undefined || (tag !== '' && tag !== 'latest')) continue;
      ctx.report({
        logicalId: c.logicalId,
        path: c.imagePath ?? ['Properties'],
        detail: c.name,
        message: `${c.name} runs ${image.split(UNKNOWN).join('…')}${tag === '' ? ' (no tag: latest)' : ''}: pin a version tag or a digest`,
      });
    }
  },
};
