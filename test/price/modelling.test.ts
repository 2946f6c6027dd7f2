/**
 * Modelling bugs found on real public templates (issue 12 §1). Each case is the shape a real
 * template uses, with the figure worked out by hand from the book's unit prices (730 h a month).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTemplateFile } from '../../src/price/input.js';
import { parseUsage } from '../../src/price/usage-file.js';
import { closeTo, line, price, resource } from './helpers.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'stackplan-modelling-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const LT = {
  Type: 'AWS::EC2::LaunchTemplate',
  Properties: { LaunchTemplateName: 'eks-nodes', LaunchTemplateData: { InstanceType: 'm5.large' } },
};

describe('EKS managed node groups read their launch template (Id / Name)', () => {
  it('LaunchTemplate: {Id: !Ref LT}', () => {
    const r = price({
      Lt: LT,
      Nodes: {
        Type: 'AWS::EKS::Nodegroup',
        Properties: { LaunchTemplate: { Id: { Ref: 'Lt' } }, ScalingConfig: { DesiredSize: 3 } },
      },
    });
    const l = line(r, 'Nodes', /^Instance usage/);
    expect(l.name).toBe('Instance usage (Linux/UNIX, on-demand, 3 nodes × m5.large)');
    closeTo(l.monthlyUsd, 3 * 730 * 0.096); // m5.large $0.096/h
  });

  it('LaunchTemplate: {Name: <the template’s LaunchTemplateName>} and {Name: !GetAtt LT.LaunchTemplateName}', () => {
    for (const name of ['eks-nodes', { 'Fn::GetAtt': ['Lt', 'LaunchTemplateName'] }]) {
      const r = price({
        Lt: LT,
        Nodes: {
          Type: 'AWS::EKS::Nodegroup',
          Properties: { LaunchTemplate: { Name: name }, ScalingConfig: { DesiredSize: 1 } },
        },
      });
      expect(line(r, 'Nodes', /^Instance usage/).price.item).toBe('instance:m5.large');
    }
  });

  it('an EC2 instance finds its launch template by LaunchTemplateName too', () => {
    const r = price({
      Lt: LT,
      Web: {
        Type: 'AWS::EC2::Instance',
        Properties: {
          LaunchTemplate: { LaunchTemplateName: 'eks-nodes', Version: '1' },
          SubnetId: 'subnet-1',
        },
      },
    });
    expect(line(r, 'Web', /^Instance usage/).price.item).toBe('instance:m5.large');
  });
});

describe('RDS read replicas inherit from their source', () => {
  const source = {
    Type: 'AWS::RDS::DBInstance',
    Properties: {
      Engine: 'mysql',
      DBInstanceClass: 'db.m5.large',
      AllocatedStorage: '100',
      StorageType: 'gp2',
      MultiAZ: true,
    },
  };

  it('a replica of a database in the template: engine, class and storage from the source', () => {
    const r = price({
      Master: source,
      Replica: {
        Type: 'AWS::RDS::DBInstance',
        Properties: { SourceDBInstanceIdentifier: { Ref: 'Master' } },
      },
    });
    const rep = resource(r, 'Replica');
    expect(rep.status).toBe('priced');
    const inst = line(r, 'Replica', /^Database instance/);
    expect(inst.price.item).toBe('instance:db.m5.large:mysql:single-az');
    closeTo(inst.monthlyUsd, 0.171 * 730); // db.m5.large MySQL Single-AZ $0.171/h
    closeTo(line(r, 'Replica', /^Storage/).monthlyUsd, 100 * 0.115); // gp2 Single-AZ
    expect(rep.notes.join(' ')).toMatch(/read replica of Master/);
    // The replica costs about what its Multi-AZ source's instance costs half of: the template is no longer 50% low.
    closeTo(r.totals.listMonthlyUsd, resource(r, 'Master').monthlyUsd + rep.monthlyUsd);
  });

  it('its own class wins; backups are not charged on a replica', () => {
    const r = price({
      Master: source,
      Replica: {
        Type: 'AWS::RDS::DBInstance',
        Properties: {
          SourceDBInstanceIdentifier: { 'Fn::GetAtt': ['Master', 'DBInstanceArn'] },
          DBInstanceClass: 'db.t3.medium',
        },
      },
    });
    expect(line(r, 'Replica', /^Database instance/).price.item).toBe('instance:db.t3.medium:mysql:single-az');
  });

  it('a replica of an external database takes the source’s values from usage `properties`', () => {
    const ext = {
      Replica: {
        Type: 'AWS::RDS::DBInstance',
        Properties: { SourceDBInstanceIdentifier: 'arn:aws:rds:us-east-1:123456789012:db:prod' },
      },
    };
    const without = resource(price(ext), 'Replica');
    expect(without.status).toBe('cannot-price');
    expect(without.reason).toMatch(/not in this template.*properties\.Replica/);
    const usage = parseUsage(
      'properties:\n  Replica: {Engine: postgres, DBInstanceClass: db.t4g.micro, AllocatedStorage: 20}\n',
      'usage.yaml',
    );
    const r = price(ext, { usage });
    closeTo(line(r, 'Replica', /^Database instance/).monthlyUsd, 0.016 * 730);
    closeTo(line(r, 'Replica', /^Storage/).monthlyUsd, 20 * 0.115);
  });
});

describe('List<…> and CommaDelimitedList parameters from a usage file', () => {
  const tpl = {
    Subnets: { Type: 'List<AWS::EC2::Subnet::Id>' },
    Types: { Type: 'CommaDelimitedList' },
  };
  const resources = {
    Alb: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: { Subnets: { Ref: 'Subnets' } },
    },
    Web: {
      Type: 'AWS::EC2::Instance',
      Properties: { InstanceType: { 'Fn::Select': [1, { Ref: 'Types' }] }, SubnetId: 'subnet-1' },
    },
  };

  it('a list in YAML and a comma-separated string both work', () => {
    const usage = parseUsage(
      'parameters:\n  Subnets: [subnet-a, subnet-b, subnet-c]\n  Types: "t3.micro, t3.small"\n',
      'usage.yaml',
    );
    const r = price(resources, { usage, extra: { Parameters: tpl } });
    expect(line(r, 'Alb', /^Public IPv4/).name).toBe('Public IPv4 addresses (internet-facing, 3 AZs)');
    expect(line(r, 'Web', /^Instance usage/).price.item).toBe('instance:t3.small');
  });

  it('without a value the load balancer is still priced, and the note says how to give the list', () => {
    const r = price(resources, { extra: { Parameters: tpl } });
    expect(resource(r, 'Alb').status).toBe('priced');
    expect(resource(r, 'Alb').notes.join(' ')).toMatch(
      /public IPv4 addresses not counted: .*give it under parameters: in a usage file, as a list/,
    );
  });
});

describe('EKS cluster versions', () => {
  it('an unresolvable Version is priced as standard support, and says so', () => {
    const r = price(
      { Cluster: { Type: 'AWS::EKS::Cluster', Properties: { Version: { Ref: 'K8sVersion' } } } },
      { extra: { Parameters: { K8sVersion: { Type: 'String' } } } },
    );
    const c = resource(r, 'Cluster');
    expect(c.status).toBe('priced');
    closeTo(c.monthlyUsd, 0.1 * 730);
    expect(c.notes.join(' ')).toMatch(/Version is not resolvable .*priced as standard support/);
  });
});

describe('root volumes from the AMI table', () => {
  const instance = (imageId: unknown) => ({
    Type: 'AWS::EC2::Instance',
    Properties: { InstanceType: 't3.micro', ImageId: imageId, SubnetId: 'subnet-1' },
  });

  it('the ECS-optimized AMI (an SSM parameter) has a 30 GB root volume', () => {
    const r = price(
      { Web: instance({ Ref: 'Ami' }) },
      {
        extra: {
          Parameters: {
            Ami: {
              Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
              Default: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
            },
          },
        },
      },
    );
    const root = line(r, 'Web', /^Root volume/);
    expect(root.monthlyQuantity).toBe(30);
    expect(resource(r, 'Web').notes.join(' ')).toMatch(/ECS-optimized/);
  });

  it('Amazon Linux 2023 through a {{resolve:ssm:…}} reference: 8 GB', () => {
    const r = price({
      Web: instance('{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}'),
    });
    expect(line(r, 'Web', /^Root volume/).monthlyQuantity).toBe(8);
    expect(resource(r, 'Web').notes.join(' ')).toMatch(/Amazon Linux 2023/);
  });

  it('an Auto Scaling group of ECS container instances: 30 GB each', () => {
    const r = price(
      {
        Lc: {
          Type: 'AWS::AutoScaling::LaunchConfiguration',
          Properties: { InstanceType: 't3.small', ImageId: { Ref: 'EcsAmi' } },
        },
        Asg: {
          Type: 'AWS::AutoScaling::AutoScalingGroup',
          Properties: { MinSize: '2', MaxSize: '2', LaunchConfigurationName: { Ref: 'Lc' } },
        },
      },
      {
        extra: {
          Parameters: {
            EcsAmi: {
              Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
              Default: '/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id',
            },
          },
        },
      },
    );
    expect(line(r, 'Asg', /^Root volume/).monthlyQuantity).toBe(60);
  });

  it('an unknown AMI keeps the 8 GB assumption, with the note naming the table', () => {
    const r = price({ Web: instance('ami-0123456789abcdef0') });
    expect(line(r, 'Web', /^Root volume/).monthlyQuantity).toBe(8);
    expect(resource(r, 'Web').notes.join(' ')).toMatch(/assumed 8 GB gp3/);
  });
});

describe('AWS::LanguageExtensions', () => {
  it('expands Fn::ForEach over a list and a list parameter', () => {
    const r = price(
      {
        'Fn::ForEach::Queues': [
          'Name',
          ['Orders', 'Emails'],
          {
            'Topic${Name}': {
              Type: 'AWS::SNS::Topic',
              // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub syntax, not a JS template
              Properties: { TopicName: { 'Fn::Sub': '${Name}-topic' } },
            },
          },
        ],
        'Fn::ForEach::Hosts': [
          'Host',
          { Ref: 'Hosts' },
          {
            'Web&{Host}': {
              Type: 'AWS::EC2::Instance',
              Properties: { InstanceType: 't3.micro', SubnetId: 'subnet-1' },
            },
          },
        ],
      } as never,
      {
        extra: {
          Transform: 'AWS::LanguageExtensions',
          Parameters: { Hosts: { Type: 'CommaDelimitedList', Default: 'a-1,b-2' } },
        },
      },
    );
    const ids = r.stacks[0]!.resources.map((x) => x.logicalId);
    expect(ids).toEqual(['TopicEmails', 'TopicOrders', 'Weba1', 'Webb2']);
    expect(r.stacks[0]!.resources.every((x) => x.status === 'priced')).toBe(true);
  });

  it('a collection that cannot be resolved is one cannot-price line naming the loop', () => {
    const r = price(
      {
        'Fn::ForEach::Hosts': [
          'Host',
          { 'Fn::GetAZs': '' },
          { 'Web${Host}': { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 't3.micro' } } },
        ],
      } as never,
      { extra: { Transform: 'AWS::LanguageExtensions' } },
    );
    const loop = resource(r, 'Fn::ForEach::Hosts');
    expect(loop.status).toBe('cannot-price');
    expect(loop.reason).toMatch(/Fn::GetAZs/);
  });
});

describe('YAML templates', () => {
  it('an unknown tag is read as its value, with a warning naming the file and line', async () => {
    const f = path.join(tmp, 'tags.yaml');
    writeFileSync(
      f,
      'Resources:\n  Web:\n    Type: AWS::EC2::Instance\n    Properties:\n      InstanceType: !Bogus t3.micro\n',
    );
    const input = await readTemplateFile(f);
    expect(input.warnings).toEqual([`${f}:5: unknown YAML tag !Bogus: read as its plain value`]);
    const r = price(input.template.Resources as never, { warnings: input.warnings });
    expect(r.warnings).toContain(`${f}:5: unknown YAML tag !Bogus: read as its plain value`);
  });
});
