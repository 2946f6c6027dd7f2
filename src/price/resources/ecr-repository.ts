/** AWS::ECR::Repository: GB of images stored (usage). */
import { type Pricer, usage } from './common.js';

export const ecrRepository: Pricer = (ctx) => ({
  components: [usage('Storage', 'GB-months', ctx.usage.storageGb, 'ecr', 'storage_gb_month')],
  notes: ['pulls from the same region are free'],
});
