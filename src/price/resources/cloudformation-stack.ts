/** AWS::CloudFormation::Stack (a nested stack): its resources are in another template, priced on its own. */
import { NotResolvable } from '../template.js';
import type { Pricer } from './common.js';

export const cloudFormationStack: Pricer = (ctx) => {
  let url = 'its TemplateURL';
  try {
    url = ctx.props.str('TemplateURL') ?? url;
  } catch {
    // an S3 URL built at deploy time
  }
  throw new NotResolvable(
    'TemplateURL',
    `a nested stack: its resources are in ${url}; price that template on its own (or the cdk.out holding it)`,
  );
};
