/** AWS::CloudWatch::Alarm: per alarm metric, standard or high resolution (period under 60 s). */
import { monthly, type Pricer, plural } from './common.js';

export const cloudWatchAlarm: Pricer = (ctx) => {
  const p = ctx.props;
  const queries = p.subs('Metrics');
  const metrics = queries.length ? queries.filter((q) => q.has('MetricStat')).length || 1 : 1;
  const periods = queries.length ? queries.map((q) => q.num('MetricStat.Period', 60)) : [p.num('Period', 60)];
  const high = periods.some((s) => s < 60);
  // An expression holding a deploy-time value (a Metrics Insights query naming a resource) still
  // names its function plainly: read the raw text of its literal parts.
  const anomaly = queries.some((q) =>
    /ANOMALY_DETECTION_BAND/.test(JSON.stringify(q.raw('Expression') ?? '')),
  );
  const n = anomaly ? metrics * 3 : metrics;
  const res = high ? 'high' : 'standard';
  return {
    components: [
      monthly(
        `Alarm metrics (${res} resolution, ${plural(n, 'metric')})`,
        'alarm metric-months',
        n,
        'cloudwatch',
        `alarm_${high ? 'high_resolution' : 'standard'}_month`,
        {
          meter: 'cloudwatch.alarms',
        },
      ),
    ],
    notes: anomaly ? ['anomaly detection bills three metrics per metric'] : [],
  };
};
