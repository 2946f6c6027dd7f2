/** AWS::EC2::Volume: GB-months by volume type, gp3 IOPS and throughput above the included baseline. */
import { NotResolvable } from '../template.js';
import { type EbsVolume, ebsComponents, type Pricer } from './common.js';

export const ec2Volume: Pricer = (ctx) => {
  const p = ctx.props;
  const size = p.num('Size');
  if (size === undefined) throw new NotResolvable('Size', 'not set: the snapshot decides the size');
  const v: EbsVolume = { type: p.str('VolumeType', 'gp2'), sizeGb: size };
  const iops = p.num('Iops');
  const tput = p.num('Throughput');
  if (iops !== undefined) v.iops = iops;
  if (tput !== undefined) v.throughput = tput;
  return { components: ebsComponents('Storage', v) };
};
