/** AWS::KMS::Key: a monthly fee per customer managed key and requests (usage). */
import { monthly, type Pricer, per, usage } from './common.js';

export const kmsKey: Pricer = (ctx) => {
  const notes: string[] = [];
  if (ctx.props.bool('EnableKeyRotation', false))
    notes.push('each rotation adds $1/month for the first two rotations (not included)');
  if (ctx.props.str('KeyState', 'Enabled') === 'PendingDeletion')
    notes.push('keys pending deletion are not billed');
  return {
    components: [
      monthly('Customer managed key', 'months', 1, 'kms', 'key_month'),
      usage('Requests', '10k requests', per(ctx.usage.requests, 10_000), 'kms', 'requests_per_10k', {
        meter: 'kms.requests.10k',
      }),
    ],
    notes,
  };
};
