/**
 * The registry: every priced CloudFormation type with its pricer, and every type that is free by
 * itself with the reason. Leaving a type unpriced is a decision made here; any other type is
 * reported "not priced: TYPE".
 */
import { apiGatewayRestApi } from './apigateway-rest-api.js';
import { apiGatewayDeployment, apiGatewayStage } from './apigateway-stage.js';
import { apiGatewayV2Api } from './apigatewayv2-api.js';
import { autoScalingGroup } from './autoscaling-group.js';
import { backupPlan, backupVault } from './backup.js';
import { cloudFormationStack } from './cloudformation-stack.js';
import { cloudFrontDistribution } from './cloudfront-distribution.js';
import { cloudFrontFunction } from './cloudfront-function.js';
import { cloudWatchAlarm } from './cloudwatch-alarm.js';
import { cloudWatchDashboard } from './cloudwatch-dashboard.js';
import { cognitoUserPool } from './cognito-user-pool.js';
import type { Pricer } from './common.js';
import { configRecorder, configRule } from './config.js';
import { docDbCluster, docDbInstance } from './docdb.js';
import { dynamoDbTable } from './dynamodb-table.js';
import { ec2Eip } from './ec2-eip.js';
import { ec2Instance } from './ec2-instance.js';
import { ec2NatGateway } from './ec2-nat-gateway.js';
import { ec2Volume } from './ec2-volume.js';
import { ec2VpcEndpoint } from './ec2-vpc-endpoint.js';
import { ecrRepository } from './ecr-repository.js';
import { ecsService } from './ecs-service.js';
import { efsFileSystem } from './efs-file-system.js';
import { eksAddon } from './eks-addon.js';
import { eksCluster } from './eks-cluster.js';
import { eksKubernetesResource } from './eks-kubernetes-resource.js';
import { eksNodegroup } from './eks-nodegroup.js';
import { elastiCacheCacheCluster } from './elasticache-cache-cluster.js';
import { elastiCacheReplicationGroup } from './elasticache-replication-group.js';
import { elastiCacheServerlessCache } from './elasticache-serverless-cache.js';
import { elbClassicLoadBalancer } from './elb-classic-load-balancer.js';
import { elbv2LoadBalancer } from './elbv2-load-balancer.js';
import { eventsEventBus, eventsRule } from './events-rule.js';
import { firehoseDeliveryStream } from './firehose-delivery-stream.js';
import { kinesisStream } from './kinesis-stream.js';
import { kmsKey } from './kms-key.js';
import { lambdaFunction } from './lambda-function.js';
import { logsLogGroup } from './logs-log-group.js';
import { mskCluster, mskServerlessCluster } from './msk-cluster.js';
import { openSearchDomain } from './opensearch-domain.js';
import { rdsDbCluster } from './rds-db-cluster.js';
import { rdsDbInstance } from './rds-db-instance.js';
import { redshiftCluster } from './redshift-cluster.js';
import { route53HealthCheck } from './route53-health-check.js';
import { route53HostedZone } from './route53-hosted-zone.js';
import { s3Bucket } from './s3-bucket.js';
import { samFunction } from './sam-function.js';
import { secretsManagerSecret } from './secretsmanager-secret.js';
import { serviceDiscoveryPrivateDnsNamespace, serviceDiscoveryService } from './servicediscovery.js';
import { snsTopic } from './sns-topic.js';
import { sqsQueue } from './sqs-queue.js';
import { ssmParameter } from './ssm-parameter.js';
import { stepFunctionsStateMachine } from './stepfunctions-state-machine.js';
import { transferServer } from './transfer-server.js';
import { wafv2WebAcl } from './wafv2-web-acl.js';

export type { Pricer, PricerContext } from './common.js';

