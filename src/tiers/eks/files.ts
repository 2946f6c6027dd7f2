/**
 * Every file the eks tier writes beside its cloud assembly, relative to the tier's output directory:
 * `k8s/*.yaml` and `k8s/README.md` (the objects `cdk deploy` applies, for GitOps), `ci/deploy.yml`
 * when the manifest names ci.repository, and `load/k6.js`.
 */
import type { RenderedFile } from './k8s/yaml.js';
import { renderK8sYaml } from './k8s/yaml.js';
import type { EksPlan } from './plan/types.js';
import { renderK6Script } from './render/k6.js';
import { renderEksWorkflow } from './render/workflow.js';

export function eksFiles(plan: EksPlan, opts: { assemblyPath?: string } = {}): RenderedFile[] {
  return [...renderK8sYaml(plan), ...(plan.ci ? [renderEksWorkflow(plan, opts)] : []), renderK6Script(plan)];
}
