/**
 * The network a managed tier runs in: a VPC over two or three AZs with public subnets (load
 * balancer, NAT), private subnets (tasks, pods) and isolated subnets (databases, caches, search),
 * egress through NAT gateways, NAT instances or interface endpoints only, an S3 gateway endpoint
 * always, and flow logs to the log bucket.
 */
import {
  aws_cloudwatch as cw,
  aws_cloudwatch_actions as cwActions,
  Duration,
  aws_ec2 as ec2,
  Fn,
  aws_iam as iam,
  type aws_s3 as s3,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeAll, acknowledgeDefaultSgProvider } from '../nag.js';
import { detailedMonitoringMonthly } from './quotes.js';

export type Egress = 'nat-gateway' | 'nat-instance' | 'endpoints';

/** Interface endpoint service names this construct knows (`com.amazonaws.<region>.<name>`). */
export const INTERFACE_ENDPOINTS: Record<string, ec2.InterfaceVpcEndpointAwsService> = {
  'ecr.api': ec2.InterfaceVpcEndpointAwsService.ECR,
  'ecr.dkr': ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  secretsmanager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  ssm: ec2.InterfaceVpcEndpointAwsService.SSM,
  'bedrock-runtime': ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME,
};

/** Amazon Linux 2023 for arm64, resolved at launch so a new AMI never replaces a running NAT instance. */
export const AL2023_ARM64_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64';

/** Turns an instance into a NAT: forwarding on, masquerade out of the primary interface (persisted). */
export const NAT_USER_DATA = [
  'set -euo pipefail',
  'dnf install -y iptables-services',
  'echo "net.ipv4.ip_forward=1" > /etc/sysctl.d/90-nat.conf',
  'sysctl -p /etc/sysctl.d/90-nat.conf',
  "iface=$(ip route show default | awk '{print $5; exit}')",
  'iptables -t nat -A POSTROUTING -o "$iface" -j MASQUERADE',
  'iptables -F FORWARD',
  'service iptables save',
  'systemctl enable --now iptables',
];

export interface NatInstancesProps {
  /** Instance type of each NAT instance (Graviton). @default t4g.nano */
  readonly instanceType?: string;
  /** The VPC's CIDR, as written (the VPC's own attribute is a token the policy packs cannot read). */
  readonly vpcCidr: string;
}

/**
 * NAT instances in the fck-nat style: a Graviton nano instance per public subnet running Amazon
 * Linux 2023 with IP forwarding and iptables masquerade, source/destination check off, IMDSv2
 * only, an encrypted gp3 root volume, SSM for patching, and alarms that recover or reboot it.
 */
export class NatInstances extends ec2.NatProvider {
  public readonly instances: ec2.Instance[] = [];
  private readonly byAz = new Map<string, ec2.Instance>();
  private readonly instanceType: string;
  private readonly vpcCidr: string;

  constructor(props: NatInstancesProps) {
    super();
    this.instanceType = props.instanceType ?? 't4g.nano';
    this.vpcCidr = props.vpcCidr;
  }

  public get configuredGateways(): ec2.GatewayConfig[] {
    return [...this.byAz].map(([az, i]) => ({ az, gatewayId: i.instanceId }));
  }

