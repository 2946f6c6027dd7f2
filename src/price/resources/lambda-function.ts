/**
 * AWS::Lambda::Function: requests and GB-seconds of duration by memory and architecture (usage).
 * A function that serves a custom resource of the template (CDK's S3 auto-delete, log
 * retention …) runs only when the stack deploys: free unless usage names it.
 */
import { ctxProps, type Pricer, per, usage } from './common.js';

/** Logical ids of the functions that serve this template's custom resources (their ServiceToken). */
function customResourceProviders(ctx: Parameters<Pricer>[0]): Set<string> {
  return ctx.index.memo('custom-resource-providers', () => {
    const out = new Set<string>();
    for (const [id, r] of Object.entries(ctx.index.resources)) {
      if (!r?.Type?.startsWith('Custom::') && r?.Type !== 'AWS::CloudFormation::CustomResource') continue;
      try {
        const token = ctxProps(ctx, id)?.ref('ServiceToken');
        if (token) out.add(token);
      } catch {
        // a provider outside the template
      }
    }
    return out;
  });
}

export const lambdaFunction: Pricer = (ctx) => {
  const p = ctx.props;
  const named =
    ctx.global.resources?.[ctx.logicalId] ?? ctx.global.resources?.[`${ctx.stack}/${ctx.logicalId}`];
  if (!named && customResourceProviders(ctx).has(ctx.logicalId)) {
    return { components: [], free: 'custom resource provider: runs only when the stack deploys' };
  }
  const memoryMb = p.num('MemorySize', 128);
  const arm = p.str('Architectures.0', 'x86_64') === 'arm64';
  const { requests, avgDurationMs } = ctx.usage;
  const gbSeconds =
    requests === undefined || avgDurationMs === undefined
      ? undefined
      : requests * (avgDurationMs / 1000) * (memoryMb / 1024);
  const notes: string[] = [];
  if (p.has('ProvisionedConcurrencyConfig'))
    notes.push('provisioned concurrency is billed separately (not priced)');
  return {
    components: [
      usage('Requests', '1M requests', per(requests, 1e6), 'lambda', 'requests_per_million', {
        meter: 'lambda.requests.1m',
      }),
      usage(
        `Duration (${arm ? 'Arm' : 'x86'}, ${memoryMb} MB)`,
        'GB-seconds',
        gbSeconds,
        'lambda',
        `${arm ? 'arm' : 'x86'}_gb_second`,
        {
          meter: 'lambda.gb-seconds',
        },
      ),
    ],
    notes,
  };
};
