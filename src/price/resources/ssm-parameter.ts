/** AWS::SSM::Parameter: standard parameters are free; advanced ones (or values over 4 KB) cost a monthly fee. */
import { monthly, type Pricer } from './common.js';

export const ssmParameter: Pricer = (ctx) => {
  const p = ctx.props;
  const tier = p.str('Tier', 'Standard');
  let value = '';
  try {
    value = p.str('Value', '');
  } catch {
    // an unresolvable value only matters for its size
  }
  const advanced = tier === 'Advanced' || (tier === 'Intelligent-Tiering' && Buffer.byteLength(value) > 4096);
  if (!advanced) return { components: [], free: 'standard parameters are free' };
  return {
    components: [
      monthly('Parameter storage (Advanced)', 'months', 1, 'ssm_parameter_store', 'advanced_parameter_month'),
    ],
  };
};
