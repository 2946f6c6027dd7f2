/**
 * Usage: the quantities no template holds (GB sent, requests, tokens, emails, log GB…). A usage
 * file (YAML, parsed by usage-file.ts), a named profile, or the plan (from the manifest) gives a
 * Usage; values missing from it fall back to its profile, if it names one. Without a value a
 * usage-based line says "depends on usage", never $0.
 */

export type ParameterValue = string | number | boolean | Array<string | number>;

/** Per-resource usage values, keyed as in USAGE_KEYS. */
export type ResourceUsage = Record<string, number>;

export interface BedrockUsage {
  /** Model id as invoked, e.g. amazon.nova-lite-v1:0 (a us./eu./apac. inference-profile prefix is fine). */
  model: string;
  /** Input tokens a month. */
  inputTokens?: number;
  /** Output tokens a month. */
  outputTokens?: number;
}

export type ProfileName = 'small' | 'medium' | 'large';
export const PROFILE_NAMES: readonly ProfileName[] = ['small', 'medium', 'large'];

export interface Usage {
  /** A built-in profile whose values fill in whatever this usage leaves out. */
  profile?: ProfileName;
  /**
   * Values for template parameters (instead of, or without, their defaults). A `List<…>` or
   * `CommaDelimitedList` parameter takes a list or a comma-separated string.
   */
  parameters?: Record<string, ParameterValue>;
  /**
   * GB a month sent to the internet. Priced as EC2 data transfer out (tiered, 100 GB always
   * free); when the templates hold CloudFront distributions it is priced on them instead.
   */
  dataTransferOutGb?: number;
  /** Requests a month reaching the app: CloudFront and WAF use it when they have no usage of their own. */
  requestsPerMonth?: number;
  /** Bedrock models the app invokes, with tokens a month. */
  bedrock?: BedrockUsage[];
  /** Present when the app sends email with SES. */
  ses?: { emails?: number };
  /** Fill-ins for bedrock models and ses given without numbers (profiles set these). */
  defaults?: { bedrockInputTokens?: number; bedrockOutputTokens?: number; sesEmails?: number };
  /** Per CloudFormation type: values for every resource of that type. */
  types?: Record<string, ResourceUsage>;
  /** Per logical id (or `Stack/LogicalId`): values for one resource; these win over `types`. */
  resources?: Record<string, ResourceUsage>;
  /**
   * Per logical id (or `Stack/LogicalId`): CloudFormation property values for what the template
   * leaves to something outside it (a read replica's external source, a database restored from a
   * snapshot). They fill in properties the template does not set; the template's own win.
   */
  properties?: Record<string, Record<string, unknown>>;
}

