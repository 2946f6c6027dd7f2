/**
 * The lean host's network: one public subnet in one AZ, no NAT, rejected traffic logged, a free S3
 * gateway endpoint, and a security group open on 80 and 443 (22 only from the admin CIDR).
 * A part of LeanStack, not a construct of its own: its resources are created in the stack's scope,
 * so their logical ids stay those the lean tier has always had (a changed id replaces a real
 * resource: a new Elastic IP, an empty bucket).
 */
import { aws_ec2 as ec2, type Stack, type aws_s3 as s3 } from 'aws-cdk-lib';
import type { LeanPlan } from '../../../model/lean.js';
import { acknowledge, acknowledgeDefaultSgProvider } from '../../nag.js';

export class HostNetwork {
  public readonly vpc: ec2.Vpc;
  public readonly securityGroup: ec2.SecurityGroup;

  constructor(stack: Stack, lean: LeanPlan, logBucket: s3.IBucket) {
    this.vpc = new ec2.Vpc(stack, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.20.0.0/24'),
      maxAzs: 1,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 26, mapPublicIpOnLaunch: false },
      ],
      flowLogs: {
        rejected: {
          destination: ec2.FlowLogDestination.toS3(logBucket, 'vpc-flow-logs/'),
          trafficType: ec2.FlowLogTrafficType.REJECT,
        },
      },
    });
    acknowledgeDefaultSgProvider(stack);
    // Free; lets the host reach S3 (host files, dnf repositories, backups) before its Elastic IP is attached.
    this.vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    for (const subnet of this.vpc.publicSubnets) {
      const route = subnet.node.tryFindChild('DefaultRoute');
      if (route) {
        acknowledge(
          route,
          'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
          'the lean host serves the internet directly from this subnet; inbound is limited by its security group to 80/443 (and 22 from the admin CIDR)',
        );
      }
    }

    this.securityGroup = new ec2.SecurityGroup(stack, 'WebSecurityGroup', {
      vpc: this.vpc,
      description: lean.ssh.enabled
        ? 'HTTP/HTTPS from anywhere, SSH from the admin CIDR'
        : 'HTTP/HTTPS from anywhere; no SSH',
      allowAllOutbound: true,
    });
    this.securityGroup.addIngressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(80),
      'HTTP: redirects to HTTPS and answers ACME challenges',
    );
    this.securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS');
    if (lean.ssh.enabled && lean.ssh.cidr) {
      this.securityGroup.addIngressRule(
        ec2.Peer.ipv4(lean.ssh.cidr),
        ec2.Port.tcp(22),
        'SSH from the admin CIDR only',
      );
    }
    acknowledge(
      this.securityGroup,
      'AwsSolutions-EC23',
      'a public web server: 0.0.0.0/0 is allowed on ports 80 and 443 only',
    );
  }
}
