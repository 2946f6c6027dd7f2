/**
 * Cross-field checks only the ecs tier makes: `validate` runs them unless the manifest forces
 * another tier (they concern private subnets, which the lean host does not have).
 */
import type { Finding, Rule } from '../../manifest/rules.js';

/** egress: endpoints gives private subnets no internet: images must come from ECR, and SES is unreachable. */
export const endpointsEgress: Rule = ({ manifest }) => {
  if (manifest.egress !== 'endpoints') return [];
  const out: Finding[] = manifest.services
    .filter((s) => s.image !== undefined)
    .map((s) => ({
      severity: 'error' as const,
      code: 'endpoints-external-image',
      path: ['services', s.name, 'image'],
      message: `egress: endpoints gives the private subnets no internet access, so ${s.image} cannot be pulled from its registry`,
      expected: 'images built by CI into ECR (build:), reached through the ECR endpoints',
      found: `image ${s.image}`,
      fix: `set services.${s.name}.build to the image's source so CI pushes it to ECR, or set egress: nat-instance (the cheapest egress with internet access)`,
    }));
  if (manifest.integrations.ses && manifest.services.some((s) => s.uses.includes('ses'))) {
    out.push({
      severity: 'warning',
      code: 'endpoints-ses',
      path: ['egress'],
      message:
        'egress: endpoints creates no SES endpoint: the SES API is reached over the internet, so sending email will fail',
      expected: 'internet egress for SES',
      found: 'egress: endpoints',
      fix: 'set egress: nat-instance (or nat-gateway) so services can reach the SES API',
    });
  }
  return out;
};

export const ECS_RULES: readonly Rule[] = [endpointsEgress];
