/**
 * Secrets generated at deploy time into SSM Parameter Store as SecureString parameters.
 *
 * CloudFormation cannot create SecureString parameters, and a secret must never pass through a
 * template, user data or a file in the repository. So a small custom resource (inline code, no
 * asset to publish) generates 32 random bytes per name inside AWS and stores them encrypted with
 * the account's AWS-managed SSM key. Existing values are kept on updates (never rotated by a
 * deploy); names removed from the list, and all names when the stack is deleted, are deleted.
 */
import {
  CustomResource,
  Duration,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_logs as logs,
  RemovalPolicy,
  Stack,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeAll, acknowledgeWildcard } from '../nag.js';
import { logRetentionOf } from './log-retention.js';

/** The handler, kept under the 4 KB inline-code limit of CloudFormation. */
export const HANDLER_CODE = `const { SSMClient, PutParameterCommand, DeleteParametersCommand } = require('@aws-sdk/client-ssm');
const { randomBytes } = require('node:crypto');
const https = require('node:https');
const ssm = new SSMClient({});
function respond(event, status, reason) {
  const body = JSON.stringify({ Status: status, Reason: String(reason).slice(0, 1000), NoEcho: true,
    PhysicalResourceId: event.ResourceProperties.Prefix, StackId: event.StackId,
    RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, Data: {} });
  return new Promise((resolve, reject) => {
    const req = https.request(event.ResponseURL, { method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject);
    req.end(body);
  });
}
async function remove(names) {
  for (let i = 0; i < names.length; i += 10) await ssm.send(new DeleteParametersCommand({ Names: names.slice(i, i + 10) }));
}
exports.handler = async (event) => {
  const names = event.ResourceProperties.Names || [];
  const old = (event.OldResourceProperties || {}).Names || [];
  try {
    if (event.RequestType === 'Delete') {
      await remove(names);
    } else {
      for (const name of names) {
        try {
          await ssm.send(new PutParameterCommand({ Name: name, Type: 'SecureString', Tier: 'Standard',
            Overwrite: false, Value: randomBytes(32).toString('base64url') }));
        } catch (e) {
          if (e.name !== 'ParameterAlreadyExists') throw e;
        }
      }
      await remove(old.filter((n) => !names.includes(n)));
    }
    await respond(event, 'SUCCESS', 'ok');
  } catch (e) {
    console.error(e);
    await respond(event, 'FAILED', (e && e.message) || e);
  }
};
`;

export interface GeneratedParametersProps {
  /** Path every parameter lives under, e.g. `/stackplan/shop/`; IAM is scoped to it. */
  readonly prefix: string;
  /** Full parameter names, each under `prefix`. */
  readonly names: string[];
  /** Why the function runs outside a VPC (shown to reviewers). @default the lean tier's reason */
  readonly notInVpcReason?: string;
}

export class GeneratedParameters extends Construct {
  /** ARN pattern matching every parameter under the prefix. */
  public readonly parameterArnPattern: string;

  constructor(scope: Construct, id: string, props: GeneratedParametersProps) {
    super(scope, id);
    if (!props.prefix.startsWith('/') || !props.prefix.endsWith('/')) {
      throw new Error(`${this.node.path}: prefix must start and end with "/", got ${props.prefix}`);
    }
    const outside = props.names.filter((n) => !n.startsWith(props.prefix));
    if (outside.length) throw new Error(`${this.node.path}: ${outside.join(', ')} outside ${props.prefix}`);
    const stack = Stack.of(this);
    this.parameterArnPattern = stack.formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: `${props.prefix.slice(1)}*`,
    });

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logRetentionOf(this),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Generates the app secrets into SSM Parameter Store at deploy time',
    });
    const logStreams = `${logGroup.logGroupArn}:*`;
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Create and delete the app parameters; write this function’s logs',
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          actions: ['ssm:PutParameter', 'ssm:DeleteParameters'],
          resources: [this.parameterArnPattern],
        }),
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logStreams],
        }),
      ],
    });
    const fn = new lambda.Function(this, 'Handler', {
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(HANDLER_CODE),
      timeout: Duration.minutes(2),
      memorySize: 128,
      role,
      logGroup,
      description: 'stackplan: generate SecureString parameters',
    });
    new CustomResource(this, 'Resource', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::SecureParameters',
      properties: { Prefix: props.prefix, Names: [...props.names].sort() },
    });

    acknowledgeWildcard(
      policy,
      this.parameterArnPattern,
      'the function creates and deletes exactly the parameters under the app prefix; their names are listed in the custom resource properties',
    );
    acknowledgeWildcard(
      policy,
      logStreams,
      'log streams of this function’s own log group; Lambda names them at run time',
    );
    acknowledgeAll(
      fn,
      ['NIST.800.53.R5-LambdaConcurrency'],
      'runs only during deploys (one invocation per stack operation); reserving concurrency fails on new accounts whose limit is 10',
    );
    acknowledge(
      fn,
      'NIST.800.53.R5-LambdaDLQ',
      'invoked synchronously by CloudFormation, which receives and reports every failure; there is no asynchronous event to dead-letter',
    );
    acknowledge(
      fn,
      'NIST.800.53.R5-LambdaInsideVPC',
      props.notInVpcReason ??
        'the function only calls the SSM API; in the VPC it would need a NAT or interface endpoint costing more than the whole lean tier',
    );
    acknowledge(
      logGroup,
      'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
      'the log group holds deploy-time messages without secret values (values are generated and stored inside SSM); CloudWatch encrypts logs at rest by default',
    );
  }
}
