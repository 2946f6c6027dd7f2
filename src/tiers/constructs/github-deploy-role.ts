/**
 * The role GitHub Actions deploys with: trusted through GitHub's OIDC provider for one
 * repository and branch only (no long-lived keys anywhere), allowed to assume the CDK bootstrap
 * roles of this account and region (cdk deploy; unless `cdkDeploy: false`), plus what the caller
 * adds (push images, run the migration task, sync the static bucket, invalidate CloudFront, run a
 * command on the lean host).
 */
import { Aws, Duration, aws_iam as iam, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

export interface GitHubDeployRoleProps {
  /** owner/name */
  readonly repository: string;
  readonly branch: string;
  /** Create the account's GitHub OIDC provider, or use the existing one. @default create */
  readonly oidcProvider?: 'create' | 'existing';
  /** CDK bootstrap qualifier of the account. @default hnb659fds */
  readonly bootstrapQualifier?: string;
  /** Regions CI deploys stacks to (their CDK bootstrap roles). @default the stack's region */
  readonly bootstrapRegions?: readonly string[];
  /**
   * CI runs `cdk deploy` (the role may assume the CDK bootstrap roles). The lean tier's CI only
   * pushes images and bundles and runs stackplan-release on the host, so it passes false.
   * @default true
   */
  readonly cdkDeploy?: boolean;
}

export class GitHubDeployRole extends Construct {
  public readonly role: iam.Role;
  public readonly policy: iam.ManagedPolicy;
  public readonly providerArn: string;
  /** The OIDC subject the role trusts. */
  public readonly subject: string;

  constructor(scope: Construct, id: string, props: GitHubDeployRoleProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(props.repository)) {
      throw new Error(`${this.node.path}: repository must be owner/name, got ${props.repository}`);
    }
    const stack = Stack.of(this);
    if ((props.oidcProvider ?? 'create') === 'create') {
      const provider = new iam.CfnOIDCProvider(this, 'GitHubOidcProvider', {
        url: GITHUB_OIDC_URL,
        clientIdList: ['sts.amazonaws.com'],
      });
      this.providerArn = provider.attrArn;
    } else {
      this.providerArn = stack.formatArn({
        service: 'iam',
        region: '',
        resource: 'oidc-provider',
        resourceName: GITHUB_OIDC_HOST,
      });
    }
    this.subject = `repo:${props.repository}:ref:refs/heads/${props.branch}`;
    this.role = new iam.Role(this, 'Role', {
      description: `GitHub Actions of ${props.repository} (${props.branch}) deploying this stack`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.WebIdentityPrincipal(this.providerArn, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com',
          [`${GITHUB_OIDC_HOST}:sub`]: this.subject,
        },
      }),
    });
    const q = props.bootstrapQualifier ?? 'hnb659fds';
    const regions = props.bootstrapRegions ?? [Aws.REGION];
    const bootstrapRoles = (kind: string) =>
      regions.map((region) =>
        stack.formatArn({
          service: 'iam',
          region: '',
          resource: 'role',
          resourceName: `cdk-${q}-${kind}-role-${Aws.ACCOUNT_ID}-${region}`,
        }),
      );
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `what CI of ${props.repository} may do to deploy`,
      roles: [this.role],
      statements: [
        ...((props.cdkDeploy ?? true)
          ? [
              new iam.PolicyStatement({
                sid: 'CdkDeploy',
                actions: ['sts:AssumeRole', 'sts:TagSession'],
                resources: ['deploy', 'file-publishing', 'image-publishing', 'lookup'].flatMap(
                  bootstrapRoles,
                ),
              }),
            ]
          : []),
        new iam.PolicyStatement({
          sid: 'ReadStackOutputs',
          actions: ['cloudformation:DescribeStacks'],
          resources: [
            stack.formatArn({
              service: 'cloudformation',
              resource: 'stack',
              resourceName: `${stack.stackName}/*`,
            }),
          ],
        }),
      ],
    });
  }

  public addStatements(...statements: iam.PolicyStatement[]): void {
    this.policy.addStatements(...statements);
  }
}
