/**
 * What the diagram knows about each CloudFormation resource type: the AWS service name it shows,
 * its category (the colour and the group outside the VPC), and whether it is drawn (`node`), drawn
 * as a container (`vpc`, `subnet`), or collapsed into an owner (`aux`) — with the rules that find the
 * owner, tried in order. A type not listed here is drawn as a node of the category its service
 * namespace suggests, so nothing is ever hidden by omission.
 */

export type Category = 'network' | 'edge' | 'compute' | 'data' | 'operations';

export const CATEGORIES: readonly Category[] = ['edge', 'network', 'compute', 'data', 'operations'];

export const CATEGORY_LABEL: Record<Category, string> = {
  edge: 'Edge',
  network: 'Network',
  compute: 'Compute',
  data: 'Data',
  operations: 'Operations',
};

/**
 * How an auxiliary resource finds its owner:
 * - `prop`: the resource it references at one of these properties (`Bucket`, `Roles`, …);
 * - `referrer`: the resource(s) that reference it (optionally only of these types, or at these
 *   properties), when they all resolve to one owner (or the first of them, with `pick: 'first'`);
 * - `construct`: the one drawn resource of its CDK construct (the nearest scope holding exactly one).
 */
export type OwnerRule =
  | { by: 'prop'; at: readonly string[]; types?: readonly string[] }
  | {
      by: 'referrer';
      types?: readonly string[];
      at?: readonly string[];
      exclude?: readonly string[];
      /** When the referrers resolve to different owners: take the first (by logical id) instead of failing. */
      pick?: 'first';
    }
  | { by: 'construct' };

export type Role = 'node' | 'vpc' | 'subnet' | 'aux' | 'alarm';

export interface TypeInfo {
  /** The AWS service name shown on the node. */
  service: string;
  category: Category;
  role: Role;
  /** For `aux`: the owner rules, in order. Without an owner, an aux resource is drawn as a node. */
  owner?: readonly OwnerRule[];
  /** Construct ids that only repeat the kind (`Bucket`, `Instance`): skipped when naming a node. */
  generic?: readonly string[];
}

