/**
 * The EKS cluster of the eks tier: aws-eks-v2's native AWS::EKS::Cluster on the planned Kubernetes
 * version with authentication mode API (access entries only: the kubectl handler and a named admin
 * role, no standing admin for whoever created it), secrets envelope-encrypted with a KMS key, control
 * plane logs, an endpoint that is private or public to one CIDR, and the compute the plan chose: a
 * managed node group (AL2023, private subnets, IMDSv2 with hop limit 1, a node role with three
 * managed policies) or EKS Auto Mode. Then the add-ons, and the AWS Load Balancer Controller with
 * its Pod Identity role on a node group.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import {
  Duration,
  aws_ec2 as ec2,
  aws_eks_v2 as eks,
  aws_eks as eksL1,
  aws_iam as iam,
  aws_kms as kms,
  aws_logs as logs,
  RemovalPolicy,
  Stack,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { AppNetwork } from '../../constructs/network.js';
import { detailedMonitoringMonthly, kmsKeyMonthly } from '../../constructs/quotes.js';
import { acknowledge } from '../../nag.js';
import type { EksPlan } from '../plan/types.js';

export interface EksClusterProps {
  readonly plan: EksPlan;
  readonly network: AppNetwork;
}

/** A role pods assume through EKS Pod Identity. */
export function podIdentityRole(scope: Construct, id: string, description: string): iam.Role {
  return new iam.Role(scope, id, {
    description,
    assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com').withSessionTags(),
    maxSessionDuration: Duration.hours(1),
  });
}

/** The AWS Load Balancer Controller's published IAM policy, as aws-cdk-lib vendors it per release. */
export function loadBalancerControllerPolicy(appVersion: string): {
  Statement: Array<Record<string, unknown>>;
} {
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('aws-cdk-lib/aws-eks-v2')), 'lib', 'addons');
  return JSON.parse(readFileSync(path.join(dir, `alb-iam_policy-${appVersion}.json`), 'utf8'));
}

export class EksCluster extends Construct {
  public readonly cluster: eks.Cluster;
  public readonly nodegroup?: eks.Nodegroup;
  public readonly nodeRole?: iam.Role;
  public readonly adminRole: iam.Role;
  public readonly addons = new Map<string, eks.Addon>();
  /** The load balancer controller's Helm release (node group clusters). */
  public readonly loadBalancerController?: eks.HelmChart;
  public readonly secretsKey: kms.Key;
  public readonly controlPlaneLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const { plan, network } = props;
    const stack = Stack.of(this);
    const auto = plan.compute.mode === 'auto-mode';

    this.secretsKey = new kms.Key(this, 'SecretsKey', {
      description: `${plan.clusterName}: envelope encryption of Kubernetes Secrets`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Grants on the key only for AWS services acting for an AWS resource (EKS encrypting Secrets):
    // no principal can hand out use of the key by grant (Control Tower CT.KMS.PR.3).
    this.secretsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyGrantsExceptForAwsResources',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: {
          BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
    // The control plane writes its logs here; created first so they have a retention.
    this.controlPlaneLogs = new logs.LogGroup(this, 'ControlPlaneLogs', {
      logGroupName: `/aws/eks/${plan.clusterName}/cluster`,
      retention: plan.logs.retentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.controlPlaneLogs,
      'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
      `EKS control plane logs (API, audit, authenticator); CloudWatch encrypts them at rest, a KMS key would add ${kmsKeyMonthly(this)} and a key policy for the EKS service`,
    );

    const endpoint = plan.endpoint.public
      ? eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...plan.endpoint.publicCidrs)
      : eks.EndpointAccess.PRIVATE;
    this.cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: plan.clusterName,
      version: eks.KubernetesVersion.of(plan.kubernetes.version),
      vpc: network.vpc,
      vpcSubnets: [network.privateSubnets],
      endpointAccess: endpoint,
      defaultCapacityType: auto ? eks.DefaultCapacityType.AUTOMODE : eks.DefaultCapacityType.NODEGROUP,
      ...(!auto && { defaultCapacity: 0 }),
      ...(auto && { compute: { nodePools: plan.compute.autoMode!.nodePools } }),
      bootstrapClusterCreatorAdminPermissions: false,
      secretsEncryptionKey: this.secretsKey,
      clusterLogging: [
        eks.ClusterLoggingTypes.API,
        eks.ClusterLoggingTypes.AUDIT,
        eks.ClusterLoggingTypes.AUTHENTICATOR,
      ],
      kubectlProviderOptions: {
        kubectlLayer: new KubectlV36Layer(this, 'KubectlLayer'),
        privateSubnets: network.vpc.selectSubnets(network.privateSubnets).subnets,
      },
      tags: { 'stackplan:app': plan.app },
    });
    this.cluster.node.addDependency(this.controlPlaneLogs);
    const cfnCluster = this.cluster.node.defaultChild as eksL1.CfnCluster;
    cfnCluster.upgradePolicy = { supportType: plan.kubernetes.upgradePolicy };
    if (plan.endpoint.publicCidrs.length)
      acknowledge(
        cfnCluster,
        'CT.EKS.PR.1',
        `the manifest's adminCidr (${plan.endpoint.publicCidrs.join(', ')}) opens the Kubernetes API endpoint to that range only, so kubectl works from outside the VPC; every request still needs IAM authentication and an access entry. Without adminCidr the endpoint is private`,
      );
    acknowledge(
      cfnCluster,
      'CloudFormation-Validate::W9009',
      'aws-eks-v2 writes EncryptionConfig.Resources: [secrets], which the CloudFormation schema now marks deprecated; the EKS API still accepts it and Kubernetes Secrets are what the KMS key encrypts',
    );

