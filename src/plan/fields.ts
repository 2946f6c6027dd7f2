/**
 * Optional manifest fields stackplan honours the same way whatever the tier, so no tier's field
 * table lists them: the traffic and volumes pricing uses, and how `stackplan rehearse` starts a
 * service. Every other optional field is in every tier's table (src/tiers/<tier>/fields.ts).
 */
export const PIPELINE_FIELDS: Readonly<Record<string, string>> = {
  'traffic.requestsPerMonth':
    "chooses the tier (each tier's designed-for traffic) and prices requests as usage",
  'traffic.gbOutPerMonth': 'prices data sent to the internet as usage',
  'services.*.rehearse': '`stackplan rehearse` starts the service with this command instead of its image',
  'services.*.rehearse.cwd': 'the directory `stackplan rehearse` runs the command in',
  'integrations.bedrock.models.*.inputTokensPerMonth': 'prices Bedrock input tokens as usage',
  'integrations.bedrock.models.*.outputTokensPerMonth': 'prices Bedrock output tokens as usage',
  'integrations.ses.emailsPerMonth': 'prices SES emails as usage',
};
