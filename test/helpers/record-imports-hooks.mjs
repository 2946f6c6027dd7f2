// Module resolution hooks for record-imports.mjs.
import { appendFileSync } from 'node:fs';

const HEAVY = /[\\/]node_modules[\\/](aws-cdk-lib|cdk-nag|constructs|zod)[\\/]/;

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (process.env.STACKPLAN_IMPORT_LOG && HEAVY.test(resolved.url)) {
    appendFileSync(process.env.STACKPLAN_IMPORT_LOG, `${resolved.url}\n`);
  }
  return resolved;
}
