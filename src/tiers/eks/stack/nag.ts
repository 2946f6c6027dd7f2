/**
 * Acknowledgements for what aws-eks-v2 and AwsCustomResource build inside the eks stack (the kubectl
 * handler and its provider framework, the cluster's service role, the SDK-call Lambda), each on the
 * construct it concerns and with the design reason. Findings on constructs this project writes are
 * acknowledged where they are made.
 */
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { kmsKeyMonthly } from '../../constructs/quotes.js';
import { acknowledge, acknowledgeAll } from '../../nag.js';

const POLICY = (name: string) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`;

function find(root: IConstruct, suffix: string): IConstruct[] {
  return root.node.findAll().filter((c) => c.node.path.endsWith(suffix));
}

export function acknowledgeEksInternals(stack: Stack): void {
  // The kubectl handler (Python, in the private subnets) and its provider framework (Node.js).
  for (const handler of find(stack, '/KubectlProvider/Handler')) {
    const fn = handler.node.tryFindChild('Resource');
    if (fn) {
      acknowledge(
        fn,
        'AwsSolutions-L1',
        'aws-eks-v2 pins the kubectl handler to the Python runtime its kubectl and Helm layers are built for; it moves with aws-cdk-lib upgrades',
      );
    }
    const role = handler.node.tryFindChild('ServiceRole');
    if (role) {
      acknowledgeAll(
        role,
        [
          POLICY('service-role/AWSLambdaBasicExecutionRole'),
          POLICY('service-role/AWSLambdaVPCAccessExecutionRole'),
          POLICY('AmazonEC2ContainerRegistryReadOnly'),
        ],
        'aws-eks-v2’s kubectl handler: its own logs, ENIs in the private subnets to reach the private API endpoint, and reading Helm charts stored in ECR',
      );
      const conditional = role.node.findAll().find((c) => c.node.path.endsWith('ServiceRole/Resource'));
      if (conditional) {
        const flat = Stack.of(stack).resolve(
          (conditional as unknown as { managedPolicyArns?: unknown }).managedPolicyArns,
        );
        for (const arn of Array.isArray(flat) ? flat : []) {
          if (typeof arn === 'object' && arn !== null && 'Fn::If' in arn) {
            acknowledge(
              role,
              `AwsSolutions-IAM4[Policy::${JSON.stringify(arn)}]`,
              'aws-eks-v2 adds public ECR read access only when a Helm chart is pulled from public ECR; this stack pulls from aws.github.io',
            );
          }
        }
      }
      const policy = role.node.tryFindChild('DefaultPolicy');
      if (policy)
        acknowledge(
          policy,
          'NIST.800.53.R5-IAMNoInlinePolicy',
          'aws-eks-v2 grants its kubectl handler eks:DescribeCluster on this cluster inline; the handler’s cluster rights come from its access entry',
        );
    }
  }
  for (const provider of find(stack, '/KubectlProvider/Provider/framework-onEvent')) {
    const role = provider.node.tryFindChild('ServiceRole');
    if (role) {
      acknowledgeAll(
        role,
        [
          POLICY('service-role/AWSLambdaBasicExecutionRole'),
          POLICY('service-role/AWSLambdaVPCAccessExecutionRole'),
        ],
        'the CloudFormation provider framework of the kubectl handler: its own logs and ENIs in the private subnets',
      );
      const policy = role.node.tryFindChild('DefaultPolicy');
      if (policy) {
        acknowledge(
          policy,
          'NIST.800.53.R5-IAMNoInlinePolicy',
          'the provider framework’s inline permission to invoke the kubectl handler, written by aws-cdk-lib',
        );
        const handlerFn = find(stack, '/KubectlProvider/Handler/Resource')[0];
        if (handlerFn) {
          const id = Stack.of(stack).getLogicalId(handlerFn as never);
          acknowledge(
            policy,
            `AwsSolutions-IAM5[Resource::<${id}.Arn>:*]`,
            'invoking any version of the kubectl handler function, which the framework calls by ARN',
          );
        }
      }
    }
  }
  const lambdas = [
    ...find(stack, '/KubectlProvider/Handler/Resource'),
    ...find(stack, '/KubectlProvider/Provider/framework-onEvent/Resource'),
  ];
  const sdkCall = stack.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
  if (sdkCall) {
    const fn = sdkCall.node.tryFindChild('Resource');
    if (fn) {
      lambdas.push(fn);
      acknowledge(
        fn,
        'NIST.800.53.R5-LambdaInsideVPC',
        'the SDK-call function only calls the Elastic Load Balancing API during deploys; outside the VPC it needs no ENI',
      );
    }
    const role = sdkCall.node.tryFindChild('ServiceRole');
    if (role)
      acknowledge(
        role,
        POLICY('service-role/AWSLambdaBasicExecutionRole'),
        'the SDK-call function’s own logs',
      );
    const logGroup = sdkCall.node.tryFindChild('LogGroup');
    if (logGroup) lambdasLogs(logGroup);
  }
  for (const fn of [
    ...find(stack, '/KubectlProvider/Handler/Resource'),
    ...find(stack, '/KubectlProvider/Provider/framework-onEvent/Resource'),
  ]) {
    acknowledge(
      fn,
      'CT.LAMBDA.PR.3',
      'the function runs in the private subnets with the EKS cluster security group; the control recognises only a security group declared as AWS::EC2::SecurityGroup, and this one is an attribute of the AWS::EKS::Cluster (ClusterSecurityGroupId)',
    );
  }
  for (const fn of lambdas) {
    acknowledgeAll(
      fn,
      ['NIST.800.53.R5-LambdaConcurrency'],
      'runs only during deploys, a few invocations per stack operation; reserving concurrency fails on new accounts whose limit is 10',
    );
    acknowledge(
      fn,
      'NIST.800.53.R5-LambdaDLQ',
      'invoked synchronously by CloudFormation’s custom-resource flow, which reports every failure; there is no asynchronous event to dead-letter',
    );
  }
  for (const g of [
    ...find(stack, '/KubectlProvider/Handler/LogGroup'),
    ...find(stack, '/KubectlProvider/Provider/framework-onEvent/LogGroup'),
  ]) {
    lambdasLogs(g);
  }
  for (const role of find(stack, '/Eks/Cluster/Role')) {
    acknowledge(
      role,
      POLICY('AmazonEKSClusterPolicy'),
      'the AWS-maintained policy the EKS control plane needs to manage the cluster’s network interfaces and load balancers',
    );
    // EKS Auto Mode: the control plane launches nodes, volumes, load balancers and network interfaces.
    acknowledgeAll(
      role,
      [
        'AmazonEKSComputePolicy',
        'AmazonEKSBlockStoragePolicy',
        'AmazonEKSLoadBalancingPolicy',
        'AmazonEKSNetworkingPolicy',
      ].map(POLICY),
      'the AWS-maintained policies EKS Auto Mode requires on the cluster role to run its nodes, EBS volumes, load balancers and pod networking',
    );
  }
  for (const role of find(stack, '/Eks/Cluster/ClusternodePoolRole')) {
    acknowledgeAll(
      role,
      [POLICY('AmazonEKSWorkerNodePolicy'), POLICY('AmazonEC2ContainerRegistryReadOnly')],
      'the AWS-maintained minimum for EKS Auto Mode nodes: join the cluster and pull images; every AWS call of the app goes through Pod Identity',
    );
  }
}

function lambdasLogs(group: IConstruct): void {
  const target = group.node.tryFindChild('Resource') ?? group;
  acknowledge(
    target,
    'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
    `deploy-time logs of a custom-resource function (kubectl and SDK calls, no secret values); CloudWatch encrypts them at rest, a KMS key would add ${kmsKeyMonthly(target)}`,
  );
}