  public configureNat(options: ec2.ConfigureNatOptions): void {
    const vpc = options.vpc;
    const sg = new ec2.SecurityGroup(vpc, 'NatSecurityGroup', {
      vpc,
      description: 'NAT instances: any traffic from inside the VPC, out to the internet',
      allowAllOutbound: true,
    });
    sg.addIngressRule(ec2.Peer.ipv4(this.vpcCidr), ec2.Port.allTraffic(), 'traffic the VPC sends out');
    acknowledge(
      sg,
      'NIST.800.53.R5-EC2RestrictedCommonPorts',
      `every port is open to the VPC's own range (${this.vpcCidr}) only: a NAT instance forwards whatever its private subnets send out, on any port; nothing outside the VPC can reach it`,
    );
    for (const subnet of options.natSubnets) {
      const role = new iam.Role(subnet, 'NatRole', {
        assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
        description: 'NAT instance: Session Manager and Patch Manager only',
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
      });
      acknowledge(
        role,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
        'AWS-maintained minimum for Session Manager and Patch Manager, which keep the NAT instance patched without SSH',
      );
      const userData = ec2.UserData.forLinux();
      userData.addCommands(...NAT_USER_DATA);
      const instance = new ec2.Instance(subnet, 'NatInstance', {
        vpc,
        vpcSubnets: { subnets: [subnet] },
        instanceType: new ec2.InstanceType(this.instanceType),
        machineImage: ec2.MachineImage.resolveSsmParameterAtLaunch(AL2023_ARM64_PARAMETER, {
          os: ec2.OperatingSystemType.LINUX,
        }),
        sourceDestCheck: false,
        associatePublicIpAddress: true,
        securityGroup: sg,
        role,
        userData,
        userDataCausesReplacement: false,
        httpTokens: ec2.HttpTokens.REQUIRED,
        httpPutResponseHopLimit: 1,
        blockDevices: [
          {
            deviceName: '/dev/xvda',
            volume: ec2.BlockDeviceVolume.ebs(8, {
              volumeType: ec2.EbsDeviceVolumeType.GP3,
              encrypted: true,
              deleteOnTermination: true,
            }),
          },
        ],
      });
      acknowledgeAll(
        instance,
        ['AwsSolutions-EC28', 'NIST.800.53.R5-EC2InstanceDetailedMonitoringEnabled'],
        `a NAT instance has no application metrics to watch closely; 5-minute basic metrics and the status-check alarms that recover it are enough, detailed monitoring adds ${detailedMonitoringMonthly(instance)}`,
      );
      acknowledgeAll(
        instance,
        ['AwsSolutions-EC29', 'NIST.800.53.R5-EC2InstanceTerminationProtection'],
        'stateless by design: a replacement is identical, so termination protection would only block stack updates',
      );
      acknowledge(
        instance,
        'NIST.800.53.R5-EC2InstanceNoPublicIp',
        'a NAT instance forwards the private subnets’ traffic to the internet, which needs a public address; its security group accepts traffic from inside the VPC only',
      );
      acknowledge(
        instance,
        'NIST.800.53.R5-EC2EBSInBackupPlan',
        'the root volume holds only the OS and an iptables rule set rebuilt from user data; there is nothing to back up',
      );
      acknowledge(
        instance,
        'CloudFormation-Validate::E1152',
        'ImageId is EC2’s resolve:ssm: form, resolved at launch so a new AMI never replaces a running NAT; the schema validator only knows literal AMI ids',
      );
      acknowledge(
        instance,
        'AwsSolutions-EC26',
        'the NAT instance’s only volume is its 8 GB gp3 root volume, encrypted (BlockDeviceMappings[0].Ebs.Encrypted: true); where the rule cannot resolve one of the instance’s intrinsic values (the eks stack) it throws instead of reading the volume',
      );
      acknowledge(
        instance,
        'NIST.800.53.R5-EC2InstancesInVPC',
        'the NAT instance is in the VPC’s public subnet through its network interface (NetworkInterfaces[0].SubnetId, the form a public IP needs); the rule reads only the top-level SubnetId',
      );
      acknowledge(
        instance,
        'CT.EC2.PR.19',
        `a NAT instance (egress: nat-instance, chosen to save the NAT gateway's hourly charge) forwards the tasks' outbound connections, which carry their own TLS; Nitro's encryption between instances protects traffic inside the VPC, and the types that offer it (non-burstable families such as c6gn or m6i) cost several times ${this.instanceType}`,
      );
      this.instances.push(instance);
      this.byAz.set(subnet.availabilityZone, instance);
    }
    for (const subnet of options.privateSubnets) this.configureSubnet(subnet);
  }

  public configureSubnet(subnet: ec2.PrivateSubnet): void {
    const instance = this.byAz.get(subnet.availabilityZone) ?? [...this.byAz.values()][0];
    if (!instance) throw new Error(`${subnet.node.path}: no NAT instance to route through`);
    subnet.addRoute('DefaultRoute', {
      routerType: ec2.RouterType.INSTANCE,
      routerId: instance.instanceId,
      enablesInternetConnectivity: true,
    });
  }
}

export interface AppNetworkProps {
  /** IPv4 range of the VPC. @default 10.0.0.0/16 */
  readonly cidr?: string;
  /** Availability zones to span (2 or 3). */
  readonly azCount: number;
  /** Prefix lengths of the public, private and isolated subnets. @default 24, 20, 24 */
  readonly subnetMasks?: { readonly public: number; readonly private: number; readonly isolated: number };
  /** How private subnets reach the internet. */
  readonly egress: Egress;
  /** NAT gateways or instances (nat-gateway, nat-instance). @default 1 */
  readonly natCount?: number;
  /** Instance type for nat-instance egress. @default t4g.nano */
  readonly natInstanceType?: string;
  /** Interface endpoints (keys of INTERFACE_ENDPOINTS) in the private subnets. @default none */
  readonly interfaceEndpoints?: readonly string[];
  /** Bucket receiving the VPC flow logs (its lifecycle rule is their retention). */
  readonly flowLogBucket: s3.IBucket;
  /** Traffic the flow logs record. @default REJECT */
  readonly flowLogTraffic?: 'ALL' | 'REJECT';
}

/** A VPC with public, private and isolated subnets, egress as asked, and flow logs. */
export class AppNetwork extends Construct {
  public readonly vpc: ec2.Vpc;
  /** Where tasks and pods run. */
  public readonly privateSubnets: ec2.SubnetSelection = { subnetGroupName: 'private' };
  /** Where databases, caches and search domains run: no route out of the VPC. */
  public readonly isolatedSubnets: ec2.SubnetSelection = { subnetGroupName: 'data' };
  /** NAT instances (nat-instance egress), for alarms. */
  public readonly natInstances: ec2.Instance[];

