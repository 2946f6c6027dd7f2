/**
 * Operations of the eks tier: every alarm notifies the SNS email topic (alarm and recovery). Cluster
 * alarms read Container Insights with enhanced observability (the amazon-cloudwatch-observability
 * add-on; metric names and dimensions as the CloudWatch agent declares them): nodes not ready, pods
 * crash-looping or pending, a Deployment short of replicas, an HPA at its maximum. The ALB made by
 * the ingress controller is alarmed by the name the stack looked up; the data stores get the ecs
 * tier's alarms. One dashboard.
 */
import { Aws, aws_cloudwatch as cw, Duration, Fn } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { AlarmTopic } from '../../constructs/alarm-topic.js';
import type { CacheReplicationGroup } from '../../constructs/cache.js';
import type { AppNetwork } from '../../constructs/network.js';
import type { PostgresDatabase } from '../../constructs/postgres.js';
import type { SearchDomain } from '../../constructs/search.js';
import type { EksPlan } from '../plan/types.js';
import type { EksEdge } from './edge.js';

export interface EksOperationsProps {
  readonly plan: EksPlan;
  readonly topic: AlarmTopic;
  readonly clusterName: string;
  readonly network: AppNetwork;
  readonly edge: EksEdge;
  readonly postgres?: PostgresDatabase;
  readonly redis?: CacheReplicationGroup;
  readonly search?: SearchDomain;
}

export class EksOperations extends Construct {
  public readonly alarms: cw.Alarm[] = [];
  public readonly dashboard: cw.Dashboard;

