// `node --import ./test/helpers/record-imports.mjs …`: appends the URL of every module resolved
// under aws-cdk-lib, cdk-nag, constructs or zod to the file $STACKPLAN_IMPORT_LOG (test/cli/cheap-imports).
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url);
