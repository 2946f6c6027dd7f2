/**
 * AWS::Cognito::UserPool: monthly active users (usage) at its feature tier (`UserPoolTier`,
 * Essentials by default for new pools); 10,000 a month always free on Lite and Essentials.
 */
import { type Pricer, usage } from './common.js';

export const cognitoUserPool: Pricer = (ctx) => {
  const tier = ctx.props.str('UserPoolTier', 'ESSENTIALS').toLowerCase();
  const label = tier.charAt(0).toUpperCase() + tier.slice(1);
  return {
    components: [
      usage(
        `Monthly active users (${label})`,
        'MAUs',
        ctx.usage.monthlyActiveUsers,
        'cognito',
        `${tier}_mau`,
        {
          meter: tier === 'plus' ? `cognito.mau:${tier}` : 'cognito.mau',
        },
      ),
    ],
    notes: ['SMS and email messages sent for the pool are billed by SNS and SES (not priced here)'],
  };
};
