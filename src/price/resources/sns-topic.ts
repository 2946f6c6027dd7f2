/** AWS::SNS::Topic: publish requests and, with email subscribers, email deliveries (usage). */
import type { CostComponent } from '../types.js';
import { ctxProps, type Pricer, per, usage } from './common.js';

/** Topics of the template with an email subscription resource (indexed once per template). */
function emailTopics(ctx: Parameters<Pricer>[0]): Set<string> {
  return ctx.index.memo('sns-email-topics', () => {
    const out = new Set<string>();
    for (const [id] of ctx.index.ofType('AWS::SNS::Subscription')) {
      try {
        const s = ctxProps(ctx, id)!;
        const topic = s.ref('TopicArn');
        if (topic && s.str('Protocol', '').startsWith('email')) out.add(topic);
      } catch {
        // an unresolvable subscription does not make a topic unpriceable
      }
    }
    return out;
  });
}

export const snsTopic: Pricer = (ctx) => {
  const inline = ctx.props.subs('Subscription').some((s) => s.str('Protocol', '').startsWith('email'));
  const separate = emailTopics(ctx).has(ctx.logicalId);
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