function humanWords(id: string): string {
  return id
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

const CONSTRUCT: OwnerRule = { by: 'construct' };
const REFERRER: OwnerRule = { by: 'referrer' };
const prop = (...at: string[]): OwnerRule => ({ by: 'prop', at });

/** Properties through which a resource uses a security group (not the rules that open it). */
const SG_USERS_EXCLUDE = [
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SecurityGroupEgress',
  'AWS::EC2::SecurityGroup',
];

export const TYPES: Readonly<Record<string, TypeInfo>> = {
  // ---------------------------------------------------------------- network
  'AWS::EC2::VPC': { service: 'VPC', category: 'network', role: 'vpc' },
  'AWS::EC2::Subnet': { service: 'Subnet', category: 'network', role: 'subnet' },
  'AWS::EC2::RouteTable': {
    service: 'Route table',
    category: 'network',
    role: 'aux',
    owner: [{ by: 'referrer', types: ['AWS::EC2::SubnetRouteTableAssociation'] }, prop('VpcId')],
  },
  'AWS::EC2::SubnetRouteTableAssociation': {
    service: 'Route table association',
    category: 'network',
    role: 'aux',
    owner: [prop('SubnetId')],
  },
  'AWS::EC2::Route': { service: 'Route', category: 'network', role: 'aux', owner: [prop('RouteTableId')] },
  'AWS::EC2::InternetGateway': {
    service: 'Internet gateway',
    category: 'network',
    role: 'aux',
    owner: [{ by: 'referrer', types: ['AWS::EC2::VPCGatewayAttachment'] }, CONSTRUCT],
  },
  'AWS::EC2::EgressOnlyInternetGateway': {
    service: 'Egress-only internet gateway',
    category: 'network',
    role: 'aux',
    owner: [prop('VpcId')],
  },
  'AWS::EC2::VPCGatewayAttachment': {
    service: 'Gateway attachment',
    category: 'network',
    role: 'aux',
    owner: [prop('VpcId')],
  },
  'AWS::EC2::VPCCidrBlock': {
    service: 'VPC CIDR block',
    category: 'network',
    role: 'aux',
    owner: [prop('VpcId')],
  },
  'AWS::EC2::DHCPOptions': { service: 'DHCP options', category: 'network', role: 'aux', owner: [REFERRER] },
  'AWS::EC2::VPCDHCPOptionsAssociation': {
    service: 'DHCP options association',
    category: 'network',
    role: 'aux',
    owner: [prop('VpcId')],
  },
  'AWS::EC2::NetworkAcl': {
    service: 'Network ACL',
    category: 'network',
    role: 'aux',
    owner: [prop('VpcId')],
  },
  'AWS::EC2::NetworkAclEntry': {
    service: 'Network ACL entry',
    category: 'network',
    role: 'aux',
    owner: [prop('NetworkAclId')],
  },
  'AWS::EC2::SubnetNetworkAclAssociation': {
    service: 'Network ACL association',
    category: 'network',
    role: 'aux',
    owner: [prop('SubnetId')],
  },
  'AWS::EC2::FlowLog': {
    service: 'VPC flow log',
    category: 'network',
    role: 'aux',
    owner: [prop('ResourceId'), CONSTRUCT],
  },
  'AWS::EC2::NatGateway': {
    service: 'NAT gateway',
    category: 'network',
    role: 'node',
    generic: ['NATGateway', 'Nat'],
  },
  'AWS::EC2::EIP': {
    service: 'Elastic IP',
    category: 'edge',
    role: 'aux',
    // A NAT gateway's address belongs to it; an instance's address is the way in, and is drawn.
    owner: [{ by: 'referrer', types: ['AWS::EC2::NatGateway'] }],
    generic: ['EIP', 'Address'],
  },
  'AWS::EC2::EIPAssociation': {
    service: 'Elastic IP association',
    category: 'edge',
    role: 'aux',
    owner: [prop('AllocationId', 'EIP', 'EIPAllocationId'), prop('InstanceId')],
  },
  'AWS::EC2::VPCEndpoint': { service: 'VPC endpoint', category: 'network', role: 'node' },
  'AWS::EC2::SecurityGroup': {
    service: 'Security group',
    category: 'network',
    role: 'aux',
    // A group one resource uses is part of it; one several share is part of the VPC (or, when the
    // VPC is not in the template, of its first user). Its rules still become connections.
    owner: [
      { by: 'referrer', exclude: SG_USERS_EXCLUDE },
      CONSTRUCT,
      prop('VpcId'),
      { by: 'referrer', exclude: SG_USERS_EXCLUDE, pick: 'first' },
    ],
  },
  'AWS::EC2::SecurityGroupIngress': {
    service: 'Security group rule',
    category: 'network',
    role: 'aux',
    owner: [prop('GroupId')],
  },
  'AWS::EC2::SecurityGroupEgress': {
    service: 'Security group rule',
    category: 'network',
    role: 'aux',
    owner: [prop('GroupId')],
  },
  'AWS::EC2::TransitGatewayAttachment': {
    service: 'Transit gateway attachment',
    category: 'network',
    role: 'aux',
    owner: [prop('VpcId')],
  },
  'AWS::EC2::PrefixList': {
    service: 'Prefix list',
    category: 'network',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::Route53::HostedZone': { service: 'Route 53 hosted zone', category: 'edge', role: 'node' },
  'AWS::Route53::RecordSet': {
    service: 'DNS record',
    category: 'edge',
    role: 'aux',
    // A record belongs to what it points at: an alias target, or the address in its values.
    owner: [prop('AliasTarget'), prop('ResourceRecords'), CONSTRUCT, prop('HostedZoneId')],
  },
  'AWS::Route53::RecordSetGroup': {
    service: 'DNS records',
    category: 'edge',
    role: 'aux',
    owner: [prop('RecordSets'), CONSTRUCT, prop('HostedZoneId')],
  },
  'AWS::Route53::HealthCheck': { service: 'Route 53 health check', category: 'operations', role: 'node' },
  'AWS::ServiceDiscovery::PrivateDnsNamespace': {
    service: 'Cloud Map namespace',
    category: 'network',
    role: 'aux',
    owner: [CONSTRUCT, REFERRER],
  },
  'AWS::ServiceDiscovery::Service': {
    service: 'Cloud Map service',
    category: 'network',
    role: 'aux',
    owner: [{ by: 'referrer', types: ['AWS::ECS::Service'] }, CONSTRUCT],
  },

  // ---------------------------------------------------------------- edge
  'AWS::CloudFront::Distribution': {
    service: 'CloudFront',
    category: 'edge',
    role: 'node',
    generic: ['Cdn', 'Distribution', 'CloudFront'],
  },
  'AWS::CloudFront::OriginAccessControl': {
    service: 'Origin access control',
    category: 'edge',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::CloudFront::CloudFrontOriginAccessIdentity': {
    service: 'Origin access identity',
    category: 'edge',
    role: 'aux',
    owner: [{ by: 'referrer', types: ['AWS::CloudFront::Distribution'] }, CONSTRUCT],
  },
  'AWS::CloudFront::ResponseHeadersPolicy': {
    service: 'Response headers policy',
    category: 'edge',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::CloudFront::CachePolicy': {
    service: 'Cache policy',
    category: 'edge',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::CloudFront::OriginRequestPolicy': {
    service: 'Origin request policy',
    category: 'edge',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::CloudFront::Function': {
    service: 'CloudFront function',
    category: 'edge',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::CloudFront::KeyGroup': {
    service: 'Key group',
    category: 'edge',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::CloudFront::PublicKey': {
    service: 'Public key',
    category: 'edge',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::CloudFront::RealtimeLogConfig': {
    service: 'Real-time log config',
    category: 'edge',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    service: 'Load balancer',
    category: 'edge',
    role: 'node',
    generic: ['LoadBalancer', 'Alb', 'Nlb', 'LB'],
  },
  'AWS::ElasticLoadBalancingV2::Listener': {
    service: 'Listener',
    category: 'edge',
    role: 'aux',
    owner: [prop('LoadBalancerArn')],
  },
  'AWS::ElasticLoadBalancingV2::ListenerRule': {
    service: 'Listener rule',
    category: 'edge',
    role: 'aux',
    owner: [prop('ListenerArn')],
  },
  'AWS::ElasticLoadBalancingV2::ListenerCertificate': {
    service: 'Listener certificate',
    category: 'edge',
    role: 'aux',
    owner: [prop('ListenerArn')],
  },
  'AWS::ElasticLoadBalancingV2::TargetGroup': {
    service: 'Target group',
    category: 'edge',
    role: 'aux',
    owner: [
      {
        by: 'referrer',
        types: ['AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancingV2::ListenerRule'],
      },
      REFERRER,
      CONSTRUCT,
    ],
  },
  'AWS::ElasticLoadBalancing::LoadBalancer': {
    service: 'Classic load balancer',
    category: 'edge',
    role: 'node',
  },
  'AWS::CertificateManager::Certificate': {
    service: 'ACM certificate',
    category: 'edge',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::WAFv2::WebACL': {
    service: 'WAF web ACL',
    category: 'edge',
    role: 'node',
    generic: ['WebAcl', 'Waf'],
  },
  'AWS::WAFv2::WebACLAssociation': {
    service: 'WAF association',
    category: 'edge',
    role: 'aux',
    owner: [prop('WebACLArn')],
  },
  'AWS::WAFv2::IPSet': { service: 'WAF IP set', category: 'edge', role: 'aux', owner: [REFERRER, CONSTRUCT] },
  'AWS::WAFv2::RegexPatternSet': {
    service: 'WAF pattern set',
    category: 'edge',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::WAFv2::RuleGroup': {
    service: 'WAF rule group',
    category: 'edge',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::WAFv2::LoggingConfiguration': {
    service: 'WAF logging',
    category: 'edge',
    role: 'aux',
    owner: [prop('ResourceArn')],
  },
  'AWS::ApiGateway::RestApi': { service: 'API Gateway', category: 'edge', role: 'node' },
  ...Object.fromEntries(
    [
      'Resource',
      'Method',
      'Deployment',
      'Stage',
      'Authorizer',
      'Model',
      'RequestValidator',
      'GatewayResponse',
      'DocumentationPart',
      'BasePathMapping',
    ].map((k): [string, TypeInfo] => [
      `AWS::ApiGateway::${k}`,
      {
        service: `API ${humanWords(k)}`,
        category: 'edge',
        role: 'aux',
        owner: [prop('RestApiId'), CONSTRUCT],
      },
    ]),
  ),
  'AWS::ApiGateway::Account': {
    service: 'API Gateway account settings',
    category: 'edge',
    role: 'aux',
    owner: [CONSTRUCT],
  },
  'AWS::ApiGateway::UsagePlan': {
    service: 'API usage plan',
    category: 'edge',
    role: 'aux',
    owner: [prop('ApiStages'), CONSTRUCT],
  },
  'AWS::ApiGateway::ApiKey': {
    service: 'API key',
    category: 'edge',
    role: 'aux',
    owner: [prop('StageKeys'), REFERRER, CONSTRUCT],
  },
  'AWS::ApiGatewayV2::Api': { service: 'API Gateway (HTTP)', category: 'edge', role: 'node' },
  ...Object.fromEntries(
    [
      'Route',
      'Integration',
      'Stage',
      'Deployment',
      'Authorizer',
      'RouteResponse',
      'IntegrationResponse',
      'Model',
      'ApiMapping',
    ].map((k): [string, TypeInfo] => [
      `AWS::ApiGatewayV2::${k}`,
      { service: `API ${humanWords(k)}`, category: 'edge', role: 'aux', owner: [prop('ApiId'), CONSTRUCT] },
    ]),
  ),
  'AWS::Cognito::UserPool': { service: 'Cognito user pool', category: 'edge', role: 'node' },
  ...Object.fromEntries(
    [
      'UserPoolClient',
      'UserPoolDomain',
      'UserPoolGroup',
      'UserPoolResourceServer',
      'UserPoolIdentityProvider',
      'UserPoolUICustomizationAttachment',
    ].map((k): [string, TypeInfo] => [
      `AWS::Cognito::${k}`,
      {
        service: `Cognito ${humanWords(k.replace(/^UserPool/, 'user pool '))}`,
        category: 'edge',
        role: 'aux',
        owner: [prop('UserPoolId'), CONSTRUCT],
      },
    ]),
  ),
  'AWS::GlobalAccelerator::Accelerator': { service: 'Global Accelerator', category: 'edge', role: 'node' },

  // ---------------------------------------------------------------- compute
  'AWS::EC2::Instance': {
    service: 'EC2 instance',
    category: 'compute',
    role: 'node',
    generic: ['Instance', 'Host'],
  },
  'AWS::EC2::LaunchTemplate': {
    service: 'Launch template',
    category: 'compute',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::EC2::Volume': {
    service: 'EBS volume',
    category: 'compute',
    role: 'aux',
    owner: [{ by: 'referrer', types: ['AWS::EC2::VolumeAttachment'] }, CONSTRUCT],
  },
  'AWS::EC2::VolumeAttachment': {
    service: 'Volume attachment',
    category: 'compute',
    role: 'aux',
    owner: [prop('InstanceId')],
  },
  'AWS::EC2::NetworkInterface': {
    service: 'Network interface',
    category: 'network',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::EC2::NetworkInterfaceAttachment': {
    service: 'Network interface attachment',
    category: 'network',
    role: 'aux',
    owner: [prop('InstanceId')],
  },
  'AWS::EC2::KeyPair': {
    service: 'Key pair',
    category: 'compute',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::EC2::PlacementGroup': {
    service: 'Placement group',
    category: 'compute',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::AutoScaling::AutoScalingGroup': {
    service: 'Auto Scaling group',
    category: 'compute',
    role: 'node',
    generic: ['ASG'],
  },
  'AWS::AutoScaling::LaunchConfiguration': {
    service: 'Launch configuration',
    category: 'compute',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::AutoScaling::ScalingPolicy': {
    service: 'Scaling policy',
    category: 'compute',
    role: 'aux',
    owner: [prop('AutoScalingGroupName')],
  },
  'AWS::AutoScaling::LifecycleHook': {
    service: 'Lifecycle hook',
    category: 'compute',
    role: 'aux',
    owner: [prop('AutoScalingGroupName')],
  },
  'AWS::AutoScaling::ScheduledAction': {
    service: 'Scheduled scaling',
    category: 'compute',
    role: 'aux',
    owner: [prop('AutoScalingGroupName')],
  },
  'AWS::AutoScaling::WarmPool': {
    service: 'Warm pool',
    category: 'compute',
    role: 'aux',
    owner: [prop('AutoScalingGroupName')],
  },
  'AWS::ApplicationAutoScaling::ScalableTarget': {
    service: 'Scalable target',
    category: 'compute',
    role: 'aux',
    owner: [
      {
        by: 'prop',
        at: ['ResourceId'],
        types: [
          'AWS::ECS::Service',
          'AWS::DynamoDB::Table',
          'AWS::RDS::DBCluster',
          'AWS::ElastiCache::ReplicationGroup',
        ],
      },
      CONSTRUCT,
    ],
  },
  'AWS::ApplicationAutoScaling::ScalingPolicy': {
    service: 'Scaling policy',
    category: 'compute',
    role: 'aux',
    owner: [prop('ScalingTargetId'), CONSTRUCT],
  },
  'AWS::ECS::Cluster': { service: 'ECS cluster', category: 'compute', role: 'node', generic: ['Cluster'] },
  'AWS::ECS::ClusterCapacityProviderAssociations': {
    service: 'Capacity providers',
    category: 'compute',
    role: 'aux',
    owner: [prop('Cluster')],
  },
  'AWS::ECS::CapacityProvider': {
    service: 'Capacity provider',
    category: 'compute',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::ECS::Service': { service: 'ECS service', category: 'compute', role: 'node', generic: ['Service'] },
  'AWS::ECS::TaskDefinition': {
    service: 'ECS task definition',
    category: 'compute',
    role: 'aux',
    // A task definition belongs to its service; one no service runs (a one-off task) is drawn.
    owner: [{ by: 'referrer', types: ['AWS::ECS::Service', 'AWS::ECS::TaskSet'] }],
    generic: ['Task', 'TaskDefinition', 'TaskDef'],
  },
  'AWS::ECS::TaskSet': {
    service: 'ECS task set',
    category: 'compute',
    role: 'aux',
    owner: [prop('Service')],
  },
  'AWS::ECR::Repository': {
    service: 'ECR repository',
    category: 'operations',
    role: 'node',
    generic: ['Repository', 'Repo'],
  },
  'AWS::EKS::Cluster': {
    service: 'EKS cluster',
    category: 'compute',
    role: 'node',
    generic: ['Cluster', 'Resource'],
  },
  'AWS::EKS::Nodegroup': {
    service: 'EKS node group',
    category: 'compute',
    role: 'node',
    generic: ['Nodegroup', 'NodeGroup'],
  },
  'AWS::EKS::FargateProfile': { service: 'EKS Fargate profile', category: 'compute', role: 'node' },
  'AWS::EKS::Addon': {
    service: 'EKS add-on',
    category: 'compute',
    role: 'aux',
    owner: [prop('ClusterName'), CONSTRUCT],
  },
  'AWS::EKS::AccessEntry': {
    service: 'EKS access entry',
    category: 'compute',
    role: 'aux',
    owner: [prop('ClusterName'), CONSTRUCT],
  },
  'AWS::EKS::PodIdentityAssociation': {
    service: 'EKS pod identity',
    category: 'compute',
    role: 'aux',
    owner: [prop('ClusterName'), CONSTRUCT],
  },
  'AWS::EKS::IdentityProviderConfig': {
    service: 'EKS identity provider',
    category: 'compute',
    role: 'aux',
    owner: [prop('ClusterName'), CONSTRUCT],
  },
  'AWS::Lambda::Function': {
    service: 'Lambda function',
    category: 'compute',
    role: 'aux',
    // A function that only serves a custom resource (its ServiceToken) is plumbing; others are drawn.
    owner: [{ by: 'referrer', at: ['ServiceToken'] }],
    generic: ['Handler', 'Function', 'Fn'],
  },
  'AWS::Lambda::LayerVersion': {
    service: 'Lambda layer',
    category: 'compute',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::Lambda::Permission': {
    service: 'Lambda permission',
    category: 'compute',
    role: 'aux',
    owner: [prop('FunctionName')],
  },
  'AWS::Lambda::Version': {
    service: 'Lambda version',
    category: 'compute',
    role: 'aux',
    owner: [prop('FunctionName')],
  },
  'AWS::Lambda::Alias': {
    service: 'Lambda alias',
    category: 'compute',
    role: 'aux',
    owner: [prop('FunctionName')],
  },
  'AWS::Lambda::Url': {
    service: 'Function URL',
    category: 'edge',
    role: 'aux',
    owner: [prop('TargetFunctionArn')],
  },
  'AWS::Lambda::EventInvokeConfig': {
    service: 'Lambda invoke config',
    category: 'compute',
    role: 'aux',
    owner: [prop('FunctionName')],
  },
  'AWS::Lambda::EventSourceMapping': {
    service: 'Event source mapping',
    category: 'compute',
    role: 'aux',
    owner: [prop('FunctionName')],
  },
  'AWS::AppRunner::Service': { service: 'App Runner service', category: 'compute', role: 'node' },
  'AWS::Batch::ComputeEnvironment': {
    service: 'Batch compute environment',
    category: 'compute',
    role: 'node',
  },
  'AWS::StepFunctions::StateMachine': { service: 'Step Functions', category: 'compute', role: 'node' },

  // ---------------------------------------------------------------- data
  'AWS::RDS::DBInstance': {
    service: 'RDS',
    category: 'data',
    role: 'node',
    generic: ['Instance', 'Database', 'Db', 'DB'],
  },
  'AWS::RDS::DBCluster': {
    service: 'Aurora cluster',
    category: 'data',
    role: 'node',
    generic: ['Cluster', 'Database', 'Db'],
  },
  'AWS::RDS::DBSubnetGroup': {
    service: 'DB subnet group',
    category: 'data',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::RDS::DBParameterGroup': {
    service: 'DB parameter group',
    category: 'data',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::RDS::DBClusterParameterGroup': {
    service: 'DB cluster parameter group',
    category: 'data',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::RDS::OptionGroup': {
    service: 'DB option group',
    category: 'data',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::RDS::DBProxy': { service: 'RDS Proxy', category: 'data', role: 'node' },
  'AWS::RDS::DBProxyTargetGroup': {
    service: 'RDS Proxy target group',
    category: 'data',
    role: 'aux',
    owner: [prop('DBProxyName')],
  },
  'AWS::RDS::EventSubscription': {
    service: 'RDS event subscription',
    category: 'operations',
    role: 'aux',
    owner: [CONSTRUCT],
  },
  'AWS::ElastiCache::ReplicationGroup': {
    service: 'ElastiCache',
    category: 'data',
    role: 'node',
    generic: ['ReplicationGroup', 'Cluster', 'Cache'],
  },
  'AWS::ElastiCache::CacheCluster': {
    service: 'ElastiCache',
    category: 'data',
    role: 'node',
    generic: ['Cluster', 'Cache'],
  },
  'AWS::ElastiCache::ServerlessCache': {
    service: 'ElastiCache Serverless',
    category: 'data',
    role: 'node',
    generic: ['Cache'],
  },
  'AWS::ElastiCache::SubnetGroup': {
    service: 'Cache subnet group',
    category: 'data',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::ElastiCache::ParameterGroup': {
    service: 'Cache parameter group',
    category: 'data',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::ElastiCache::User': {
    service: 'Cache user',
    category: 'data',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::ElastiCache::UserGroup': {
    service: 'Cache user group',
    category: 'data',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::OpenSearchService::Domain': {
    service: 'OpenSearch',
    category: 'data',
    role: 'node',
    generic: ['Domain'],
  },
  'AWS::Elasticsearch::Domain': {
    service: 'Elasticsearch',
    category: 'data',
    role: 'node',
    generic: ['Domain'],
  },
  'AWS::S3::Bucket': { service: 'S3 bucket', category: 'data', role: 'node', generic: ['Bucket'] },
  'AWS::S3::BucketPolicy': {
    service: 'Bucket policy',
    category: 'data',
    role: 'aux',
    owner: [prop('Bucket')],
  },
  'AWS::DynamoDB::Table': { service: 'DynamoDB table', category: 'data', role: 'node', generic: ['Table'] },
  'AWS::DynamoDB::GlobalTable': {
    service: 'DynamoDB global table',
    category: 'data',
    role: 'node',
    generic: ['Table'],
  },
  'AWS::EFS::FileSystem': { service: 'EFS', category: 'data', role: 'node', generic: ['FileSystem'] },
  'AWS::EFS::MountTarget': {
    service: 'EFS mount target',
    category: 'data',
    role: 'aux',
    owner: [prop('FileSystemId')],
  },
  'AWS::EFS::AccessPoint': {
    service: 'EFS access point',
    category: 'data',
    role: 'aux',
    owner: [prop('FileSystemId')],
  },
  'AWS::SQS::Queue': { service: 'SQS queue', category: 'data', role: 'node', generic: ['Queue'] },
  'AWS::SQS::QueuePolicy': {
    service: 'Queue policy',
    category: 'data',
    role: 'aux',
    owner: [prop('Queues')],
  },
  'AWS::Kinesis::Stream': { service: 'Kinesis stream', category: 'data', role: 'node' },
  'AWS::SecretsManager::Secret': {
    service: 'Secrets Manager secret',
    category: 'data',
    role: 'aux',
    // A secret belongs to the data store it is the credential or URL of; a lone app secret is drawn.
    owner: [CONSTRUCT, { by: 'referrer', exclude: ['AWS::SecretsManager::SecretTargetAttachment'] }],
  },
  'AWS::SecretsManager::SecretTargetAttachment': {
    service: 'Secret attachment',
    category: 'data',
    role: 'aux',
    owner: [prop('SecretId')],
  },
  'AWS::SecretsManager::RotationSchedule': {
    service: 'Secret rotation',
    category: 'data',
    role: 'aux',
    owner: [prop('SecretId')],
  },
  'AWS::SecretsManager::ResourcePolicy': {
    service: 'Secret resource policy',
    category: 'data',
    role: 'aux',
    owner: [prop('SecretId')],
  },
  'AWS::SSM::Parameter': {
    service: 'SSM parameter',
    category: 'data',
    role: 'aux',
    owner: [CONSTRUCT, REFERRER],
  },
  'AWS::KMS::Key': { service: 'KMS key', category: 'operations', role: 'aux', owner: [REFERRER, CONSTRUCT] },
  'AWS::KMS::Alias': {
    service: 'KMS alias',
    category: 'operations',
    role: 'aux',
    owner: [prop('TargetKeyId')],
  },

  // ---------------------------------------------------------------- operations
  'AWS::IAM::Role': {
    service: 'IAM role',
    category: 'operations',
    role: 'aux',
    owner: [
      { by: 'referrer', exclude: ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy'] },
      CONSTRUCT,
    ],
    generic: ['Role', 'ServiceRole'],
  },
  'AWS::IAM::Policy': {
    service: 'IAM policy',
    category: 'operations',
    role: 'aux',
    owner: [prop('Roles', 'Users', 'Groups'), CONSTRUCT],
  },
  'AWS::IAM::ManagedPolicy': {
    service: 'IAM managed policy',
    category: 'operations',
    role: 'aux',
    owner: [prop('Roles', 'Users', 'Groups'), REFERRER, CONSTRUCT],
  },
  'AWS::IAM::RolePolicy': {
    service: 'IAM role policy',
    category: 'operations',
    role: 'aux',
    owner: [prop('RoleName')],
  },
  'AWS::IAM::InstanceProfile': {
    service: 'Instance profile',
    category: 'operations',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::IAM::OIDCProvider': { service: 'IAM OIDC provider', category: 'operations', role: 'node' },
  'AWS::IAM::User': { service: 'IAM user', category: 'operations', role: 'node' },
  'AWS::IAM::Group': { service: 'IAM group', category: 'operations', role: 'node' },
  'AWS::IAM::AccessKey': {
    service: 'IAM access key',
    category: 'operations',
    role: 'aux',
    owner: [prop('UserName')],
  },
  'AWS::IAM::ServiceLinkedRole': {
    service: 'Service-linked role',
    category: 'operations',
    role: 'aux',
    owner: [CONSTRUCT],
  },
  'AWS::Logs::LogGroup': {
    service: 'CloudWatch log group',
    category: 'operations',
    role: 'aux',
    owner: [
      {
        by: 'referrer',
        exclude: ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::Logs::ResourcePolicy'],
      },
      CONSTRUCT,
    ],
  },
  'AWS::Logs::ResourcePolicy': {
    service: 'Log resource policy',
    category: 'operations',
    role: 'aux',
    owner: [CONSTRUCT, REFERRER],
  },
  'AWS::Logs::MetricFilter': {
    service: 'Metric filter',
    category: 'operations',
    role: 'aux',
    owner: [prop('LogGroupName')],
  },
  'AWS::Logs::SubscriptionFilter': {
    service: 'Subscription filter',
    category: 'operations',
    role: 'aux',
    owner: [prop('LogGroupName')],
  },
  'AWS::CloudWatch::Alarm': { service: 'CloudWatch alarm', category: 'operations', role: 'alarm' },
  'AWS::CloudWatch::CompositeAlarm': {
    service: 'CloudWatch composite alarm',
    category: 'operations',
    role: 'alarm',
  },
  'AWS::CloudWatch::AnomalyDetector': { service: 'Anomaly detector', category: 'operations', role: 'alarm' },
  'AWS::CloudWatch::Dashboard': {
    service: 'CloudWatch dashboard',
    category: 'operations',
    role: 'node',
    generic: ['Dashboard'],
  },
  'AWS::SNS::Topic': { service: 'SNS topic', category: 'operations', role: 'node', generic: ['Topic'] },
  'AWS::SNS::TopicPolicy': {
    service: 'Topic policy',
    category: 'operations',
    role: 'aux',
    owner: [prop('Topics')],
  },
  'AWS::SNS::Subscription': {
    service: 'Topic subscription',
    category: 'operations',
    role: 'aux',
    owner: [prop('TopicArn')],
  },
  'AWS::Events::Rule': {
    service: 'EventBridge rule',
    category: 'operations',
    role: 'node',
    generic: ['Rule'],
  },
  'AWS::Scheduler::Schedule': { service: 'EventBridge schedule', category: 'operations', role: 'node' },
  'AWS::Backup::BackupVault': {
    service: 'Backup vault',
    category: 'operations',
    role: 'node',
    generic: ['Vault'],
  },
  'AWS::Backup::BackupPlan': {
    service: 'Backup plan',
    category: 'operations',
    role: 'node',
    generic: ['Plan'],
  },
  'AWS::Backup::BackupSelection': {
    service: 'Backup selection',
    category: 'operations',
    role: 'aux',
    owner: [prop('BackupPlanId')],
  },
  'AWS::CloudFormation::Stack': { service: 'Nested stack', category: 'operations', role: 'node' },
  'AWS::CloudFormation::WaitConditionHandle': {
    service: 'Wait condition',
    category: 'operations',
    role: 'aux',
    owner: [REFERRER, CONSTRUCT],
  },
  'AWS::CloudFormation::WaitCondition': {
    service: 'Wait condition',
    category: 'operations',
    role: 'aux',
    owner: [prop('Handle'), CONSTRUCT],
  },
  'AWS::CDK::Metadata': { service: 'CDK metadata', category: 'operations', role: 'aux', owner: [] },
};

/** Service namespaces → category, for types the table does not list. */
const NAMESPACE_CATEGORY: Record<string, Category> = {
  EC2: 'network',
  Route53: 'edge',
  CloudFront: 'edge',
  ElasticLoadBalancingV2: 'edge',
  ElasticLoadBalancing: 'edge',
  WAFv2: 'edge',
  WAF: 'edge',
  ApiGateway: 'edge',
  ApiGatewayV2: 'edge',
  CertificateManager: 'edge',
  Cognito: 'edge',
  GlobalAccelerator: 'edge',
  ECS: 'compute',
  EKS: 'compute',
  Lambda: 'compute',
  AutoScaling: 'compute',
  ApplicationAutoScaling: 'compute',
  Batch: 'compute',
  AppRunner: 'compute',
  StepFunctions: 'compute',
  RDS: 'data',
  DynamoDB: 'data',
  S3: 'data',
  ElastiCache: 'data',
  OpenSearchService: 'data',
  Elasticsearch: 'data',
  EFS: 'data',
  SQS: 'data',
  Kinesis: 'data',
  SecretsManager: 'data',
  SSM: 'data',
  DocDB: 'data',
  Neptune: 'data',
  Redshift: 'data',
  MemoryDB: 'data',
};

/** Type info for any type: the table's entry, or a drawn node named after the type. */
export function typeInfo(type: string): TypeInfo {
  const known = TYPES[type];
  if (known) return known;
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') {
    // A custom resource belongs to the construct it is part of (CDK's VPC default-SG restriction,
    // bucket auto-delete, …); one of its own (generated secrets) is drawn.
    return { service: 'Custom resource', category: 'operations', role: 'aux', owner: [CONSTRUCT] };
  }
  const [, ns = '', name = type] = type.split('::');
  return {
    service: `${ns} ${name.replace(/([a-z])([A-Z])/g, '$1 $2')}`.trim(),
    category: NAMESPACE_CATEGORY[ns] ?? 'operations',
    role: 'node',
  };
}