/** Every per-resource usage key, by type, with what it means (documented in docs/cost.md). */
export const USAGE_KEYS: Record<string, Record<string, string>> = {
  'AWS::EC2::NatGateway': { dataProcessedGb: 'GB a month processed by the NAT gateway' },
  'AWS::EC2::VPCEndpoint': { dataProcessedGb: 'GB a month processed by an interface endpoint' },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    lcuPerHour: 'average load balancer capacity units an hour (ALB LCUs, NLB NLCUs)',
  },
  'AWS::AutoScaling::AutoScalingGroup': {
    instances: 'average running instances (default: desired capacity)',
  },
  'AWS::ECS::Service': {
    tasks: 'average running tasks (default: desired count)',
    spotDiscount: 'assumed Fargate Spot discount, 0-1 (default 0.7: "up to 70% off")',
  },
  'AWS::EKS::Nodegroup': { instances: 'average running nodes (default: desired size)' },
  'AWS::EKS::Addon': {
    observationsMillions:
      'millions of Container Insights observations a month (amazon-cloudwatch-observability add-on)',
  },

  'AWS::RDS::DBInstance': {
    backupStorageGb: 'backup GB beyond the free amount (100% of provisioned storage)',
    acus: 'average Aurora capacity units (db.serverless instances; default: the cluster’s minimum)',
  },
  'AWS::ElastiCache::CacheCluster': { snapshotStorageGb: 'snapshot GB a month' },
  'AWS::ElastiCache::ReplicationGroup': { snapshotStorageGb: 'snapshot GB a month' },
  'AWS::ElastiCache::ServerlessCache': {
    dataStoredGb: 'average GB stored',
    ecpuMillions: 'millions of ElastiCache processing units a month',
  },
  'AWS::S3::Bucket': {
    storageGb: 'average GB stored (Standard)',
    getRequests: 'GET and other read requests a month',
    putRequests: 'PUT, COPY, POST and LIST requests a month',
  },
  'AWS::CloudFront::Distribution': {
    dataOutGb: 'GB a month sent to viewers (default: dataTransferOutGb)',
    requests: 'HTTPS requests a month (default: requestsPerMonth)',
  },
  'AWS::Route53::HostedZone': {
    queries: 'standard DNS queries a month (alias queries to AWS resources are free)',
  },
  'AWS::Logs::LogGroup': {
    ingestedGb: 'GB of logs ingested a month',
    storedGb: 'average GB stored (default: ingestedGb × retention in months, when retention is set)',
  },
  'AWS::SecretsManager::Secret': { apiCalls: 'API calls a month' },
  'AWS::KMS::Key': { requests: 'cryptographic requests a month' },
  'AWS::WAFv2::WebACL': { requests: 'web requests inspected a month (default: requestsPerMonth)' },
  'AWS::ECR::Repository': { storageGb: 'GB of images stored' },
  'AWS::Lambda::Function': {
    requests: 'invocations a month',
    avgDurationMs: 'average duration in milliseconds',
  },
  'AWS::SNS::Topic': {
    publishes: 'publish requests a month',
    emailNotifications: 'email deliveries a month',
  },
  'AWS::ServiceDiscovery::PrivateDnsNamespace': { queries: 'DNS queries a month to the namespace' },
  'AWS::ServiceDiscovery::Service': {
    instances: 'average registered instances (default: desired tasks of the ECS services using it)',
  },
  'AWS::CloudFront::Function': { invocations: 'invocations a month (default: requestsPerMonth)' },
  'AWS::SQS::Queue': {
    requests: 'API requests a month (send, receive, delete; each 64 KB of a payload is one)',
  },
  'AWS::ElasticLoadBalancing::LoadBalancer': { dataProcessedGb: 'GB a month processed by the load balancer' },
  'AWS::ApiGateway::RestApi': {
    requests: 'API requests a month (default: an equal share of requestsPerMonth among the APIs)',
  },
  'AWS::Serverless::Api': {
    requests: 'API requests a month (default: an equal share of requestsPerMonth among the APIs)',
  },
  'AWS::ApiGatewayV2::Api': {
    requests: 'HTTP API requests a month (default: an equal share of requestsPerMonth among the APIs)',
    messages: 'WebSocket messages a month',
    connectionMinutes: 'WebSocket connection minutes a month',
  },
  'AWS::Serverless::HttpApi': {
    requests: 'HTTP API requests a month (default: an equal share of requestsPerMonth among the APIs)',
  },
  'AWS::Serverless::Function': {
    requests: 'invocations a month',
    avgDurationMs: 'average duration in milliseconds',
  },
  'AWS::DynamoDB::Table': {
    readRequestUnits: 'read request units a month (on-demand tables)',
    writeRequestUnits: 'write request units a month (on-demand tables)',
    storageGb: 'average GB stored',
  },
  'AWS::Serverless::SimpleTable': {
    readRequestUnits: 'read request units a month (on-demand tables)',
    writeRequestUnits: 'write request units a month (on-demand tables)',
    storageGb: 'average GB stored',
  },
  'AWS::Kinesis::Stream': {
    putPayloadUnits: 'PUT payload units a month (provisioned mode; 25 KB each)',
    dataInGb: 'GB written a month (on-demand mode)',
    dataOutGb: 'GB read a month (on-demand mode)',
  },
  'AWS::StepFunctions::StateMachine': {
    stateTransitions: 'state transitions a month (Standard workflows)',
    requests: 'executions a month (Express workflows)',
    avgDurationMs: 'average execution duration in milliseconds (Express workflows)',
  },
  'AWS::Serverless::StateMachine': {
    stateTransitions: 'state transitions a month (Standard workflows)',
    requests: 'executions a month (Express workflows)',
    avgDurationMs: 'average execution duration in milliseconds (Express workflows)',
  },
  'AWS::Events::Rule': { invocations: 'API destination invocations a month' },
  'AWS::Events::EventBus': { events: 'custom events published to the bus a month' },
  'AWS::EFS::FileSystem': {
    storageGb: 'average GB stored (Standard or One Zone)',
    iaStorageGb: 'average GB in Infrequent Access',
    readGb: 'GB read a month (Elastic throughput)',
    writeGb: 'GB written a month (Elastic throughput)',
  },
  'AWS::Backup::BackupVault': {
    ebsWarmGb: 'GB of EBS snapshots in warm storage',
    efsWarmGb: 'GB of EFS backups in warm storage',
    rdsWarmGb: 'GB of RDS snapshots in warm storage',
    dynamodbWarmGb: 'GB of DynamoDB backups in warm storage',
    s3WarmGb: 'GB of S3 backups in warm storage',
    coldGb: 'GB in cold storage',
  },
  'AWS::Transfer::Server': { dataGb: 'GB uploaded and downloaded a month' },
  'AWS::MSK::ServerlessCluster': {
    partitions: 'average partitions',
    dataInGb: 'GB in a month',
    dataOutGb: 'GB out a month',
  },
  'AWS::DocDB::DBCluster': {
    storageGb: 'average GB stored',
    ioRequests: 'I/O requests a month (Standard configuration)',
    backupStorageGb: 'backup GB beyond the cluster’s storage',
  },
  'AWS::Redshift::Cluster': { storageGb: 'average GB in RA3 managed storage' },
  'AWS::Cognito::UserPool': { monthlyActiveUsers: 'users who sign in or refresh a token in a month' },
  'AWS::RDS::DBCluster': {
    storageGb: 'average GB stored (Aurora)',
    ioRequests: 'I/O requests a month (Aurora Standard)',
    backupStorageGb: 'backup GB beyond the cluster’s storage',
  },
  'AWS::Config::ConfigurationRecorder': { configurationItems: 'configuration items recorded a month' },
  'AWS::Config::ConfigRule': { evaluations: 'rule evaluations a month' },
  'AWS::KinesisFirehose::DeliveryStream': { dataInGb: 'GB ingested a month' },
  'AWS::OpenSearchService::Domain': { ultraWarmStorageGb: 'average GB in UltraWarm storage' },
  'AWS::Elasticsearch::Domain': { ultraWarmStorageGb: 'average GB in UltraWarm storage' },
};

