/** AWS::EKS::Cluster: cluster hours at the standard or extended support rate, by Kubernetes version and date. */
import type { EksSupportRule } from '../book/types.js';
import { NotResolvable } from '../template.js';
import { hourly, type Pricer } from './common.js';

export const eksCluster: Pricer = (ctx) => {
  const p = ctx.props;
  const notes: string[] = [];
  let version: string | undefined;
  try {
    version = p.str('Version');
  } catch (e) {
    if (!(e instanceof NotResolvable)) throw e;
    notes.push(
      `Version is not resolvable (${e.why}): priced as standard support, as for a new cluster (a version past standard support is billed at the extended-support rate)`,
    );
  }
  const rule = ctx.rule<EksSupportRule>('eksStandardSupportEnds');
  const ends = version ? rule?.ends[version] : undefined;
  const upgrades = p.str('UpgradePolicy.SupportType', 'EXTENDED') === 'STANDARD';
  let extended = false;
  if (!version) notes.push('Version not set: EKS creates the newest version, in standard support');
  else if (!ends)
    notes.push(`Kubernetes ${version} is not in the support calendar: priced as standard support`);
  else if (ctx.asOf > ends) {
    if (upgrades)
      notes.push(
        `standard support for ${version} ended ${ends}; UpgradePolicy STANDARD upgrades the cluster instead`,
      );
    else {
      extended = true;
      notes.push(`standard support for Kubernetes ${version} ended ${ends}`);
    }
  }
  const support = extended ? 'extended' : 'standard';
  if (p.bool('ComputeConfig.Enabled', false))
    notes.push(
      'EKS Auto Mode: the nodes it launches (EC2 on-demand plus a management fee per instance-hour) are in no template and not priced here; stackplan plan estimates them from the pods',
    );
  return {
    components: [
      hourly(
        `EKS cluster (${support} support${version ? `, Kubernetes ${version}` : ''})`,
        'hours',
        1,
        'eks',
        `cluster_hour_${support}_support`,
      ),
    ],
    notes,
  };
};
