/**
 * Operations of the ecs tier: every alarm notifies the SNS email topic (alarm and recovery), and
 * one CloudWatch dashboard shows the edge, the services and the data stores.
 */
import { Aws, aws_cloudwatch as cw, Duration, aws_elasticloadbalancingv2 as elbv2, Fn } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EcsPlan } from '../../model/ecs.js';
import type { AlarmTopic } from '../constructs/alarm-topic.js';
import type { CacheReplicationGroup } from '../constructs/cache.js';
import type { AppNetwork } from '../constructs/network.js';
import type { PostgresDatabase } from '../constructs/postgres.js';
import type { SearchDomain } from '../constructs/search.js';
import type { Edge } from './edge.js';
import type { DeployedService } from './services.js';

export interface OperationsProps {
  readonly appName: string;
  readonly ecs: EcsPlan;
  readonly topic: AlarmTopic;
  readonly clusterName: string;
  readonly network: AppNetwork;
  readonly edge: Edge;
  readonly services: readonly DeployedService[];
  readonly postgres?: PostgresDatabase;
  readonly redis?: CacheReplicationGroup;
  readonly search?: SearchDomain;
}

export class Operations extends Construct {
  public readonly alarms: cw.Alarm[] = [];
  public readonly dashboard: cw.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const { ecs: plan, topic, edge } = props;
    const add = (id: string, p: cw.AlarmProps): cw.Alarm => {
      const alarm = topic.notify(
        new cw.Alarm(this, id, { treatMissingData: cw.TreatMissingData.NOT_BREACHING, ...p }),
      );
      this.alarms.push(alarm);
      return alarm;
    };
    const widgets: cw.IWidget[] = [];
    const five = Duration.minutes(5);

