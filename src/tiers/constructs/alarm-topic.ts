/** Where every alarm goes: an SNS topic with the manifest's alarm email subscribed. */
import {
  type aws_cloudwatch as cw,
  aws_cloudwatch_actions as cwActions,
  aws_sns as sns,
  aws_sns_subscriptions as subs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledgeAll } from '../nag.js';
import { kmsKeyMonthly } from './quotes.js';

export interface AlarmTopicProps {
  /** Address subscribed to the topic (AWS emails a confirmation link once). */
  readonly email: string;
}

export class AlarmTopic extends Construct {
  public readonly topic: sns.Topic;
  public readonly action: cw.IAlarmAction;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { enforceSSL: true, displayName: 'stackplan alarms' });
    this.topic.addSubscription(new subs.EmailSubscription(props.email));
    this.action = new cwActions.SnsAction(this.topic);
    acknowledgeAll(
      this.topic,
      ['AwsSolutions-SNS2', 'NIST.800.53.R5-SNSEncryptedKMS'],
      `alarm notifications carry metric names and states, no data; CloudWatch cannot publish to a topic under the AWS-managed SNS key, so encryption would need a customer-managed key at ${kmsKeyMonthly(this)}`,
    );
  }

  /** Sends both the alarm and its recovery to the topic. */
  public notify(alarm: cw.Alarm): cw.Alarm {
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    return alarm;
  }
}
