/**
 * AWS::Events::Rule: rules cost nothing; what crosses them may. Scheduled rules and AWS service
 * events are free; events published to a custom bus are priced on the bus (AWS::Events::EventBus);
 * a rule that delivers to another account or region, or to an API destination, bills per event.
 */
import { type Pricer, per, usage } from './common.js';

export const eventsRule: Pricer = (ctx) => {
  const p = ctx.props;
  const targets = p.subs('Targets');
  const apiDestinations = targets.filter((t) => {
    try {
      const arn = t.str('Arn') ?? '';
      return arn.includes(':api-destination/');
    } catch {
      const id = t.ref('Arn');
      return id !== undefined && ctx.index.resource(id)?.Type === 'AWS::Events::ApiDestination';
    }
  });
  if (apiDestinations.length) {
    return {
      components: [
        usage(
          'API destination invocations',
          '1M invocations',
          per(ctx.usage.invocations, 1e6),
          'eventbridge',
          'api_destination_invocations_per_million',
        ),
      ],
      notes: ['the rule itself is free'],
    };
  }
  if (p.has('ScheduleExpression'))
    return { components: [], free: 'scheduled rules are free; their targets are priced on their own' };
  const bus = p.has('EventBusName') ? (p.ref('EventBusName') ?? p.str('EventBusName')) : undefined;
  if (bus && bus !== 'default')
    return { components: [], free: `rules are free; events published to ${bus} are priced on the bus` };
  return {
    components: [],
    free: 'rules are free; AWS service events on the default bus are free (custom events are priced on their bus)',
  };
};

/** AWS::Events::EventBus: custom and partner events published to it (usage). */
export const eventsEventBus: Pricer = (ctx) => ({
  components: [
    usage(
      'Custom events published',
      '1M events',
      per(ctx.usage.events, 1e6),
      'eventbridge',
      'custom_events_per_million',
    ),
  ],
  notes: ['each 64 KB of an event is one event; the rules on the bus are free'],
});
