/** AWS::SecretsManager::Secret: a monthly fee per secret (replicas too) and API calls (usage). */
import { monthly, type Pricer, per, plural, usage } from './common.js';

export const secretsManagerSecret: Pricer = (ctx) => {
  const n = 1 + ctx.props.list('ReplicaRegions').length;
  return {
    components: [
      monthly(
        n === 1 ? 'Secret' : `Secrets (${plural(n - 1, 'replica')} included)`,
        'months',
        n,
        'secrets_manager',
        'secret_month',
      ),
      usage(
        'API requests',
        '10k requests',
        per(ctx.usage.apiCalls, 10_000),
        'secrets_manager',
        'api_per_10k',
      ),
    ],
  };
};