  constructor(scope: Construct, id: string, props: AppNetworkProps) {
    super(scope, id);
    if (props.azCount < 2 || props.azCount > 3) {
      throw new Error(`${this.node.path}: azCount must be 2 or 3, got ${props.azCount}`);
    }
    const masks = props.subnetMasks ?? { public: 24, private: 20, isolated: 24 };
    const natCount = props.egress === 'endpoints' ? 0 : (props.natCount ?? 1);
    const natInstances =
      props.egress === 'nat-instance'
        ? new NatInstances({
            vpcCidr: props.cidr ?? '10.0.0.0/16',
            ...(props.natInstanceType && { instanceType: props.natInstanceType }),
          })
        : undefined;
    // Environment-agnostic stacks only know two AZs by name; Fn::GetAZs gives the region's at deploy time.
    const availabilityZones = Array.from({ length: props.azCount }, (_, i) => Fn.select(i, Fn.getAzs()));
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr ?? '10.0.0.0/16'),
      availabilityZones,
      natGateways: natCount,
      ...(natInstances && { natGatewayProvider: natInstances }),
      subnetConfiguration: [
        {
          name: 'public',
          subnetType: ec2.SubnetType.PUBLIC,
          cidrMask: masks.public,
          mapPublicIpOnLaunch: false,
        },
        {
          name: 'private',
          subnetType: natCount > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
          cidrMask: masks.private,
        },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: masks.isolated },
      ],
      flowLogs: {
        toLogBucket: {
          destination: ec2.FlowLogDestination.toS3(props.flowLogBucket, 'vpc-flow-logs/'),
          trafficType:
            props.flowLogTraffic === 'ALL' ? ec2.FlowLogTrafficType.ALL : ec2.FlowLogTrafficType.REJECT,
        },
      },
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });
    acknowledgeDefaultSgProvider(this);
    this.natInstances = natInstances?.instances ?? [];
    for (const subnet of this.vpc.publicSubnets) {
      const route = subnet.node.tryFindChild('DefaultRoute');
      if (route) {
        acknowledge(
          route,
          'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
          'public subnets hold only the load balancer and the NAT; tasks and data stores are in private and isolated subnets without this route',
        );
      }
    }
    if (props.interfaceEndpoints?.length) {
      const sg = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
        vpc: this.vpc,
        description: 'Interface endpoints: HTTPS from inside the VPC',
        allowAllOutbound: false,
      });
      sg.addIngressRule(ec2.Peer.ipv4(this.vpc.vpcCidrBlock), ec2.Port.tcp(443), 'AWS APIs from the VPC');
      for (const name of props.interfaceEndpoints) {
        const service = INTERFACE_ENDPOINTS[name];
        if (!service) throw new Error(`${this.node.path}: unknown interface endpoint ${name}`);
        this.vpc.addInterfaceEndpoint(`Endpoint-${name}`, {
          service,
          subnets: this.privateSubnets,
          securityGroups: [sg],
          privateDnsEnabled: true,
        });
      }
    }
  }

  /** Alarms that recover a NAT instance on hardware failure and reboot it when it stops answering. */
  public natInstanceAlarms(notify: (alarm: cw.Alarm) => cw.Alarm): cw.Alarm[] {
    return this.natInstances.flatMap((instance, i) => {
      const dims = { InstanceId: instance.instanceId };
      const system = notify(
        new cw.Alarm(this, `NatSystemStatus${i}`, {
          alarmDescription:
            'NAT instance hardware or network failed: EC2 recovers it onto new hardware (same ID and address); the private subnets of its AZ have no egress meanwhile',
          metric: new cw.Metric({
            namespace: 'AWS/EC2',
            metricName: 'StatusCheckFailed_System',
            dimensionsMap: dims,
            statistic: 'Maximum',
            period: Duration.minutes(1),
          }),
          threshold: 1,
          comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 2,
        }),
      );
      system.addAlarmAction(new cwActions.Ec2Action(cwActions.Ec2InstanceAction.RECOVER));
      const os = notify(
        new cw.Alarm(this, `NatInstanceStatus${i}`, {
          alarmDescription: 'NAT instance stopped answering status checks for 3 minutes: EC2 reboots it',
          metric: new cw.Metric({
            namespace: 'AWS/EC2',
            metricName: 'StatusCheckFailed_Instance',
            dimensionsMap: dims,
            statistic: 'Maximum',
            period: Duration.minutes(1),
          }),
          threshold: 1,
          comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 3,
        }),
      );
      os.addAlarmAction(new cwActions.Ec2Action(cwActions.Ec2InstanceAction.REBOOT));
      return [system, os];
    });
  }
}
