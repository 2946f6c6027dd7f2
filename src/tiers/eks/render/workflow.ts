/**
 * The GitHub Actions workflow that deploys the eks tier (`ci/deploy.yml`), rendered from the plan
 * as a YAML document (the yaml library quotes every value): build and push each ECR image tagged
 * with the commit SHA, then `cdk deploy` the committed cloud assembly with that tag — the stack runs
 * the migration Job with the new image and waits for it before the Deployments change — then publish
 * static frontends to S3 and invalidate CloudFront. No AWS keys: every job exchanges GitHub's OIDC
 * token for the stack's deploy role, and CI needs no Kubernetes access (the API endpoint may be
 * private; the stack's kubectl handler applies the objects from inside the VPC). The shared
 * renderDeployWorkflow adds the check job every generated workflow runs, and writes the YAML.
 */
import * as path from 'node:path';
import { renderDeployWorkflow, type WorkflowFile, type WorkflowJob } from '../../../render/ci/workflow.js';
import type { EksPlan } from '../plan/types.js';

export type { WorkflowFile };

const OUTPUT_FN =
  'output() { aws cloudformation describe-stacks --stack-name "$STACK_NAME" --query "Stacks[0].Outputs[?OutputKey==\'$1\'].OutputValue" --output text; }';

/** A GitHub Actions expression, ${{ … }}. */
function gh(expression: string): string {
  return `$${'{'}{ ${expression} }}`;
}

/** A path relative to the manifest, as the workflow writes it (./x for x). */
function rel(p: string): string {
  const n = path.posix.normalize(p.replace(/\\/g, '/')).replace(/\/$/, '');
  return n === '.' ? '.' : n.startsWith('.') ? n : `./${n}`;
}

/** Quotes a value for a shell script (single quotes). */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'"'"'`)}'`;
}

export function renderEksWorkflow(plan: EksPlan, opts: { assemblyPath?: string } = {}): WorkflowFile {
  const ci = plan.ci;
  if (!ci) throw new Error(`${plan.app}: the eks plan has no ci (add ci.repository to the manifest)`);
  const stack = `${plan.app}-eks`;
  const assembly = opts.assemblyPath ?? 'out/eks/cdk.out';
  // A new object per use: a shared one would be written as a YAML anchor and alias.
  const credentials = () => ({
    uses: 'aws-actions/configure-aws-credentials@v4',
    with: { 'role-to-assume': gh('vars.AWS_DEPLOY_ROLE_ARN'), 'aws-region': gh('env.AWS_REGION') },
  });
  const jobs: Record<string, WorkflowJob> = {};
  const deployNeeds: string[] = [];
  if (plan.repositories.length) {
    deployNeeds.push('images');
    jobs.images = {
      name: 'build and push images',
      'runs-on': 'ubuntu-24.04',
      steps: [
        { uses: 'actions/checkout@v4' },
        credentials(),
        { id: 'ecr', uses: 'aws-actions/amazon-ecr-login@v2' },
        ...(plan.repositories.some((r) => r.platforms.includes('linux/arm64'))
          ? [{ uses: 'docker/setup-qemu-action@v3' }]
          : []),
        { uses: 'docker/setup-buildx-action@v3' },
        ...plan.repositories.map((r) => ({
          name: `${r.name} (${r.services.join(', ')}) for ${r.platforms.join(', ')}`,
          env: { REGISTRY: gh('steps.ecr.outputs.registry') },
          run: [
            'set -euo pipefail',
            `docker buildx build --platform ${r.platforms.join(',')} --provenance=false \\`,
            `  --tag "$REGISTRY/${r.name}:$IMAGE_TAG" --push ${shellQuote(rel(r.build))}`,
          ].join('\n'),
        })),
      ],
    };
  }
  jobs.deploy = {
    name: `deploy ${stack}`,
    ...(deployNeeds.length && { needs: deployNeeds }),
    'runs-on': 'ubuntu-24.04',
    'timeout-minutes': 90,
    steps: [
      { uses: 'actions/checkout@v4' },
      { uses: 'actions/setup-node@v4', with: { 'node-version': 22 } },
      credentials(),
      {
        name: plan.migration
          ? `cdk deploy (runs the migration Job ${plan.migration.command.join(' ')} first, then rolls the Deployments)`
          : 'cdk deploy (rolls the Deployments)',
        run: [
          'set -euo pipefail',
          `npx --yes aws-cdk@2 deploy --app "$CDK_APP" --require-approval never \\`,
          ...(plan.imageTagParameter
            ? [`  --parameters "$STACK_NAME:${plan.imageTagParameter}=$IMAGE_TAG" \\`]
            : []),
          '  "$STACK_NAME"',
        ].join('\n'),
      },
    ],
  };
  const statics = plan.edge.cdn?.statics ?? [];
  if (statics.length) {
    jobs.static = {
      name: 'publish the static frontends',
      needs: 'deploy',
      'runs-on': 'ubuntu-24.04',
      steps: [
        { uses: 'actions/checkout@v4' },
        { uses: 'actions/setup-node@v4', with: { 'node-version': 22 } },
        credentials(),
        ...statics.map((st) => ({
          name: `build ${st.service} (${rel(st.buildDir)})`,
          'working-directory': rel(st.buildDir),
          run: 'npm ci\nnpm run build',
        })),
        {
          name: 'upload to S3 and invalidate CloudFront',
          run: [
            'set -euo pipefail',
            OUTPUT_FN,
            'bucket=$(output StaticBucketName)',
            'distribution=$(output DistributionId)',
            ...statics.map((st) => {
              const others = statics.filter(
                (o) => o !== st && o.keyPrefix.startsWith(st.keyPrefix) && o.keyPrefix !== st.keyPrefix,
              );
              const excludes = others.map((o) => ` --exclude ${shellQuote(`${o.keyPrefix}*`)}`).join('');
              return `aws s3 sync ${shellQuote(rel(path.posix.join(st.buildDir, st.outputDir)))} "s3://$bucket/${st.keyPrefix}" --delete${excludes}`;
            }),
            'aws cloudfront create-invalidation --distribution-id "$distribution" --paths \'/*\'',
          ].join('\n'),
        },
      ],
    };
  }
  const comment = [
    `Deploys ${plan.app} (stackplan eks tier, EKS ${plan.kubernetes.version}) from ${ci.repository} on every push to ${ci.branch}.`,
    'Generated by stackplan from the manifest: change stackplan.yaml and run `stackplan plan` again.',
    'Once, before the first run:',
    ...plan.prerequisites.map((step, i) => `  0${String.fromCharCode(97 + i)}. ${step}`),
    `  1. Deploy the stack by hand: npx aws-cdk deploy --app ${assembly}`,
    ...(plan.repositories.length
      ? ['     (services built from source run 0 pods until this workflow has pushed their images)']
      : []),
    '  2. gh variable set AWS_DEPLOY_ROLE_ARN --body "<the stack output DeployRoleArn>"',
    `  3. Commit this file as .github/workflows/deploy.yml, and ${assembly} so CI deploys exactly`,
    '     the template you reviewed (regenerate and commit it whenever the manifest changes).',
    'No AWS keys: each job exchanges GitHub’s OIDC token for the deploy role, which trusts only',
    `${ci.subject}.`,
    'Paths are relative to the manifest’s directory, assumed to be the repository root.',
  ];
  return renderDeployWorkflow({
    path: ci.workflowFile,
    name: `deploy ${plan.app} (eks)`,
    comment,
    branch: ci.branch,
    stack,
    region: plan.region,
    assembly,
    jobs,
  });
}
