/** AWS::SNS::Topic: publish requests and, with email subscribers, email deliveries (usage). */
import type { CostComponent } from '../types.js';
import { ctxProps, type Pricer, per, usage } from './common.js';

export const snsTopic: Pricer = (ctx) => {
  const inline = ctx.props.subs('Subscription').some((s) => s.str('Protocol', '').startsWith('email'));
  const separate = ctx.index.ofType('AWS::SNS::Subscription').some(([id]) => {
    try {
      const s = ctxProps(ctx, id)!;
      return s.ref('TopicArn') === ctx.logicalId && s.str('Protocol', '').startsWith('email');
    } catch {
      return false;
    }
  });
  const components: CostComponent[] = [
    usage('Publish requests', '1M requests', per(ctx.usage.publishes, 1e6), 'sns', 'publish_per_million', {
      meter: 'sns.publish.1m',
    }),
  ];
  if (inline || separate) {
    components.push(
      usage(
        'Email notifications',
        '100k notifications',
        per(ctx.usage.emailNotifications, 1e5),
        'sns',
        'email_per_100k',
        {
          meter: 'sns.email.100k',
        },
      ),
    );
  }
  return { components };
};