export const PRICERS: Record<string, Pricer> = {
  'AWS::ApiGateway::Deployment': apiGatewayDeployment,
  'AWS::ApiGateway::RestApi': apiGatewayRestApi,
  'AWS::ApiGateway::Stage': apiGatewayStage,
  'AWS::ApiGatewayV2::Api': apiGatewayV2Api,
  'AWS::AutoScaling::AutoScalingGroup': autoScalingGroup,
  'AWS::Backup::BackupPlan': backupPlan,
  'AWS::Backup::BackupVault': backupVault,
  'AWS::CloudFormation::Stack': cloudFormationStack,
  'AWS::CloudFront::Distribution': cloudFrontDistribution,
  'AWS::CloudFront::Function': cloudFrontFunction,
  'AWS::CloudWatch::Alarm': cloudWatchAlarm,
  'AWS::CloudWatch::Dashboard': cloudWatchDashboard,
  'AWS::Cognito::UserPool': cognitoUserPool,
  'AWS::Config::ConfigRule': configRule,
  'AWS::Config::ConfigurationRecorder': configRecorder,
  'AWS::DocDB::DBCluster': docDbCluster,
  'AWS::DocDB::DBInstance': docDbInstance,
  'AWS::DynamoDB::Table': dynamoDbTable,
  'AWS::EC2::EIP': ec2Eip,
  'AWS::EC2::Instance': ec2Instance,
  'AWS::EC2::NatGateway': ec2NatGateway,
  'AWS::EC2::Volume': ec2Volume,
  'AWS::EC2::VPCEndpoint': ec2VpcEndpoint,
  'AWS::ECR::Repository': ecrRepository,
  'AWS::ECS::Service': ecsService,
  'AWS::EFS::FileSystem': efsFileSystem,
  'AWS::EKS::Addon': eksAddon,
  'AWS::EKS::Cluster': eksCluster,
  'Custom::AWSCDK-EKS-KubernetesResource': eksKubernetesResource,
  'AWS::EKS::Nodegroup': eksNodegroup,
  'AWS::ElastiCache::CacheCluster': elastiCacheCacheCluster,
  'AWS::ElastiCache::ReplicationGroup': elastiCacheReplicationGroup,
  'AWS::ElastiCache::ServerlessCache': elastiCacheServerlessCache,
  'AWS::ElasticLoadBalancing::LoadBalancer': elbClassicLoadBalancer,
  'AWS::ElasticLoadBalancingV2::LoadBalancer': elbv2LoadBalancer,
  'AWS::Elasticsearch::Domain': openSearchDomain,
  'AWS::Events::EventBus': eventsEventBus,
  'AWS::Events::Rule': eventsRule,
  'AWS::Kinesis::Stream': kinesisStream,
  'AWS::KinesisFirehose::DeliveryStream': firehoseDeliveryStream,
  'AWS::KMS::Key': kmsKey,
  'AWS::Lambda::Function': lambdaFunction,
  'AWS::Logs::LogGroup': logsLogGroup,
  'AWS::MSK::Cluster': mskCluster,
  'AWS::MSK::ServerlessCluster': mskServerlessCluster,
  'AWS::OpenSearchService::Domain': openSearchDomain,
  'AWS::RDS::DBCluster': rdsDbCluster,
  'AWS::RDS::DBInstance': rdsDbInstance,
  'AWS::Redshift::Cluster': redshiftCluster,
  'AWS::Route53::HealthCheck': route53HealthCheck,
  'AWS::Route53::HostedZone': route53HostedZone,
  'AWS::S3::Bucket': s3Bucket,
  'AWS::SecretsManager::Secret': secretsManagerSecret,
  'AWS::Serverless::Api': apiGatewayRestApi,
  'AWS::Serverless::Function': samFunction,
  'AWS::Serverless::HttpApi': apiGatewayV2Api,
  'AWS::Serverless::SimpleTable': dynamoDbTable,
  'AWS::Serverless::StateMachine': stepFunctionsStateMachine,
  'AWS::ServiceDiscovery::PrivateDnsNamespace': serviceDiscoveryPrivateDnsNamespace,
  'AWS::ServiceDiscovery::Service': serviceDiscoveryService,
  'AWS::SNS::Topic': snsTopic,
  'AWS::SQS::Queue': sqsQueue,
  'AWS::SSM::Parameter': ssmParameter,
  'AWS::StepFunctions::StateMachine': stepFunctionsStateMachine,
  'AWS::Transfer::Server': transferServer,
  'AWS::WAFv2::WebACL': wafv2WebAcl,
};

