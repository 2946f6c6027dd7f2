/**
 * AWS::Serverless::Function (SAM): priced as the Lambda function the transform creates — the
 * Globals section's Function properties are already merged in (src/price/transforms.ts). Its API
 * events are priced on the API (SAM's implicit ServerlessRestApi/ServerlessHttpApi when they name
 * none); other events (queues, schedules, streams) create free mappings and rules.
 */
import type { Pricer } from './common.js';
import { lambdaFunction } from './lambda-function.js';

export const samFunction: Pricer = (ctx) => {
  const r = lambdaFunction(ctx);
  const notes = [...(r.notes ?? [])];
  if (
    ctx.props.has('ProvisionedConcurrencyConfig') &&
    !notes.some((n) => n.startsWith('provisioned concurrency'))
  )
    notes.push('provisioned concurrency is billed separately (not priced)');
  return { ...r, notes };
};
