/** AWS::Route53::HealthCheck: monthly fee by endpoint kind, plus each optional feature. */
import type { CostComponent } from '../types.js';
import { monthly, type Pricer } from './common.js';

export const route53HealthCheck: Pricer = (ctx) => {
  const cfg = ctx.props.sub('HealthCheckConfig');
  const type = cfg?.str('Type', 'HTTP') ?? 'HTTP';
  const notes: string[] = [];
  // An endpoint is "AWS" when it is an AWS resource: a calculated or CloudWatch check, a
  // reference to a resource, or an AWS host name. Other endpoints cost more.
  let aws = type === 'CALCULATED' || type === 'CLOUDWATCH_METRIC' || type === 'RECOVERY_CONTROL';
  if (!aws && cfg?.has('FullyQualifiedDomainName')) {
    if (cfg.ref('FullyQualifiedDomainName')) aws = true;
    else {
      try {
        aws = /\.(amazonaws\.com|cloudfront\.net)$/i.test(cfg.str('FullyQualifiedDomainName', ''));
      } catch {
        aws = true; // built from a resource attribute (Fn::Join/Fn::Sub of GetAtt)
      }
    }
  }
  const kind = aws ? 'aws' : 'non_aws';
  const features: string[] = [];
  if (type.startsWith('HTTPS')) features.push('HTTPS');
  if (type.endsWith('_STR_MATCH')) features.push('string matching');
  if (cfg?.num('RequestInterval', 30) === 10) features.push('fast interval');
  if (cfg?.bool('MeasureLatency', false)) features.push('latency measurement');
  const components: CostComponent[] = [
    monthly(
      `Health check (${aws ? 'AWS' : 'non-AWS'} endpoint)`,
      'months',
      1,
      'route53',
      `health_check_${kind}_endpoint_month`,
    ),
  ];
  if (features.length) {
    components.push(
      monthly(
        `Optional features (${features.join(', ')})`,
        'feature-months',
        features.length,
        'route53',
        `health_check_optional_feature_${kind}_month`,
      ),
    );
  }
  if (!aws) notes.push('endpoint outside AWS (by its name): the higher health-check rate');
  return { components, notes };
};
