/**
 * CloudWatch agent configuration. It publishes exactly the metrics the alarms read:
 * CWAgent mem_used_percent {InstanceId} and disk_used_percent {InstanceId, path} for / and the data
 * mount (append_dimensions adds InstanceId; aggregation_dimensions makes those exact dimension sets
 * exist next to the agent's default ones), and ships the host logs to the stack's log group, whose
 * name is only known at deploy time: bootstrap replaces the placeholder from STACK_ENV_FILE.
 */
import type { Plan } from '../../model/plan.js';
import type { HostFile } from './contract.js';
import { HOST_PATHS, leanOf } from './settings.js';

export const CLOUDWATCH_TEMPLATE = '/etc/stackplan/cloudwatch-agent.json';
export const LOG_GROUP_PLACEHOLDER = '@LOG_GROUP@';

export function cloudwatchAgentConfig(plan: Plan): Record<string, unknown> {
  const lean = leanOf(plan);
  const m = lean.metrics;
  const measurement = (metricName: string, prefix: string) => {
    if (!metricName.startsWith(prefix))
      throw new Error(`agent metric ${metricName} must start with ${prefix}`);
    return metricName.slice(prefix.length);
  };
  const file = (path: string, stream: string) => ({
    file_path: path,
    log_group_name: LOG_GROUP_PLACEHOLDER,
    log_stream_name: `{instance_id}/${stream}`,
    retention_in_days: -1,
  });
  return {
    agent: {
      metrics_collection_interval: 60,
      omit_hostname: true,
      logfile: '/var/log/amazon/amazon-cloudwatch-agent/amazon-cloudwatch-agent.log',
    },
    metrics: {
      namespace: m.agentNamespace,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the agent's own placeholder syntax
      append_dimensions: { InstanceId: '${aws:InstanceId}' },
      aggregation_dimensions: [['InstanceId'], ['InstanceId', 'path']],
      metrics_collected: {
        mem: { measurement: [measurement(m.memUsedPercent, 'mem_')] },
        disk: {
          measurement: [measurement(m.diskUsedPercent, 'disk_')],
          resources: ['/', lean.host.data],
          drop_device: true,
        },
      },
    },
    logs: {
      logs_collected: {
        files: {
          collect_list: [
            file(`${HOST_PATHS.nginxLogs}access.log`, 'nginx-access'),
            file(`${HOST_PATHS.nginxLogs}error.log`, 'nginx-error'),
            file(`${HOST_PATHS.logs}*.log`, 'stackplan'),
            file('/var/log/letsencrypt/letsencrypt.log', 'certbot'),
          ],
        },
      },
    },
  };
}

export function renderCloudwatchFiles(plan: Plan): HostFile[] {
  return [
    {
      path: CLOUDWATCH_TEMPLATE,
      mode: 0o644,
      content: `${JSON.stringify(cloudwatchAgentConfig(plan), null, 2)}\n`,
    },
  ];
}
