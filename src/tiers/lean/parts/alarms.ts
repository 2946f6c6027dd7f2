/**
 * The lean host's alarms, each with an action (the email topic, and EC2 recover or reboot where
 * that fixes it): system and instance status, CPU, CPU credits, memory, both disks, backup
 * freshness and the app's health.
 * A part of LeanStack, not a construct of its own: its resources are created in the stack's scope,
 * so their logical ids stay those the lean tier has always had (a changed id replaces a real
 * resource: a new Elastic IP, an empty bucket).
 */
import {
  aws_cloudwatch as cw,
  aws_cloudwatch_actions as cwActions,
  Duration,
  type aws_ec2 as ec2,
  type Stack,
} from 'aws-cdk-lib';
import type { Manifest } from '../../../manifest/normalize.js';
import type { LeanPlan } from '../../../model/lean.js';
import { AlarmTopic } from '../../constructs/alarm-topic.js';

export class HostAlarms {
  public readonly alarms: cw.Alarm[] = [];

  constructor(stack: Stack, m: Manifest, lean: LeanPlan, host: ec2.Instance) {
    const topic = new AlarmTopic(stack, 'Alarms', { email: m.alarmEmail });
    const instanceDim = { InstanceId: host.instanceId };
    const add = (id: string, props: cw.AlarmProps, extra: cw.IAlarmAction[] = []): cw.Alarm => {
      const alarm = topic.notify(new cw.Alarm(stack, id, props));
      for (const a of extra) alarm.addAlarmAction(a);
      this.alarms.push(alarm);
      return alarm;
    };
    add(
      'SystemStatusAlarm',
      {
        alarmDescription:
          'AWS hardware or network failed under the host: EC2 recovers the instance onto new hardware (same IP, same volumes)',
        metric: new cw.Metric({
          namespace: 'AWS/EC2',
          metricName: 'StatusCheckFailed_System',
          dimensionsMap: instanceDim,
          statistic: 'Maximum',
          period: Duration.minutes(1),
        }),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 2,
      },
      [new cwActions.Ec2Action(cwActions.Ec2InstanceAction.RECOVER)],
    );
    add(
      'InstanceStatusAlarm',
      {
        alarmDescription:
          'the operating system stopped answering status checks for 3 minutes: EC2 reboots it',
        metric: new cw.Metric({
          namespace: 'AWS/EC2',
          metricName: 'StatusCheckFailed_Instance',
          dimensionsMap: instanceDim,
          statistic: 'Maximum',
          period: Duration.minutes(1),
        }),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 3,
      },
      [new cwActions.Ec2Action(cwActions.Ec2InstanceAction.REBOOT)],
    );
    add('CpuAlarm', {
      alarmDescription: 'CPU above 90% for 15 minutes: the instance type is too small for the load',
      metric: new cw.Metric({
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        dimensionsMap: instanceDim,
        statistic: 'Average',
        period: Duration.minutes(5),
      }),
      threshold: 90,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });
    if (lean.instance.baselineVcpu !== undefined) {
      const perHour = Math.round(lean.instance.baselineVcpu * 60);
      add('CpuCreditAlarm', {
        alarmDescription: `CPU credit balance below ${perHour * 2} (two hours of what ${lean.instance.type} earns): sustained load above baseline; unlimited mode starts charging surplus credits`,
        metric: new cw.Metric({
          namespace: 'AWS/EC2',
          metricName: 'CPUCreditBalance',
          dimensionsMap: instanceDim,
          statistic: 'Minimum',
          period: Duration.minutes(5),
        }),
        threshold: perHour * 2,
        comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 3,
      });
    }
    add('MemoryAlarm', {
      alarmDescription: 'memory above 90% for 10 minutes (CloudWatch agent): containers risk the OOM killer',
      metric: new cw.Metric({
        namespace: lean.metrics.agentNamespace,
        metricName: lean.metrics.memUsedPercent,
        dimensionsMap: instanceDim,
        statistic: 'Average',
        period: Duration.minutes(5),
      }),
      threshold: 90,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cw.TreatMissingData.BREACHING,
    });
    for (const [id, path] of [
      ['RootDiskAlarm', '/'],
      ['DataDiskAlarm', lean.host.data],
    ] as const) {
      add(id, {
        alarmDescription: `disk ${path} above 85% full (CloudWatch agent): grow the volume before writes fail`,
        metric: new cw.Metric({
          namespace: lean.metrics.agentNamespace,
          metricName: lean.metrics.diskUsedPercent,
          dimensionsMap: { ...instanceDim, path },
          statistic: 'Maximum',
          period: Duration.minutes(5),
        }),
        threshold: 85,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.BREACHING,
      });
    }
    add('BackupFreshnessAlarm', {
      alarmDescription: `no successful backup for ${lean.backup.alarmAfterHours} hours (backups run every ${lean.backup.intervalHours} h): the RPO is no longer met`,
      metric: new cw.Metric({
        namespace: lean.metrics.namespace,
        metricName: lean.metrics.backupSuccess,
        statistic: 'Sum',
        period: Duration.hours(1),
      }),
      threshold: 1,
      comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: lean.backup.alarmAfterHours,
      datapointsToAlarm: lean.backup.alarmAfterHours,
      treatMissingData: cw.TreatMissingData.BREACHING,
    });
    add('HealthAlarm', {
      alarmDescription: 'the app’s health endpoint failed (or stopped reporting) for 3 minutes',
      metric: new cw.Metric({
        namespace: lean.metrics.namespace,
        metricName: lean.metrics.healthOk,
        statistic: 'Minimum',
        period: Duration.minutes(1),
      }),
      threshold: 1,
      comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cw.TreatMissingData.BREACHING,
    });
  }
}
