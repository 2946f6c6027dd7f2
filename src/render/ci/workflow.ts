/**
 * The one writer of every tier's GitHub Actions deploy workflow. A tier builds its jobs as data
 * (the job named `deploy` deploys the committed cloud assembly); this module adds what every
 * generated workflow shares and writes it with toYaml (../escape.ts: quoting, no aliases):
 *
 * - the trigger (push to the manifest's branch, and by hand), OIDC-only permissions for the whole
 *   workflow (`id-token: write`, `contents: read`), one deploy at a time per stack, and the
 *   environment the jobs read (`AWS_REGION`, `STACK_NAME`, `CDK_APP`, `IMAGE_TAG`);
 * - a `check` job: `stackplan check` on the committed assembly with `--format sarif`, the SARIF
 *   uploaded to GitHub code scanning with `github/codeql-action/upload-sarif`, and `deploy` waiting
 *   for it, so a template with an unacknowledged error is never deployed. Only that job may write
 *   security events (its own `permissions:` replace the workflow's; it gets no OIDC token).
 */
import { VERSION } from '../../version.js';
import { actionsBranchFilter, actionsLiteral, toYaml } from '../escape.js';

export interface WorkflowFile {
  /** Relative to the tier's output directory. */
  path: string;
  content: string;
}

/** One step of a job, as GitHub Actions reads it. */
export type WorkflowStep = Record<string, unknown>;

export interface WorkflowJob {
  name: string;
  needs?: string | string[];
  'runs-on': string;
  steps: WorkflowStep[];
  [key: string]: unknown;
}

export interface DeployWorkflowSpec {
  /** Where the tier writes the workflow (its manifest's `ci.workflowFile`). */
  path: string;
  /** The workflow's `name:`. */
  name: string;
  /** The tier's own header comment lines (what it deploys, the one-time steps), without `# `. */
  comment: string[];
  /** The branch whose pushes deploy (written as an exact branch filter). */
  branch: string;
  /** The main stack's name. */
  stack: string;
  region: string;
  /** The committed cloud assembly CI checks and deploys, relative to the repository root. */
  assembly: string;
  /** The tier's jobs in run order; the one named `deploy` deploys the assembly. */
  jobs: Record<string, WorkflowJob>;
}

/** A GitHub Actions expression, ${{ … }}, built from constants only. */
export function gh(expression: string): string {
  return `$${'{'}{ ${expression} }}`;
}

/** The npm package the check job runs unless the repository variable STACKPLAN_PACKAGE names another. */
export const STACKPLAN_PACKAGE = `stackplan@${VERSION}`;

/** The SARIF file the check job writes and uploads, relative to the workspace. */
export const CHECK_SARIF = 'stackplan-check.sarif';

/** The action that uploads SARIF to code scanning (major version tag, like the other steps). */
export const UPLOAD_SARIF_ACTION = 'github/codeql-action/upload-sarif@v4';

/**
 * The `check` job: the default packs of `stackplan check` (cdk-nag's, which `plan` requires to pass,
 * and stackplan's own rules) on the assembly; the findings go to code scanning under a category of the stack's own
 * (so two tiers' workflows in one repository do not replace each other's alerts) even when the
 * check fails the job at `--fail-on error`.
 */
export function checkJob(stack: string): WorkflowJob {
  return {
    name: 'check the cloud assembly (stackplan check → code scanning)',
    'runs-on': 'ubuntu-24.04',
    // Replaces the workflow's permissions for this job: no OIDC token, and the only job that may
    // write security events. actions: read lets upload-sarif read the run in a private repository.
    permissions: { contents: 'read', 'security-events': 'write', actions: 'read' },
    env: { STACKPLAN_PACKAGE: gh(`vars.STACKPLAN_PACKAGE || '${STACKPLAN_PACKAGE}'`) },
    steps: [
      { uses: 'actions/checkout@v4' },
      { uses: 'actions/setup-node@v4', with: { 'node-version': 22 } },
      {
        // Exits 3 on an unacknowledged error, after writing the SARIF: the upload still runs.
        name: 'stackplan check',
        run: [
          'set -euo pipefail',
          'npm exec --yes --package="$STACKPLAN_PACKAGE" -- \\',
          `  stackplan check "$CDK_APP" --format sarif --output ${CHECK_SARIF} --fail-on error`,
        ].join('\n'),
      },
      {
        name: 'upload the findings to code scanning',
        if: gh(`!cancelled() && hashFiles('${CHECK_SARIF}') != ''`),
        uses: UPLOAD_SARIF_ACTION,
        with: { sarif_file: CHECK_SARIF, category: `stackplan-check/${stack}` },
      },
    ],
  };
}

/** Header lines every generated workflow carries about its check job. */
function checkComment(assembly: string): string[] {
  return [
    `Before each deploy, the check job runs \`stackplan check ${assembly}\` (cdk-nag's AwsSolutions and`,
    "NIST 800-53 R5 packs, stackplan's own rules in RULES.md), uploads the findings to code scanning",
    '(Security → Code scanning) and stops the deploy on an unacknowledged error. It runs the npm',
    `package in the repository variable STACKPLAN_PACKAGE (an npm spec: version, tarball or git URL),`,
    `else ${STACKPLAN_PACKAGE}.`,
  ];
}

/** `needs` with `job` first, as a list. */
function needing(job: string, needs: string | string[] | undefined): string[] {
  const list = needs === undefined ? [] : Array.isArray(needs) ? needs : [needs];
  return [job, ...list.filter((n) => n !== job)];
}

export function renderDeployWorkflow(spec: DeployWorkflowSpec): WorkflowFile {
  const deploy = spec.jobs.deploy;
  if (!deploy) throw new Error(`${spec.path}: a deploy workflow needs a job named deploy`);
  if (spec.jobs.check) throw new Error(`${spec.path}: the job name check is the shared check job's`);
  const jobs: Record<string, WorkflowJob> = { check: checkJob(spec.stack) };
  for (const [id, job] of Object.entries(spec.jobs)) {
    jobs[id] = id === 'deploy' ? { ...job, needs: needing('check', job.needs) } : job;
  }
  // Key order: name, needs first, as people write jobs.
  for (const [id, job] of Object.entries(jobs)) {
    const { name, needs, ...rest } = job;
    jobs[id] = { name, ...(needs !== undefined && { needs }), ...rest } as WorkflowJob;
  }
  const workflow = {
    name: spec.name,
    on: { push: { branches: [actionsBranchFilter(spec.branch)] }, workflow_dispatch: {} },
    permissions: { 'id-token': 'write', contents: 'read' },
    concurrency: { group: `deploy-${spec.stack}`, 'cancel-in-progress': false },
    env: {
      AWS_REGION: spec.region,
      STACK_NAME: spec.stack,
      CDK_APP: actionsLiteral(spec.assembly),
      IMAGE_TAG: gh('github.sha'),
    },
    jobs,
  };
  return { path: spec.path, content: toYaml(workflow, [...spec.comment, ...checkComment(spec.assembly)]) };
}