/** Built-in profiles: rough monthly usage of a small, medium and large web app. */
export const PROFILES: Record<ProfileName, Usage> = {
  small: {
    dataTransferOutGb: 10,
    requestsPerMonth: 300_000,
    defaults: { bedrockInputTokens: 1_000_000, bedrockOutputTokens: 200_000, sesEmails: 1_000 },
    types: {
      'AWS::EC2::NatGateway': { dataProcessedGb: 10 },
      'AWS::EC2::VPCEndpoint': { dataProcessedGb: 5 },
      'AWS::ElasticLoadBalancingV2::LoadBalancer': { lcuPerHour: 0.1 },
      'AWS::ElastiCache::ServerlessCache': { dataStoredGb: 1, ecpuMillions: 100 },
      'AWS::S3::Bucket': { storageGb: 5, getRequests: 100_000, putRequests: 10_000 },
      'AWS::Route53::HostedZone': { queries: 1_000_000 },
      'AWS::Logs::LogGroup': { ingestedGb: 0.5, storedGb: 1 },
      'AWS::SecretsManager::Secret': { apiCalls: 10_000 },
      'AWS::KMS::Key': { requests: 10_000 },
      'AWS::ECR::Repository': { storageGb: 1 },
      'AWS::Lambda::Function': { requests: 100_000, avgDurationMs: 200 },
      'AWS::Serverless::Function': { requests: 100_000, avgDurationMs: 200 },
      'AWS::SQS::Queue': { requests: 1_000_000 },
      'AWS::DynamoDB::Table': { readRequestUnits: 1_000_000, writeRequestUnits: 100_000, storageGb: 1 },
      'AWS::Serverless::SimpleTable': {
        readRequestUnits: 1_000_000,
        writeRequestUnits: 100_000,
        storageGb: 1,
      },
      'AWS::StepFunctions::StateMachine': { stateTransitions: 10_000 },
      'AWS::Serverless::StateMachine': { stateTransitions: 10_000 },
      'AWS::EFS::FileSystem': { storageGb: 5 },
      'AWS::Events::EventBus': { events: 10_000 },
      'AWS::SNS::Topic': { publishes: 1_000, emailNotifications: 100 },
    },
  },
  medium: {
    dataTransferOutGb: 100,
    requestsPerMonth: 3_000_000,
    defaults: { bedrockInputTokens: 10_000_000, bedrockOutputTokens: 2_000_000, sesEmails: 10_000 },
    types: {
      'AWS::EC2::NatGateway': { dataProcessedGb: 100 },
      'AWS::EC2::VPCEndpoint': { dataProcessedGb: 50 },
      'AWS::ElasticLoadBalancingV2::LoadBalancer': { lcuPerHour: 1 },
      'AWS::ElastiCache::ServerlessCache': { dataStoredGb: 5, ecpuMillions: 1_000 },
      'AWS::S3::Bucket': { storageGb: 50, getRequests: 1_000_000, putRequests: 100_000 },
      'AWS::Route53::HostedZone': { queries: 10_000_000 },
      'AWS::Logs::LogGroup': { ingestedGb: 5, storedGb: 10 },
      'AWS::SecretsManager::Secret': { apiCalls: 100_000 },
      'AWS::KMS::Key': { requests: 100_000 },
      'AWS::ECR::Repository': { storageGb: 5 },
      'AWS::Lambda::Function': { requests: 1_000_000, avgDurationMs: 200 },
      'AWS::Serverless::Function': { requests: 1_000_000, avgDurationMs: 200 },
      'AWS::SQS::Queue': { requests: 10_000_000 },
      'AWS::DynamoDB::Table': { readRequestUnits: 10_000_000, writeRequestUnits: 1_000_000, storageGb: 10 },
      'AWS::Serverless::SimpleTable': {
        readRequestUnits: 10_000_000,
        writeRequestUnits: 1_000_000,
        storageGb: 10,
      },
      'AWS::StepFunctions::StateMachine': { stateTransitions: 100_000 },
      'AWS::Serverless::StateMachine': { stateTransitions: 100_000 },
      'AWS::EFS::FileSystem': { storageGb: 50 },
      'AWS::Events::EventBus': { events: 100_000 },
      'AWS::SNS::Topic': { publishes: 10_000, emailNotifications: 1_000 },
    },
  },
  large: {
    dataTransferOutGb: 1_000,
    requestsPerMonth: 30_000_000,
    defaults: { bedrockInputTokens: 100_000_000, bedrockOutputTokens: 20_000_000, sesEmails: 100_000 },
    types: {
      'AWS::EC2::NatGateway': { dataProcessedGb: 1_000 },
      'AWS::EC2::VPCEndpoint': { dataProcessedGb: 500 },
      'AWS::ElasticLoadBalancingV2::LoadBalancer': { lcuPerHour: 5 },
      'AWS::ElastiCache::ServerlessCache': { dataStoredGb: 25, ecpuMillions: 10_000 },
      'AWS::S3::Bucket': { storageGb: 500, getRequests: 10_000_000, putRequests: 1_000_000 },
      'AWS::Route53::HostedZone': { queries: 100_000_000 },
      'AWS::Logs::LogGroup': { ingestedGb: 50, storedGb: 100 },
      'AWS::SecretsManager::Secret': { apiCalls: 1_000_000 },
      'AWS::KMS::Key': { requests: 1_000_000 },
      'AWS::ECR::Repository': { storageGb: 20 },
      'AWS::Lambda::Function': { requests: 10_000_000, avgDurationMs: 200 },
      'AWS::Serverless::Function': { requests: 10_000_000, avgDurationMs: 200 },
      'AWS::SQS::Queue': { requests: 100_000_000 },
      'AWS::DynamoDB::Table': {
        readRequestUnits: 100_000_000,
        writeRequestUnits: 10_000_000,
        storageGb: 100,
      },
      'AWS::Serverless::SimpleTable': {
        readRequestUnits: 100_000_000,
        writeRequestUnits: 10_000_000,
        storageGb: 100,
      },
      'AWS::StepFunctions::StateMachine': { stateTransitions: 1_000_000 },
      'AWS::Serverless::StateMachine': { stateTransitions: 1_000_000 },
      'AWS::EFS::FileSystem': { storageGb: 500 },
      'AWS::Events::EventBus': { events: 1_000_000 },
      'AWS::SNS::Topic': { publishes: 100_000, emailNotifications: 10_000 },
    },
  },
};

