/**
 * The usage `plan` prices a tier with: what the manifest says (traffic, Bedrock tokens, SES
 * emails), and a named profile for everything it does not (S3 storage, log volume, LCUs…),
 * chosen from the manifest's traffic unless the caller names one.
 */
import type { Manifest } from '../manifest/normalize.js';
import { PROFILES, type ProfileName, type Usage } from './usage.js';

/** The built-in profile whose request volume is closest above the manifest's traffic. */
export function profileForTraffic(requestsPerMonth: number): ProfileName {
  const small = PROFILES.small.requestsPerMonth ?? 0;
  const medium = PROFILES.medium.requestsPerMonth ?? 0;
  if (requestsPerMonth <= small * 3) return 'small';
  if (requestsPerMonth <= medium * 3) return 'medium';
  return 'large';
}

export function usageFromManifest(
  m: Manifest,
  profile: ProfileName = profileForTraffic(m.traffic.requestsPerMonth),
): Usage {
  const usage: Usage = {
    profile,
    dataTransferOutGb: m.traffic.gbOutPerMonth,
    requestsPerMonth: m.traffic.requestsPerMonth,
  };
  const models = m.integrations.bedrock?.models ?? [];
  if (models.length) {
    usage.bedrock = models.map((x) => ({
      model: x.id,
      ...(x.inputTokensPerMonth !== undefined && { inputTokens: x.inputTokensPerMonth }),
      ...(x.outputTokensPerMonth !== undefined && { outputTokens: x.outputTokensPerMonth }),
    }));
  }
  if (m.integrations.ses) {
    usage.ses =
      m.integrations.ses.emailsPerMonth !== undefined ? { emails: m.integrations.ses.emailsPerMonth } : {};
  }
  return usage;
}
