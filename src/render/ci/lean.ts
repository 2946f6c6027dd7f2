/**
 * The GitHub Actions workflow that deploys the lean tier (ci.repository), rendered from the plan:
 * build each image built from source once for the instance's architecture and push it to its ECR
 * repository tagged with the commit SHA, build each static bundle and upload it under
 * static/<service>/<sha>/, then run stackplan-release for those services on the instance through
 * SSM Run Command and wait for its result, failing with the host's output when it fails. No SSH
 * and no AWS keys: each job exchanges GitHub's OIDC token for the stack's deploy role.
 *
 * Built as data with the ecs workflow's steps and written by toYaml (src/render/ci/github.ts):
 * manifest values reach `run:` steps only through `env:`, neutralized by actionsLiteral.
 */
import * as path from 'node:path';
import { type LeanService, leanPlanOf } from '../../model/lean.js';
import type { Plan } from '../../model/plan.js';
import { actionsBranchFilter, actionsLiteral, toYaml } from '../escape.js';
import { releaseKind, releaseOrder } from '../host/scripts/release.js';
import { binPath } from '../host/settings.js';
import {
  checkout,
  credentials,
  gh,
  OUTPUT_FN,
  repoPath,
  run,
  type Step,
  setupNode,
  type WorkflowFile,
  type WorkflowOptions,
} from './github.js';

/** Services CI releases: those built from source (ECR images and static bundles), in release order. */
export function ciReleasedServices(plan: Plan): LeanService[] {
  const released = releaseOrder(plan).filter((s) => s.image.kind === 'ecr' || s.image.kind === 'none');
  // The service that migrates goes first, so the schema changes before any version switches.
  return [
    ...released.filter((s) => s.service.migrate && releaseKind(s) === 'web'),
    ...released.filter((s) => !(s.service.migrate && releaseKind(s) === 'web')),
  ];
}

/**
 * The release job's steps, in order, as words for RELEASE_SCRIPT: `SERVICE` releases it at the
 * commit (migrating first when it owns `migrate:`). A worker that owns the migration would restart
 * before the web switch if released first, so it migrates alone first (`migrate:SERVICE`, that is
 * `stackplan-release --migrate`), the web services switch, and it restarts last without migrating
 * again (`SERVICE:migrated`).
 */
export function ciReleaseSteps(plan: Plan): string[] {
  const released = ciReleasedServices(plan);
  const migratingWorker = released.find((s) => s.service.migrate && releaseKind(s) === 'worker');
  if (!migratingWorker) return released.map((s) => s.service.name);
  const name = migratingWorker.service.name;
  return [
    `migrate:${name}`,
    ...released.map((s) => (s === migratingWorker ? `${name}:migrated` : s.service.name)),
  ];
}

/** The release job's script: SSM Run Command on the instance, polled until it ends. */
const RELEASE_SCRIPT = [
  'set -euo pipefail',
  OUTPUT_FN,
  '[[ "$IMAGE_TAG" =~ ^[0-9a-f]{40}$ ]] || { echo "not a commit SHA: $IMAGE_TAG" >&2; exit 1; }',
  'instance=$(output InstanceId)',
  'parameters=$(jq -n --arg bin "$RELEASE_BIN" --arg tag "$IMAGE_TAG" --arg services "$SERVICES" \\',
  '  \'{commands: (["set -euo pipefail"] + ($services | split(" ") | map(',
  '    if startswith("migrate:") then $bin + " --migrate " + .[8:] + " " + $tag',
  '    elif endswith(":migrated") then $bin + " " + .[:-9] + " " + $tag + " --migrated"',
  '    else $bin + " " + . + " " + $tag end))), executionTimeout: ["3600"]}\')',
  'id=$(aws ssm send-command --instance-ids "$instance" --document-name AWS-RunShellScript \\',
  '  --comment "stackplan-release $IMAGE_TAG" --parameters "$parameters" --query Command.CommandId --output text)',
  'echo "stackplan-release $SERVICES $IMAGE_TAG: command $id on $instance"',
  'status=Pending',
  'for _ in $(seq 1 400); do',
  '  sleep 5',
  '  status=$(aws ssm get-command-invocation --command-id "$id" --instance-id "$instance" \\',
  '    --query Status --output text 2>/dev/null || echo Pending)',
  '  case "$status" in',
  '  Pending | InProgress | Delayed) ;;',
  '  *) break ;;',
  '  esac',
  'done',
  'aws ssm get-command-invocation --command-id "$id" --instance-id "$instance" \\',
  '  --query StandardOutputContent --output text',
  'aws ssm get-command-invocation --command-id "$id" --instance-id "$instance" \\',
  '  --query StandardErrorContent --output text >&2',
  'echo "stackplan-release on $instance: $status"',
  'test "$status" = Success',
];

