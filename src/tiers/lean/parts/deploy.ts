/**
 * The lean host's CI deploy role (ci.repository): GitHub Actions of that repository and branch only,
 * through OIDC (the construct the ecs tier uses too), allowed exactly what the lean workflow does:
 * push the app's images to its ECR repositories, upload static bundles under static/ in the
 * artifacts bucket, and run stackplan-release on this instance through SSM Run Command
 * (AWS-RunShellScript) and read its result. No `cdk deploy`, no SSH, no long-lived key.
 */
import { CfnOutput, type aws_ec2 as ec2, aws_iam as iam, type Stack } from 'aws-cdk-lib';
import type { LeanPlan } from '../../../model/lean.js';
import { GitHubDeployRole } from '../../constructs/github-deploy-role.js';
import { acknowledge, acknowledgeWildcard } from '../../nag.js';
import type { HostAccess } from './access.js';
import type { HostStorage } from './storage.js';

export function leanDeployRole(
  stack: Stack,
  lean: LeanPlan,
  parts: { instance: ec2.Instance; access: HostAccess; storage: HostStorage },
): GitHubDeployRole | undefined {
  const ci = lean.ci;
  if (!ci) return undefined;
  const role = new GitHubDeployRole(stack, 'Deploy', {
    repository: ci.repository,
    branch: ci.branch,
    oidcProvider: ci.oidcProvider,
    cdkDeploy: false,
  });
  const repos = parts.access.repositories;
  const star: string[] = ['ssm:GetCommandInvocation'];
  if (repos.length) {
    star.unshift('ecr:GetAuthorizationToken');
    role.addStatements(
      new iam.PolicyStatement({
        sid: 'PushImages',
        actions: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:BatchGetImage',
          'ecr:CompleteLayerUpload',
          'ecr:DescribeImages',
          'ecr:InitiateLayerUpload',
          'ecr:PutImage',
          'ecr:UploadLayerPart',
        ],
        resources: repos.map((r) => r.repositoryArn),
      }),
      new iam.PolicyStatement({
        sid: 'RegistryLogin',
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      }),
    );
  }
  const artifacts = parts.storage.artifacts;
  if (artifacts) {
    const bundles = artifacts.arnForObjects('static/*');
    role.addStatements(
      new iam.PolicyStatement({
        sid: 'ListStaticBundles',
        actions: ['s3:ListBucket'],
        resources: [artifacts.bucketArn],
        conditions: { StringLike: { 's3:prefix': ['static/*'] } },
      }),
      new iam.PolicyStatement({
        sid: 'UploadStaticBundles',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [bundles],
      }),
    );
    acknowledgeWildcard(
      role.policy,
      bundles,
      'the static bundles CI uploads, one prefix per service and commit, under static/ only',
    );
  }
  const instanceArn = stack.formatArn({
    service: 'ec2',
    resource: 'instance',
    resourceName: parts.instance.instanceId,
  });
  role.addStatements(
    new iam.PolicyStatement({
      sid: 'RunReleaseOnHost',
      actions: ['ssm:SendCommand'],
      resources: [
        instanceArn,
        stack.formatArn({
          service: 'ssm',
          account: '',
          resource: 'document',
          resourceName: 'AWS-RunShellScript',
        }),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'ReadReleaseResult',
      actions: ['ssm:GetCommandInvocation'],
      resources: ['*'],
    }),
  );
  acknowledge(
    role.policy,
    'AwsSolutions-IAM5[Resource::*]',
    `${star.join(' and ')} have no resource-level permissions; what CI can push or run is limited by the other statements (this instance, AWS-RunShellScript)`,
  );
  const stackArn = stack.formatArn({
    service: 'cloudformation',
    resource: 'stack',
    resourceName: `${stack.stackName}/*`,
  });
  acknowledgeWildcard(role.policy, stackArn, 'this stack by name; the suffix is the stack id AWS assigns');
  new CfnOutput(stack, 'DeployRoleArn', {
    value: role.role.roleArn,
    description: `set as the AWS_DEPLOY_ROLE_ARN variable of ${ci.repository} (trusted for ${ci.branch} only)`,
  });
  return role;
}
