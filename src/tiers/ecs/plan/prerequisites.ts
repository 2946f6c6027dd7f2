/** One-time account setup the first deploy of the ecs tier needs, in order. */
import type { Manifest } from '../../../manifest/normalize.js';
import type { EcsEdge, EcsSearch } from '../../../model/ecs.js';

/** What an AWS account needs once before this stack's first deploy. */
export function prerequisites(m: Manifest, edge: EcsEdge, search: EcsSearch | undefined): string[] {
  const regions = [m.region, ...(edge.edgeStackRegion ? [edge.edgeStackRegion] : [])];
  const out = [`npx aws-cdk bootstrap ${regions.map((r) => `aws://<account>/${r}`).join(' ')}`];
  if (search) {
    out.push(
      'aws iam create-service-linked-role --aws-service-name opensearchservice.amazonaws.com (once per account: OpenSearch needs it to place a domain in a VPC; "has been taken" means it exists already)',
    );
  }
  const bedrock = m.integrations.bedrock?.models ?? [];
  if (bedrock.length && m.services.some((s) => s.uses.includes('bedrock'))) {
    out.push(
      `Bedrock model access in ${m.region} for ${bedrock.map((b) => b.id).join(', ')} (console: Bedrock → Model access; Anthropic models ask for a use-case form once)`,
    );
  }
  const ses = m.integrations.ses;
  if (ses && m.services.some((s) => s.uses.includes('ses'))) {
    out.push(
      `verify ${ses.sender.split('@')[1]} in SES ${m.region} and request production access (a new account can only send to verified addresses)`,
    );
  }
  return out;
}
