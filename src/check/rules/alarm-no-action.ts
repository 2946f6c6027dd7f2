/**
 * SP-alarm-no-action: an alarm nobody hears. Seed 001's error-rate alarm has no AlarmActions.
 */
import type { Rule } from './context.js';

export const rule: Rule = {
  info: {
    id: 'SP-alarm-no-action',
    pack: 'stackplan',
    title: 'CloudWatch alarm with no action',
    severity: 'warning',
    category: 'reliability',
    securitySeverity: 3.5,
    resourceTypes: ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'],
    what: 'A metric or composite alarm with no AlarmActions, or with ActionsEnabled: false. (An alarm that only feeds a composite alarm, or drives scaling through OKActions/InsufficientDataActions, is not reported.)',
    why: 'An alarm without an action changes colour on a dashboard nobody is watching at 3 a.m.: the outage it was written for goes unnoticed until users report it.',
    fix: 'Add AlarmActions: an SNS topic with an email or chat subscription (CDK: alarm.addAlarmAction(new SnsAction(topic))), an EC2 recover or reboot action, or an Auto Scaling policy.',
    references: [
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html',
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html',
    ],
  },
  check(ctx) {
    const composites = ctx.resources('AWS::CloudWatch::CompositeAlarm');
    const feedsComposite = new Set<string>();
    for (const [, c] of composites) {
      const rule = JSON.stringify(ctx.props(c).AlarmRule ?? '');
      for (const m of rule.matchAll(/"Ref":"([A-Za-z0-9]+)"|"Fn::GetAtt":\["([A-Za-z0-9]+)"/g))
        feedsComposite.add(m[1] ?? m[2]!);
      for (const [id, r] of ctx.resources('AWS::CloudWatch::Alarm')) {
        const name = ctx.str(ctx.props(r).AlarmName);
        if (name && rule.includes(name)) feedsComposite.add(id);
      }
    }
    for (const [id, r] of ctx.resources('AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm')) {
      const p = ctx.props(r);
      if (ctx.bool(p.ActionsEnabled) === false) {
        ctx.report({
          logicalId: id,
          path: ['Properties', 'ActionsEnabled'],
          message: 'alarm has ActionsEnabled: false, so it notifies nobody: enable its actions',
        });
        continue;
      }
      const actions = p.AlarmActions;
      const none = actions === undefined || (Array.isArray(actions) && actions.length === 0);
      if (!none || feedsComposite.has(id)) continue;
      const other = [p.OKActions, p.InsufficientDataActions].some((a) => Array.isArray(a) && a.length > 0);
      if (other) continue;
      const name = ctx.str(p.AlarmName);
      ctx.report({
        logicalId: id,
        path: ['Properties'],
        message: `alarm${name ? ` ${name}` : ''} has no AlarmActions: nobody is told when it fires; notify an SNS topic`,
      });
    }
  },
};