    // Edge.
    const alb = edge.loadBalancer;
    if (alb) {
      const requests = alb.metrics.requestCount({ period: five, statistic: 'Sum' });
      const elb5xx = alb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, {
        period: five,
        statistic: 'Sum',
      });
      const target5xx = alb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
        period: five,
        statistic: 'Sum',
      });
      const rate = new cw.MathExpression({
        expression: 'IF(FILL(r, 0) >= 20, 100 * (FILL(e, 0) + FILL(t, 0)) / r, 0)',
        usingMetrics: { r: requests, e: elb5xx, t: target5xx },
        period: five,
        label: '5xx responses, % of requests',
      });
      add('Alb5xxRate', {
        alarmDescription: `more than ${plan.alarms.alb5xxPercent}% of requests answered 5xx for 15 minutes (counted once at least 20 requests arrive in 5 minutes)`,
        metric: rate,
        threshold: plan.alarms.alb5xxPercent,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
      });
      for (const [name, tg] of edge.targetGroups) {
        add(`UnhealthyTargets-${name}`, {
          alarmDescription: `${name}: a task has failed its load balancer health check for 5 minutes`,
          metric: tg.metrics.unhealthyHostCount({ period: Duration.minutes(1), statistic: 'Maximum' }),
          threshold: 0,
          comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 5,
        });
      }
      widgets.push(
        new cw.GraphWidget({ title: 'Requests', left: [requests], width: 8 }),
        new cw.GraphWidget({ title: '5xx rate (%)', left: [rate], width: 8 }),
        new cw.GraphWidget({
          title: 'Response time (p90)',
          left: [alb.metrics.targetResponseTime({ period: five, statistic: 'p90' })],
          width: 8,
        }),
      );
    }

    // Services: running below desired.
    const cpuMetrics: cw.IMetric[] = [];
    const memMetrics: cw.IMetric[] = [];
    for (const d of props.services) {
      const name = d.plan.service.name;
      const dims = { ClusterName: props.clusterName, ServiceName: d.service.serviceName };
      const metric = (metricName: string) =>
        new cw.Metric({
          namespace: 'ECS/ContainerInsights',
          metricName,
          dimensionsMap: dims,
          period: five,
          statistic: 'Average',
        });
      add(`RunningBelowDesired-${name}`, {
        alarmDescription: `${name}: fewer tasks running than desired for 15 minutes (tasks failing to start or crashing)`,
        metric: new cw.MathExpression({
          expression: 'FILL(d, 0) - FILL(r, 0)',
          usingMetrics: { d: metric('DesiredTaskCount'), r: metric('RunningTaskCount') },
          period: five,
          label: `${name}: desired minus running tasks`,
        }),
        threshold: 0,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
      });
      cpuMetrics.push(d.service.metricCpuUtilization({ period: five, label: name }));
      memMetrics.push(d.service.metricMemoryUtilization({ period: five, label: name }));
    }
    widgets.push(
      new cw.GraphWidget({ title: 'Service CPU (%)', left: cpuMetrics, width: 12 }),
      new cw.GraphWidget({ title: 'Service memory (%)', left: memMetrics, width: 12 }),
    );

    // PostgreSQL.
    const pg = props.postgres;
    if (pg && plan.postgres) {
      const db = pg.instance;
      const cpu = db.metricCPUUtilization({ period: five });
      const free = db.metricFreeStorageSpace({ period: five, statistic: 'Minimum' });
      const conns = db.metricDatabaseConnections({ period: five, statistic: 'Maximum' });
      add('DatabaseCpu', {
        alarmDescription: `PostgreSQL CPU above ${plan.alarms.rdsCpuPercent}% for 15 minutes: the class (${plan.postgres.instanceClass}) is too small or a query needs an index`,
        metric: cpu,
        threshold: plan.alarms.rdsCpuPercent,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
      });
      add('DatabaseFreeStorage', {
        alarmDescription: `PostgreSQL free storage below 10% of ${plan.postgres.storageGb} GB (storage autoscaling grows it up to ${plan.postgres.maxStorageGb} GB)`,
        metric: free,
        threshold: plan.alarms.rdsFreeStorageBytes,
        comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
      add('DatabaseConnections', {
        alarmDescription: `PostgreSQL connections above ${plan.alarms.rdsConnections} (80% of the ${plan.postgres.maxConnections} max_connections of ${plan.postgres.instanceClass}): pool connections or grow the class`,
        metric: conns,
        threshold: plan.alarms.rdsConnections,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
      });
      widgets.push(
        new cw.GraphWidget({ title: 'PostgreSQL CPU (%)', left: [cpu], width: 8 }),
        new cw.GraphWidget({ title: 'PostgreSQL connections', left: [conns], width: 8 }),
        new cw.GraphWidget({ title: 'PostgreSQL free storage (bytes)', left: [free], width: 8 }),
      );
    }

    // Redis / Valkey: the primary's first node.
    const rd = props.redis;
    if (rd && plan.redis) {
      const node = Fn.join('', [rd.replicationGroup.ref, '-001']);
      const metric = (metricName: string, statistic: string) =>
        new cw.Metric({
          namespace: 'AWS/ElastiCache',
          metricName,
          dimensionsMap: { CacheClusterId: node },
          period: five,
          statistic,
        });
      const memory = metric('DatabaseMemoryUsagePercentage', 'Maximum');
      const evictions = metric('Evictions', 'Sum');
      add('CacheMemory', {
        alarmDescription: `${plan.redis.engine} memory above ${plan.alarms.redisMemoryPercent}% of maxmemory for 15 minutes${plan.redis.maxmemoryPolicy === 'noeviction' ? ': at 100% the broker refuses new jobs' : ': the cache starts evicting keys'}`,
        metric: memory,
        threshold: plan.alarms.redisMemoryPercent,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
      });
      add('CacheEvictions', {
        alarmDescription:
          plan.redis.maxmemoryPolicy === 'noeviction'
            ? `${plan.redis.engine} evicted keys: a broker must never drop jobs (maxmemory-policy should be noeviction)`
            : `${plan.redis.engine} evicting keys for 15 minutes: the cache is too small for its working set`,
        metric: evictions,
        threshold: 0,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: plan.redis.maxmemoryPolicy === 'noeviction' ? 1 : 3,
      });
      widgets.push(
        new cw.GraphWidget({ title: `${plan.redis.engine} memory (%)`, left: [memory], width: 12 }),
        new cw.GraphWidget({ title: `${plan.redis.engine} evictions`, left: [evictions], width: 12 }),
      );
    }

    // OpenSearch.
    const se = props.search;
    if (se && plan.search) {
      const metric = (metricName: string, statistic: string) =>
        new cw.Metric({
          namespace: 'AWS/ES',
          metricName,
          dimensionsMap: { DomainName: plan.search!.domainName, ClientId: Aws.ACCOUNT_ID },
          period: Duration.minutes(1),
          statistic,
        });
      const red = metric('ClusterStatus.red', 'Maximum');
      const yellow = metric('ClusterStatus.yellow', 'Maximum');
      add('SearchClusterRed', {
        alarmDescription:
          'OpenSearch cluster red: a primary shard is unassigned, some data cannot be searched or written',
        metric: red,
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
      add('SearchClusterYellow', {
        alarmDescription:
          plan.search.nodes === 1
            ? 'OpenSearch cluster yellow for 10 minutes: an index asks for replicas a single node cannot hold (create indices with number_of_replicas = OPENSEARCH_REPLICAS)'
            : 'OpenSearch cluster yellow for 10 minutes: a replica shard is unassigned',
        metric: yellow,
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 10,
      });
      widgets.push(
        new cw.GraphWidget({ title: 'OpenSearch cluster status', left: [red, yellow], width: 12 }),
      );
    }

    // NAT instances and the Route 53 health check.
    this.alarms.push(...props.network.natInstanceAlarms((a) => topic.notify(a)));
    const hc = edge.healthCheck;
    if (hc && plan.edge.healthCheck?.alarm) {
      add('SiteHealth', {
        alarmDescription: `Route 53 health checkers cannot load https://${plan.edge.healthCheck.fqdn}${plan.edge.healthCheck.path} for 3 minutes`,
        metric: new cw.Metric({
          namespace: 'AWS/Route53',
          metricName: 'HealthCheckStatus',
          dimensionsMap: { HealthCheckId: hc.attrHealthCheckId },
          period: Duration.minutes(1),
          statistic: 'Minimum',
        }),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: cw.TreatMissingData.BREACHING,
      });
    }

    this.dashboard = new cw.Dashboard(this, 'Dashboard', {
      dashboardName: `${props.appName}-ecs`,
      defaultInterval: Duration.hours(6),
      widgets: [
        [
          new cw.TextWidget({
            markdown: `# ${props.appName} (ecs tier)\nEdge, services and data stores; alarms go to the alarm topic.`,
            width: 24,
            height: 2,
          }),
        ],
        ...chunk(widgets, 3),
        [new cw.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 })],
      ],
    });
  }
}

function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