    // Administrators assume this role for kubectl; nobody else has standing cluster access.
    this.adminRole = new iam.Role(this, 'AdminRole', {
      roleName: plan.adminRoleName,
      description: `kubectl access to ${plan.clusterName} (cluster admin access entry); assume it with MFA`,
      assumedBy: new iam.AccountRootPrincipal().withConditions({
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      }),
      maxSessionDuration: Duration.hours(1),
    });
    this.cluster.grantAccess('AdminAccess', this.adminRole.roleArn, [
      eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', {
        accessScopeType: eks.AccessScopeType.CLUSTER,
      }),
    ]);

    // --- Compute ----------------------------------------------------------------------------------
    const ng = plan.compute.nodeGroup;
    if (ng) {
      this.nodeRole = new iam.Role(this, 'NodeRole', {
        description: `${plan.clusterName} nodes: join the cluster, pull images, pod networking`,
        assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
        managedPolicies: ng.managedPolicies.map((p) => iam.ManagedPolicy.fromAwsManagedPolicyName(p.name)),
      });
      for (const p of ng.managedPolicies) {
        acknowledge(
          this.nodeRole,
          `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${p.name}]`,
          `AWS-maintained minimum for EKS nodes: ${p.why}`,
        );
      }
      const launchTemplate = new ec2.LaunchTemplate(this, 'NodeLaunchTemplate', {
        requireImdsv2: true,
        httpPutResponseHopLimit: ng.metadataHopLimit,
        httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
        blockDevices: [
          {
            deviceName: '/dev/xvda',
            volume: ec2.BlockDeviceVolume.ebs(ng.diskGb, {
              volumeType: ec2.EbsDeviceVolumeType.GP3,
              encrypted: true,
              deleteOnTermination: true,
            }),
          },
        ],
      });
      acknowledge(
        launchTemplate,
        'CT.EC2.PR.10',
        `the nodes are watched through Container Insights (the CloudWatch agent add-on, per pod and per node) and 5-minute basic EC2 metrics; 1-minute detailed monitoring would add ${detailedMonitoringMonthly(this)} per node`,
      );
      this.nodegroup = this.cluster.addNodegroupCapacity('Nodes', {
        nodegroupName: ng.name,
        amiType: ng.amiType as eks.NodegroupAmiType,
        instanceTypes: [new ec2.InstanceType(ng.instanceType)],
        capacityType: eks.CapacityType.ON_DEMAND,
        minSize: ng.minSize,
        maxSize: ng.maxSize,
        desiredSize: ng.desiredSize,
        subnets: network.privateSubnets,
        nodeRole: this.nodeRole,
        launchTemplateSpec: {
          id: launchTemplate.launchTemplateId!,
          version: launchTemplate.latestVersionNumber,
        },
        maxUnavailable: 1,
        enableNodeAutoRepair: true,
        labels: { 'stackplan/app': plan.app },
      });
    }

    // --- Add-ons ----------------------------------------------------------------------------------
    for (const a of plan.addons) {
      const addon = new eks.Addon(this, `Addon-${a.name}`, {
        cluster: this.cluster,
        addonName: a.name,
        ...(a.configuration && { configurationValues: a.configuration }),
        preserveOnDelete: false,
      });
      // Everything but the networking add-ons runs pods, which need nodes to schedule on.
      if (this.nodegroup && !['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent'].includes(a.name)) {
        addon.node.addDependency(this.nodegroup);
      }
      if (a.podIdentity) {
        const role = podIdentityRole(
          this,
          `AddonRole-${a.name}`,
          `${a.name} add-on (${a.podIdentity.serviceAccount})`,
        );
        for (const p of a.podIdentity.managedPolicies) {
          role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName(p));
          acknowledge(
            role,
            `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${p}]`,
            `the ${a.name} add-on's documented policy: the CloudWatch agent puts Container Insights metrics and Fluent Bit writes container logs`,
          );
        }
        (addon.node.defaultChild as eksL1.CfnAddon).podIdentityAssociations = [
          { roleArn: role.roleArn, serviceAccount: a.podIdentity.serviceAccount },
        ];
      }
      this.addons.set(a.name, addon);
    }
    const podIdentityAgent = this.addons.get('eks-pod-identity-agent');
    if (podIdentityAgent) {
      for (const [name, addon] of this.addons) {
        if (name !== 'eks-pod-identity-agent' && name !== 'vpc-cni' && name !== 'kube-proxy')
          addon.node.addDependency(podIdentityAgent);
      }
    }

    // --- The AWS Load Balancer Controller (node groups; Auto Mode has its own) ----------------------
    const ing = plan.ingress;
    if (ing?.chart) {
      const role = podIdentityRole(
        this,
        'LoadBalancerControllerRole',
        'AWS Load Balancer Controller (kube-system)',
      );
      const doc = loadBalancerControllerPolicy(ing.chart.appVersion);
      const policy = new iam.ManagedPolicy(this, 'LoadBalancerControllerPolicy', {
        description: `AWS Load Balancer Controller ${ing.chart.appVersion}: its published IAM policy`,
        roles: [role],
        document: iam.PolicyDocument.fromJson({
          Version: '2012-10-17',
          Statement: doc.Statement.map((s) => ({
            ...s,
            Resource: Array.isArray(s.Resource)
              ? (s.Resource as string[]).map((r) => r.replace('arn:aws:', `arn:${stack.partition}:`))
              : typeof s.Resource === 'string'
                ? s.Resource.replace('arn:aws:', `arn:${stack.partition}:`)
                : s.Resource,
          })),
        }),
      });
      const wildcards = new Set<string>();
      for (const s of doc.Statement) {
        const rs = Array.isArray(s.Resource) ? (s.Resource as string[]) : [s.Resource as string];
        for (const r of rs) if (typeof r === 'string' && r.includes('*')) wildcards.add(r);
      }
      for (const r of [...wildcards].sort()) {
        acknowledge(
          policy,
          `AwsSolutions-IAM5[Resource::${r.replace('arn:aws:', `arn:${stack.partition === 'aws' ? 'aws' : '<AWS::Partition>'}:`)}]`,
          `the AWS Load Balancer Controller's published policy (${ing.chart.appVersion}): describe calls have no resource-level permissions, and creates, modifications and deletions of load balancers, target groups, listeners and security groups are conditioned on the elbv2.k8s.aws/cluster tag the controller puts on what it creates`,
        );
      }
      const association = new eksL1.CfnPodIdentityAssociation(this, 'LoadBalancerControllerIdentity', {
        clusterName: this.cluster.clusterName,
        namespace: 'kube-system',
        serviceAccount: 'aws-load-balancer-controller',
        roleArn: role.roleArn,
      });
      this.loadBalancerController = this.cluster.addHelmChart('LoadBalancerController', {
        repository: ing.chart.repository,
        chart: ing.chart.chart,
        version: ing.chart.version,
        release: 'aws-load-balancer-controller',
        namespace: 'kube-system',
        wait: true,
        timeout: Duration.minutes(10),
        values: {
          clusterName: plan.clusterName,
          region: plan.region,
          vpcId: network.vpc.vpcId,
          replicaCount: 2,
          serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
          // The stack defines the IngressClass with its parameters (certificate, TLS policy, logs).
          createIngressClassResource: false,
          enableServiceMutatorWebhook: false,
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        },
      });
      this.loadBalancerController.node.addDependency(association);
      if (this.nodegroup) this.loadBalancerController.node.addDependency(this.nodegroup);
      if (podIdentityAgent) this.loadBalancerController.node.addDependency(podIdentityAgent);
    }
  }
}
