/** AWS::Lambda::Function: requests and GB-seconds of duration by memory and architecture (usage). */
import { type Pricer, per, usage } from './common.js';

export const lambdaFunction: Pricer = (ctx) => {
  const p = ctx.props;
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
