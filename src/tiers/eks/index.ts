/**
 * The eks tier, as the registry will wire it: plan (pure), synth (one CDK stack), the extra files it
 * writes beside the cloud assembly, and its price-relevant facts. See the module docs of each part.
 */
import type { RenderedFile } from './k8s/yaml.js';
import { renderK8sYaml } from './k8s/yaml.js';
import type { EksPlan } from './plan/types.js';
import { renderK6Script } from './render/k6.js';
import { renderEksWorkflow } from './render/workflow.js';

export { buildEksApp, type EksAppOptions, eksStackName } from './app.js';
export {
  allObjects,
  buildObjects,
  type EksObjects,
  type EksRefs,
  type K8sObject,
  toPlain,
} from './k8s/objects.js';
export { objectsOf, type Placeholder, placeholderRefs, placeholders, renderK8sYaml } from './k8s/yaml.js';
export * from './plan/index.js';
export { renderK6Script } from './render/k6.js';
export { renderEksWorkflow } from './render/workflow.js';
export { EksStack, type EksStackProps } from './stack/stack.js';

/**
 * Every file the eks tier writes beside its cloud assembly, relative to the tier's output directory:
 * `k8s/*.yaml` and `k8s/README.md`, `ci/deploy.yml` when the manifest names ci.repository, and
 * `load/k6.js`.
 */
export function eksFiles(plan: EksPlan, opts: { assemblyPath?: string } = {}): RenderedFile[] {
  return [...renderK8sYaml(plan), ...(plan.ci ? [renderEksWorkflow(plan, opts)] : []), renderK6Script(plan)];
}