const CONFIG = 'configuration only, no charge';
const API_CONFIG = 'API Gateway configuration, no charge (requests are priced on the API)';
const PRICED_WHERE_USED = 'priced through the resources that use it';

/** Types that cost nothing by themselves, with why. */
export const FREE_TYPES: Record<string, string> = {
  'AWS::ApiGateway::Account': API_CONFIG,
  'AWS::ApiGateway::ApiKey': API_CONFIG,
  'AWS::ApiGateway::Authorizer': `${API_CONFIG}; a Lambda authorizer's invocations are priced on its function`,
  'AWS::ApiGateway::BasePathMapping': API_CONFIG,
  'AWS::ApiGateway::BasePathMappingV2': API_CONFIG,
  'AWS::ApiGateway::ClientCertificate': API_CONFIG,
  'AWS::ApiGateway::DocumentationPart': API_CONFIG,
  'AWS::ApiGateway::DocumentationVersion': API_CONFIG,
  'AWS::ApiGateway::DomainName': `${API_CONFIG}; its certificate is priced on ACM`,
  'AWS::ApiGateway::DomainNameV2': API_CONFIG,
  'AWS::ApiGateway::GatewayResponse': API_CONFIG,
  'AWS::ApiGateway::Method': API_CONFIG,
  'AWS::ApiGateway::Model': API_CONFIG,
  'AWS::ApiGateway::RequestValidator': API_CONFIG,
  'AWS::ApiGateway::Resource': API_CONFIG,
  'AWS::ApiGateway::UsagePlan': API_CONFIG,
  'AWS::ApiGateway::UsagePlanKey': API_CONFIG,
  'AWS::ApiGateway::VpcLink': `${API_CONFIG}; the network load balancer it uses is priced on its own`,
  'AWS::ApiGatewayV2::ApiGatewayManagedOverrides': API_CONFIG,
  'AWS::ApiGatewayV2::ApiMapping': API_CONFIG,
  'AWS::ApiGatewayV2::Authorizer': `${API_CONFIG}; a Lambda authorizer's invocations are priced on its function`,
  'AWS::ApiGatewayV2::Deployment': API_CONFIG,
  'AWS::ApiGatewayV2::DomainName': API_CONFIG,
  'AWS::ApiGatewayV2::Integration': API_CONFIG,
  'AWS::ApiGatewayV2::IntegrationResponse': API_CONFIG,
  'AWS::ApiGatewayV2::Model': API_CONFIG,
  'AWS::ApiGatewayV2::Route': API_CONFIG,
  'AWS::ApiGatewayV2::RouteResponse': API_CONFIG,
  'AWS::ApiGatewayV2::Stage': API_CONFIG,
  'AWS::ApiGatewayV2::VpcLink': API_CONFIG,
  'AWS::Backup::BackupSelection': 'the plan’s backups are priced as storage in their vault',
  'AWS::Cognito::IdentityPool':
    'identity pools are free; the AWS credentials they hand out are priced where used',
  'AWS::Cognito::IdentityPoolRoleAttachment': CONFIG,
  'AWS::Cognito::UserPoolClient': 'app clients are free; users are priced on the user pool',
  'AWS::Cognito::UserPoolDomain': 'free; users are priced on the user pool',
  'AWS::Cognito::UserPoolGroup': CONFIG,
  'AWS::Cognito::UserPoolResourceServer': CONFIG,
  'AWS::Cognito::UserPoolUser': 'users are priced on the user pool as monthly active users',
  'AWS::Config::DeliveryChannel': 'free; the snapshots it delivers are priced as S3 storage',
  'AWS::DocDB::DBClusterParameterGroup': CONFIG,
  'AWS::DocDB::DBSubnetGroup': CONFIG,
  'AWS::DynamoDB::ResourcePolicy': CONFIG,
  'AWS::EFS::AccessPoint': CONFIG,
  'AWS::EFS::MountTarget': 'free; storage and throughput are priced on the file system',
  'AWS::Events::Archive': 'events archived are billed per GB (not priced)',
  'AWS::Events::EventBusPolicy': CONFIG,
  'AWS::Events::Connection': CONFIG,
  'AWS::Events::ApiDestination': 'invocations are priced on the rules that target it',
  'AWS::Kinesis::StreamConsumer': 'enhanced fan-out is billed per consumer-shard-hour and GB (not priced)',
  'AWS::MSK::Configuration': CONFIG,
  'AWS::Redshift::ClusterParameterGroup': CONFIG,
  'AWS::Redshift::ClusterSubnetGroup': CONFIG,
  'AWS::Serverless::Connector': 'SAM connector: IAM permissions only, no charge',
  'AWS::Serverless::LayerVersion': 'layer storage counts toward the free code storage',
  'AWS::SQS::QueueInlinePolicy': CONFIG,
  'AWS::Transfer::User': 'users are free; the server is priced on its own',
  'AWS::ApplicationAutoScaling::ScalableTarget': CONFIG,
  'AWS::ApplicationAutoScaling::ScalingPolicy': CONFIG,
  'AWS::AutoScaling::LaunchConfiguration': `${PRICED_WHERE_USED} (Auto Scaling groups)`,
  'AWS::AutoScaling::LifecycleHook': CONFIG,
  'AWS::AutoScaling::ScalingPolicy': CONFIG,
  'AWS::AutoScaling::ScheduledAction': CONFIG,
  'AWS::CDK::Metadata': 'CDK bookkeeping, no AWS resource',
  'AWS::CertificateManager::Certificate': 'public ACM certificates are free',
  'AWS::CloudFormation::CustomResource': 'backed by a Lambda function priced on its own',
  'AWS::CloudFormation::WaitCondition': CONFIG,
  'AWS::CloudFormation::WaitConditionHandle': CONFIG,
  'AWS::CloudFront::CachePolicy': CONFIG,
  'AWS::CloudFront::CloudFrontOriginAccessIdentity': CONFIG,
  'AWS::CloudFront::OriginAccessControl': CONFIG,
  'AWS::CloudFront::OriginRequestPolicy': CONFIG,
  'AWS::CloudFront::ResponseHeadersPolicy': CONFIG,
  'AWS::EC2::DHCPOptions': CONFIG,
  'AWS::EC2::EgressOnlyInternetGateway': CONFIG,
  'AWS::EC2::EIPAssociation': 'the address is priced on its EIP',
  'AWS::EC2::FlowLog': 'the logs it writes are priced on their log group or bucket',
  'AWS::EC2::InternetGateway': 'free; data out is priced as data transfer',
  'AWS::EC2::KeyPair': CONFIG,
  'AWS::EC2::LaunchTemplate': `${PRICED_WHERE_USED} (instances, Auto Scaling groups, node groups)`,
  'AWS::EC2::NetworkAcl': CONFIG,
  'AWS::EC2::NetworkAclEntry': CONFIG,
  'AWS::EC2::NetworkInterface': 'free; a public IPv4 on it is priced with its instance',
  'AWS::EC2::NetworkInterfaceAttachment': CONFIG,
  'AWS::EC2::PlacementGroup': CONFIG,
  'AWS::EC2::PrefixList': CONFIG,
  'AWS::EC2::Route': CONFIG,
  'AWS::EC2::RouteTable': CONFIG,
  'AWS::EC2::SecurityGroup': CONFIG,
  'AWS::EC2::SecurityGroupEgress': CONFIG,
  'AWS::EC2::SecurityGroupIngress': CONFIG,
  'AWS::EC2::Subnet': CONFIG,
  'AWS::EC2::SubnetNetworkAclAssociation': CONFIG,
  'AWS::EC2::SubnetRouteTableAssociation': CONFIG,
  'AWS::EC2::VolumeAttachment': 'the volume is priced on itself',
  'AWS::EC2::VPC': 'VPCs are free',
  'AWS::EC2::VPCDHCPOptionsAssociation': CONFIG,
  'AWS::EC2::VPCGatewayAttachment': CONFIG,
  'AWS::ECR::RegistryPolicy': CONFIG,
  'AWS::ECS::CapacityProvider': `${PRICED_WHERE_USED} (its Auto Scaling group)`,
  'AWS::ECS::Cluster': 'free; its capacity is priced on services and Auto Scaling groups',
  'AWS::ECS::ClusterCapacityProviderAssociations': CONFIG,
  'AWS::ECS::TaskDefinition': `${PRICED_WHERE_USED} (ECS services)`,
  'AWS::EKS::AccessEntry': CONFIG,
  'AWS::EKS::PodIdentityAssociation': CONFIG,
  'AWS::ElastiCache::ParameterGroup': CONFIG,
  'AWS::ElastiCache::SubnetGroup': CONFIG,
  'AWS::ElastiCache::User': CONFIG,
  'AWS::ElastiCache::UserGroup': CONFIG,
  'AWS::ElasticLoadBalancingV2::Listener': 'included in the load balancer’s hours and LCUs',
  'AWS::ElasticLoadBalancingV2::ListenerCertificate': CONFIG,
  'AWS::ElasticLoadBalancingV2::ListenerRule': 'included in the load balancer’s LCUs',
  'AWS::ElasticLoadBalancingV2::TargetGroup': CONFIG,
  'AWS::IAM::AccessKey': 'IAM is free',
  'AWS::IAM::Group': 'IAM is free',
  'AWS::IAM::InstanceProfile': 'IAM is free',
  'AWS::IAM::ManagedPolicy': 'IAM is free',
  'AWS::IAM::OIDCProvider': 'IAM is free',
  'AWS::IAM::Policy': 'IAM is free',
  'AWS::IAM::Role': 'IAM is free',
  'AWS::IAM::RolePolicy': 'IAM is free',
  'AWS::IAM::ServiceLinkedRole': 'IAM is free',
  'AWS::IAM::User': 'IAM is free',
  'AWS::IAM::UserToGroupAddition': 'IAM is free',
  'AWS::KMS::Alias': 'aliases are free',
  'AWS::Lambda::EventInvokeConfig': CONFIG,
  'AWS::Lambda::EventSourceMapping': 'invocations are priced on the function',
  'AWS::Lambda::LayerVersion': 'layer storage counts toward the free code storage',
  'AWS::Lambda::Permission': CONFIG,
  'AWS::Lambda::Url': 'invocations are priced on the function',
  'AWS::Lambda::Version': CONFIG,
  'AWS::Lambda::Alias': CONFIG,
  'AWS::Logs::LogStream': 'streams are free; logs are priced on their log group',
  'AWS::Logs::MetricFilter': 'free; its custom metrics are not priced',
  'AWS::Logs::ResourcePolicy': CONFIG,
  'AWS::Logs::SubscriptionFilter': CONFIG,
  'AWS::OpenSearchService::DomainPolicy': CONFIG,
  'AWS::RDS::DBClusterParameterGroup': CONFIG,
  'AWS::RDS::DBParameterGroup': CONFIG,
  'AWS::RDS::DBSubnetGroup': CONFIG,
  'AWS::RDS::OptionGroup': CONFIG,
  'AWS::Route53::RecordSet': 'records are free; queries are priced on the hosted zone',
  'AWS::Route53::RecordSetGroup': 'records are free; queries are priced on the hosted zone',
  'AWS::S3::BucketPolicy': CONFIG,
  'AWS::SecretsManager::ResourcePolicy': CONFIG,
  'AWS::SecretsManager::RotationSchedule': 'rotation runs a Lambda function priced on its own',
  'AWS::SecretsManager::SecretTargetAttachment': CONFIG,
  'AWS::SNS::Subscription': 'deliveries are priced on the topic',
  'AWS::SNS::TopicPolicy': CONFIG,
  'AWS::SQS::QueuePolicy': CONFIG,
  'AWS::SSM::Association': CONFIG,
  'AWS::SSM::Document': CONFIG,
  'AWS::WAFv2::IPSet': CONFIG,
  'AWS::WAFv2::RegexPatternSet': CONFIG,
  'AWS::WAFv2::WebACLAssociation': CONFIG,
};

/** Why a type costs nothing by itself, or undefined. Custom resources run on Lambda functions priced on their own. */
export function freeReason(type: string): string | undefined {
  if (type.startsWith('Custom::') && !PRICERS[type]) return FREE_TYPES['AWS::CloudFormation::CustomResource'];
  return FREE_TYPES[type];
}
