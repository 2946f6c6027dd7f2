/**
 * Every pack `stackplan check` can run, by --pack name. Default: cdk-nag AwsSolutions and NIST
 * 800-53 R5 (the packs `plan` requires to pass) and stackplan's own rules; HIPAA, PCI DSS 3.2.1
 * and the Control Tower proactive controls (which `plan` runs and reports) are opt-in.
 */
import { UserError } from '../../errors.js';
import { controlTowerPack } from './control-tower.js';
import { NAG_PACKS } from './nag.js';
import { stackplanPack } from './stackplan.js';
import type { Pack } from './types.js';

export type { Pack, PackContext, PackResult } from './types.js';

export const PACKS: readonly Pack[] = [...NAG_PACKS, controlTowerPack, stackplanPack];

export const DEFAULT_PACKS: readonly string[] = PACKS.filter((p) => !p.optIn).map((p) => p.id);

/**
 * The packs a --pack list names: comma-separated ids, `default` for the default set, `all` for
 * every pack. No list: the default set.
 */
export function selectPacks(list?: string | readonly string[]): Pack[] {
  const items = (Array.isArray(list) ? list : list === undefined ? [] : [list])
    .flatMap((x: string) => x.split(','))
    .map((x) => x.trim())
    .filter(Boolean);
  if (items.length === 0) items.push('default');
  const ids = new Set<string>();
  for (const item of items) {
    if (item === 'default') for (const id of DEFAULT_PACKS) ids.add(id);
    else if (item === 'all') for (const p of PACKS) ids.add(p.id);
    else if (PACKS.some((p) => p.id === item)) ids.add(item);
    else {
      throw new UserError(`--pack ${item} is not a pack`, {
        actions: [
          `Use one or more of ${PACKS.map((p) => p.id).join(', ')} (or default, all), comma-separated`,
          'Example: --pack default,hipaa',
        ],
      });
    }
  }
  return PACKS.filter((p) => ids.has(p.id));
}
