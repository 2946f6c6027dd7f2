/** The `stackplan` pack: stackplan's own rules (src/check/rules), run on every stack. */
import { RuleContext } from '../rules/context.js';
import { RULES } from '../rules/index.js';
import type { RawFinding } from '../types.js';
import type { Pack } from './types.js';

export const stackplanPack: Pack = {
  id: 'stackplan',
  title: "stackplan's own rules",
  optIn: false,
  limits: [
    'Values only known at deploy time (parameters without defaults, SSM parameter types, Fn::ImportValue, resource attributes) are not judged: a rule that needs one stays silent rather than guess.',
    'Kubernetes objects are read from CDK EKS manifests (Custom::AWSCDK-EKS-KubernetesResource); Helm charts and manifests applied outside the template are not seen.',
  ],
  async run(ctx) {
    const findings: RawFinding[] = [];
    for (const stack of ctx.stacks) {
      const rc = new RuleContext(stack, ctx.book, ctx.asOf);
      for (const rule of RULES) rc.run(rule);
      findings.push(...rc.findings);
    }
    return { findings, rules: RULES.map((r) => r.info), rulesEvaluated: RULES.length, warnings: [] };
  },
};
