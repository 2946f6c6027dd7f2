/**
 * `stackplan plan`: the command lives in src/pipeline/plan.ts, below the CLI, so other front ends
 * (`stackplan serve`'s plan download) run exactly the same pipeline without importing the CLI.
 */
export * from '../../pipeline/plan.js';
