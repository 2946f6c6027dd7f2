/**
 * AWS::StepFunctions::StateMachine and AWS::Serverless::StateMachine: Standard workflows — state
 * transitions (usage); Express workflows — requests and GB-seconds of duration (usage; memory is
 * billed in 64 MB steps, assumed 64 MB).
 */
import { type Pricer, per, usage } from './common.js';

export const stepFunctionsStateMachine: Pricer = (ctx) => {
  const type = ctx.props.str(
    ctx.type === 'AWS::Serverless::StateMachine' ? 'Type' : 'StateMachineType',
    'STANDARD',
  );
  if (type === 'EXPRESS') {
    const { requests, avgDurationMs } = ctx.usage;
    const gbSeconds =
      requests === undefined || avgDurationMs === undefined
        ? undefined
        : ((requests * Math.max(100, Math.ceil(avgDurationMs / 100) * 100)) / 1000) * (64 / 1024);
    return {
      components: [
        usage(
          'Requests (Express)',
          '1M requests',
          per(requests, 1e6),
          'stepfunctions',
          'express_requests_per_million',
        ),
        usage('Duration (Express, 64 MB)', 'GB-seconds', gbSeconds, 'stepfunctions', 'express_gb_second'),
      ],
      notes: [
        'duration billed in 100 ms steps at 64 MB of memory (an assumption: the workflow’s size decides)',
      ],
    };
  }
  return {
    components: [
      usage(
        'State transitions (Standard)',
        '1k state transitions',
        per(ctx.usage.stateTransitions, 1000),
        'stepfunctions',
        'standard_transitions_per_1k',
        { meter: 'stepfunctions.transitions.1k' },
      ),
    ],
    notes: ['the services the workflow calls are priced on their own'],
  };
};