  constructor(scope: Construct, id: string, props: EksOperationsProps) {
    super(scope, id);
    const { plan, topic, edge } = props;
    const add = (id: string, p: cw.AlarmProps): cw.Alarm => {
      const alarm = topic.notify(
        new cw.Alarm(this, id, { treatMissingData: cw.TreatMissingData.NOT_BREACHING, ...p }),
      );
      this.alarms.push(alarm);
      return alarm;
    };
    const widgets: cw.IWidget[] = [];
    const five = Duration.minutes(5);
    const ci = (metricName: string, statistic: string, dims: Record<string, string> = {}, period = five) =>
      new cw.Metric({
        namespace: 'ContainerInsights',
        metricName,
        dimensionsMap: { ClusterName: props.clusterName, ...dims },
        statistic,
        period,
      });

    // --- Cluster ------------------------------------------------------------------------------------
    const ready = ci('node_status_condition_ready', 'Minimum', {}, Duration.minutes(1));
    add('NodesNotReady', {
      alarmDescription:
        'a node has not been Ready for 3 minutes (kubelet down, disk or memory pressure, network unavailable)',
      metric: ready,
      threshold: 1,
      comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });
    const crashLoop = ci('pod_container_status_waiting_reason_crash_loop_back_off', 'Maximum');
    add('PodsRestarting', {
      alarmDescription:
        'a container has been in CrashLoopBackOff for 15 minutes: it keeps exiting and Kubernetes keeps restarting it',
      metric: crashLoop,
      threshold: 0,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });
    const pending = ci('pod_status_pending', 'Maximum');
    add('PodsPending', {
      alarmDescription: `pods have been Pending for ${plan.alarms.podsPendingMinutes} minutes: the nodes have no room (requests too large, or a zone without capacity)`,
      metric: pending,
      threshold: 0,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: Math.ceil(plan.alarms.podsPendingMinutes / 5),
    });
    const desired: cw.IMetric[] = [];
    for (const w of plan.workloads) {
      // Container Insights names a Deployment's series by PodName = the Deployment's name.
      const dims = { Namespace: plan.namespace, PodName: w.name };
      add(`Unavailable-${w.name}`, {
        alarmDescription: `${w.name}: replicas unavailable for 15 minutes (failing readiness, crashing, or not scheduled)`,
        metric: ci('status_replicas_unavailable', 'Maximum', dims),
        threshold: 0,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
      });
      const want = ci('replicas_desired', 'Maximum', dims);
      desired.push(want.with({ label: w.name }));
      if (w.hpa) {
        add(`HpaAtMax-${w.name}`, {
          alarmDescription: `${w.name}: the HorizontalPodAutoscaler has wanted its maximum of ${w.replicas.max} replicas for ${plan.alarms.hpaAtMaxMinutes} minutes: raise replicas.max (and the nodes) or make the service cheaper`,
          metric: ci('replicas_desired', 'Minimum', dims),
          threshold: w.replicas.max,
          comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: Math.ceil(plan.alarms.hpaAtMaxMinutes / 5),
        });
      }
    }
    widgets.push(
      new cw.GraphWidget({ title: 'Nodes ready (min)', left: [ready], width: 8 }),
      new cw.GraphWidget({ title: 'Pods pending / crash-looping', left: [pending, crashLoop], width: 8 }),
      new cw.GraphWidget({ title: 'Replicas wanted', left: desired, width: 8 }),
      new cw.GraphWidget({
        title: 'Node CPU and memory (%)',
        left: [ci('node_cpu_utilization', 'Average'), ci('node_memory_utilization', 'Average')],
        width: 12,
      }),
      new cw.GraphWidget({
        title: 'Pod CPU (% of requests)',
        left: [ci('pod_cpu_reserved_capacity', 'Average'), ci('pod_cpu_utilization', 'Average')],
        width: 12,
      }),
    );

    // --- The ALB the ingress controller made --------------------------------------------------------
    const alb = edge.loadBalancer;
    if (alb) {
      const elb = (metricName: string, statistic: string) =>
        new cw.Metric({
          namespace: 'AWS/ApplicationELB',
          metricName,
          dimensionsMap: { LoadBalancer: alb.fullName },
          statistic,
          period: five,
        });
      const requests = elb('RequestCount', 'Sum');
      const rate = new cw.MathExpression({
        expression: 'IF(FILL(r, 0) >= 20, 100 * (FILL(e, 0) + FILL(t, 0)) / r, 0)',
        usingMetrics: {
          r: requests,
          e: elb('HTTPCode_ELB_5XX_Count', 'Sum'),
          t: elb('HTTPCode_Target_5XX_Count', 'Sum'),
        },
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
      // The controller names its target groups; a Metrics Insights query covers all of the ALB's.
      const unhealthy = new cw.MathExpression({
        expression: Fn.join('', [
          'SELECT MAX(UnHealthyHostCount) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer, TargetGroup) WHERE LoadBalancer = \'',
          alb.fullName,
          "'",
        ]),
        usingMetrics: {},
        period: Duration.minutes(1),
        label: 'unhealthy targets (any target group)',
      });
      add('UnhealthyTargets', {
        alarmDescription: 'a pod behind the ALB has failed its health check for 5 minutes',
        metric: unhealthy,
        threshold: 0,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
      });
      widgets.push(
        new cw.GraphWidget({ title: 'Requests', left: [requests], width: 8 }),
        new cw.GraphWidget({ title: '5xx rate (%)', left: [rate], width: 8 }),
        new cw.GraphWidget({
          title: 'Response time (p90)',
          left: [elb('TargetResponseTime', 'p90')],
          width: 8,
        }),
      );
    }

    // --- Data stores (as on the ecs tier) ------------------------------------------------------------
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
            ? `${plan.redis.engine} evicted keys: a broker must never drop jobs`
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
    const se = props.search;
    if (se && plan.search) {
      const metric = (metricName: string) =>
        new cw.Metric({
          namespace: 'AWS/ES',
          metricName,
          dimensionsMap: { DomainName: plan.search!.domainName, ClientId: Aws.ACCOUNT_ID },
          period: Duration.minutes(1),
          statistic: 'Maximum',
        });
      const red = metric('ClusterStatus.red');
      const yellow = metric('ClusterStatus.yellow');
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

    // --- NAT instances, the Route 53 health check ----------------------------------------------------
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
      dashboardName: `${plan.app}-eks`,
      defaultInterval: Duration.hours(6),
      widgets: [
        [
          new cw.TextWidget({
            markdown: `# ${plan.app} (eks tier)\nCluster ${plan.clusterName} (Kubernetes ${plan.kubernetes.version}), edge and data stores; alarms go to the alarm topic.`,
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
