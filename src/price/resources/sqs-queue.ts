/** AWS::SQS::Queue: requests (usage), at the FIFO rate for FIFO queues. The first 1 million a month are always free. */
import { type Pricer, per, usage } from './common.js';

export const sqsQueue: Pricer = (ctx) => {
  const p = ctx.props;
  const fifo = p.bool('FifoQueue', false) || (p.str('QueueName') ?? '').endsWith('.fifo');
  const kind = fifo ? 'fifo' : 'standard';
  return {
    components: [
      usage(
        `Requests (${fifo ? 'FIFO' : 'Standard'})`,
        '1M requests',
        per(ctx.usage.requests, 1e6),
        'sqs',
        `${kind}_requests_per_million`,
        { meter: 'sqs.requests.1m' },
      ),
    ],
    notes: [
      'every API call is a request (send, receive — empty receives too — and delete); each 64 KB of a payload counts as one',
    ],
  };
};
