/**
 * AWS Config. AWS::Config::ConfigurationRecorder: configuration items recorded (usage).
 * AWS::Config::ConfigRule: rule evaluations (usage). Delivery channels are free.
 */
import { type Pricer, usage } from './common.js';

export const configRecorder: Pricer = (ctx) => ({
  components: [
    usage(
      'Configuration items recorded',
      'configuration items',
      ctx.usage.configurationItems,
      'config',
      'configuration_item',
    ),
  ],
  notes: ['one item each time a recorded resource changes'],
});

export const configRule: Pricer = (ctx) => ({
  components: [
    usage('Rule evaluations', 'rule evaluations', ctx.usage.evaluations, 'config', 'rule_evaluation'),
  ],
});