export function renderLeanWorkflow(plan: Plan, opts: WorkflowOptions = {}): WorkflowFile {
  const lean = leanPlanOf(plan);
  if (!lean?.ci)
    throw new Error(`${plan.manifest.name}: the lean plan has no ci (add ci.repository to the manifest)`);
  const m = plan.manifest;
  const ci = lean.ci;
  const stack = `${m.name}-lean`;
  const manifestDir = opts.manifestDir ?? '.';
  const lit = actionsLiteral;
  const platform = lean.arch === 'arm64' ? 'linux/arm64' : 'linux/amd64';
  const released = ciReleasedServices(plan);
  const images = released.filter((s) => s.image.kind === 'ecr');
  const statics = released.filter((s) => s.image.kind === 'none');

  const comment = [
    `Deploys ${m.name} (stackplan lean tier) from ${ci.repository} on every push to ${ci.branch}.`,
    'Generated by stackplan from the manifest: change stackplan.yaml and run `stackplan plan` again.',
    'Once, before the first run:',
    `  1. Deploy the stack: npx aws-cdk deploy --app ${opts.assemblyPath ?? 'out/lean/cdk.out'}`,
    ...(images.length
      ? ['     (services built from source start with their first release, which this workflow makes)']
      : []),
    '  2. gh variable set AWS_DEPLOY_ROLE_ARN --body "<the stack output DeployRoleArn>"',
    '  3. Commit this file as .github/workflows/deploy.yml.',
    `Each run releases ${released.map((s) => s.service.name).join(', ') || 'nothing built from source'} at the commit SHA`,
    `with ${binPath('release')} on the instance (SSM Run Command); a version that is not healthy in time`,
    'is stopped on the host, the running one keeps serving, and this workflow fails with the host’s output.',
    'No SSH and no AWS keys: each job exchanges GitHub’s OIDC token for the deploy role, which trusts only',
    `${ci.subject}.`,
    `Paths are relative to the repository root; the manifest is in ${manifestDir === '.' ? 'the root' : manifestDir}.`,
  ];

  const jobs: Record<string, Record<string, unknown>> = {};
  const needs: string[] = [];

  if (images.length) {
    needs.push('images');
    // One build per build context: services sharing one (an api and its worker) get the same image.
    const contexts = new Map<string, LeanService[]>();
    for (const s of images) {
      const ctx = repoPath(manifestDir, s.service.build ?? '.');
      contexts.set(ctx, [...(contexts.get(ctx) ?? []), s]);
    }
    const steps: Step[] = [
      checkout,
      credentials,
      { id: 'ecr', uses: 'aws-actions/amazon-ecr-login@v2' },
      ...(platform === 'linux/arm64' ? [{ uses: 'docker/setup-qemu-action@v3' }] : []),
      { uses: 'docker/setup-buildx-action@v3' },
    ];
    for (const [context, services] of contexts) {
      const env: Record<string, string> = {
        REGISTRY: gh('steps.ecr.outputs.registry'),
        PLATFORM: platform,
        CONTEXT: lit(context),
      };
      const tags = services.map((s, i) => {
        env[`REPOSITORY_${i + 1}`] = lit(s.image.kind === 'ecr' ? s.image.repository : s.service.name);
        return `  --tag "$REGISTRY/$REPOSITORY_${i + 1}:$IMAGE_TAG"`;
      });
      steps.push(
        run(
          `${services.map((s) => s.service.name).join(', ')} (${context}) for ${platform}`,
          [
            'set -euo pipefail',
            '# ECR tags are immutable: a re-run of the same commit keeps the image already pushed.',
            'if aws ecr describe-images --repository-name "$REPOSITORY_1" --image-ids "imageTag=$IMAGE_TAG" >/dev/null 2>&1; then',
            '  echo "$REPOSITORY_1:$IMAGE_TAG is already pushed"',
            '  exit 0',
            'fi',
            'docker buildx build --platform "$PLATFORM" --provenance=false \\',
            ...tags.map((t) => `${t} \\`),
            '  --push "$CONTEXT"',
          ],
          env,
        ),
      );
    }
    jobs.images = { name: 'build and push images', 'runs-on': 'ubuntu-24.04', steps };
  }

  if (statics.length) {
    needs.push('static');
    const uploads: string[] = ['set -euo pipefail', OUTPUT_FN, 'bucket=$(output ArtifactsBucket)'];
    const env: Record<string, string> = {};
    statics.forEach((s, i) => {
      const n = i + 1;
      env[`SOURCE_${n}`] = lit(
        repoPath(manifestDir, path.posix.join(s.service.build ?? '.', s.service.output ?? 'dist')),
      );
      env[`SERVICE_${n}`] = lit(s.service.name);
      uploads.push(
        `aws s3 sync --only-show-errors --delete "$SOURCE_${n}" "s3://$bucket/static/$SERVICE_${n}/$IMAGE_TAG/"`,
      );
    });
    jobs.static = {
      name: 'build and upload the static bundles',
      'runs-on': 'ubuntu-24.04',
      steps: [
        checkout,
        setupNode,
        credentials,
        ...statics.map((s) =>
          run(
            `build ${s.service.name} (${repoPath(manifestDir, s.service.build ?? '.')})`,
            ['npm ci', 'npm run build'],
            undefined,
            {
              'working-directory': lit(repoPath(manifestDir, s.service.build ?? '.')),
            },
          ),
        ),
        run('upload to the artifacts bucket', uploads, env),
      ],
    };
  }

  jobs.release = {
    name: `release on the ${stack} host`,
    ...(needs.length && { needs }),
    'runs-on': 'ubuntu-24.04',
    steps: [
      credentials,
      run('stackplan-release through SSM Run Command', RELEASE_SCRIPT, {
        SERVICES: lit(ciReleaseSteps(plan).join(' ')),
        RELEASE_BIN: binPath('release'),
      }),
    ],
  };

  const workflow = {
    name: `deploy ${m.name} (lean)`,
    on: { push: { branches: [actionsBranchFilter(ci.branch)] }, workflow_dispatch: {} },
    permissions: { 'id-token': 'write', contents: 'read' },
    concurrency: { group: `deploy-${stack}`, 'cancel-in-progress': false },
    env: { AWS_REGION: m.region, STACK_NAME: stack, IMAGE_TAG: gh('github.sha') },
    jobs,
  };
  return { path: ci.workflowFile, content: toYaml(workflow, comment) };
}
