/**
 * AWS::EKS::Addon: add-ons themselves are free and run on the cluster's nodes (priced there), but
 * one of them bills CloudWatch by usage: amazon-cloudwatch-observability turns on Container
 * Insights with enhanced observability, charged per observation (every metric data point the agent
 * sends), and ships container logs through Fluent Bit (priced on the /aws/containerinsights/* log
 * groups, when the template declares them). The observation price is not in the book: the line is
 * explicit, never $0.
 */
import { type Pricer, usage } from './common.js';

const OBSERVABILITY = 'amazon-cloudwatch-observability';

export const eksAddon: Pricer = (ctx) => {
  const name = ctx.props.str('AddonName');
  if (name !== OBSERVABILITY)
    return {
      components: [],
      notes: [`${name ?? 'the add-on'} is free; its pods run on the cluster’s nodes`],
    };
  return {
    components: [
      usage(
        'Container Insights observations (enhanced observability for EKS)',
        '1M observations',
        ctx.usage.observationsMillions,
        'cloudwatch',
        'container_insights_eks_observations_million',
      ),
    ],
    notes: [
      'Container Insights with enhanced observability bills each metric data point the CloudWatch agent sends (more pods and nodes, more observations); give observationsMillions as usage',
      'container logs go to the /aws/containerinsights/<cluster>/* log groups, priced on those log groups',
    ],
  };
};