function mergeRecords(
  base: Record<string, ResourceUsage> | undefined,
  over: Record<string, ResourceUsage> | undefined,
): Record<string, ResourceUsage> | undefined {
  if (!base) return over;
  if (!over) return base;
  const out: Record<string, ResourceUsage> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = { ...(base[k] ?? {}), ...v };
  return out;
}

/** `over` with whatever it leaves out taken from `base`. */
export function mergeUsage(base: Usage, over: Usage): Usage {
  const out: Usage = { ...base, ...over };
  const types = mergeRecords(base.types, over.types);
  const resources = mergeRecords(base.resources, over.resources);
  if (types) out.types = types;
  if (resources) out.resources = resources;
  if (base.defaults || over.defaults) out.defaults = { ...base.defaults, ...over.defaults };
  if (base.parameters || over.parameters) out.parameters = { ...base.parameters, ...over.parameters };
  if (base.properties || over.properties) out.properties = { ...base.properties, ...over.properties };
  return out;
}

/** The usage with its profile (if any) filled in underneath. */
export function effectiveUsage(u: Usage | undefined): Usage {
  if (!u) return {};
  return u.profile ? mergeUsage(PROFILES[u.profile], u) : u;
}

/** Property values a usage gives for one resource (`Stack/Id` over `Id`), or undefined. */
export function resourceProperties(
  u: Usage,
  stack: string,
  logicalId: string,
): Record<string, unknown> | undefined {
  const byId = u.properties?.[logicalId];
  const byStack = u.properties?.[`${stack}/${logicalId}`];
  return byId || byStack ? { ...byId, ...byStack } : undefined;
}

/** The values for one resource: resource-level (by `Stack/Id` or `Id`) over type-level. */
export function resourceUsage(u: Usage, stack: string, logicalId: string, type: string): ResourceUsage {
  return {
    ...(u.types?.[type] ?? {}),
    ...(u.resources?.[logicalId] ?? {}),
    ...(u.resources?.[`${stack}/${logicalId}`] ?? {}),
  };
}
