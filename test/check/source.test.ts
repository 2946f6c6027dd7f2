/** Templates with source positions: JSON and YAML (short tags), to the resource and the property. */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/check/source.js';
import { UserError } from '../../src/errors.js';

const JSON_TEMPLATE = `{
  "Resources": {
    "Bucket": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "Tags": [
          {"Key": "a", "Value": "b"},
          {"Key": "c", "Value": "d"}
        ]
      }
    }
  }
}
`;

const YAML_TEMPLATE = `Resources:
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      SslPolicy: !If [Modern, ELBSecurityPolicy-TLS13-1-2-2021-06, !Ref Policy]
      Certificates:
        - CertificateArn: !Sub "arn:aws:acm:\${AWS::Region}:123456789012:certificate/x"
        - CertificateArn: other
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
`;

describe('parseSource', () => {
  it('JSON: the line and column of a key, an array element, and the nearest existing parent', async () => {
    const doc = await parseSource(JSON_TEMPLATE, 't.json');
    expect(doc.format).toBe('json');
    expect(doc.locate(['Resources', 'Bucket'])).toEqual({ line: 3, column: 5 });
    expect(doc.locate(['Resources', 'Bucket', 'Properties', 'Tags'])).toEqual({ line: 6, column: 9 });
    expect(doc.locate(['Resources', 'Bucket', 'Properties', 'Tags', 1])).toEqual({ line: 8, column: 11 });
    expect(doc.locate(['Resources', 'Bucket', 'Properties', 'VersioningConfiguration'])).toEqual({
      line: 5,
      column: 7,
    });
    expect(doc.locate(['Outputs'])).toBeUndefined();
    expect((doc.value as { Resources: object }).Resources).toHaveProperty('Bucket');
  });

  it('YAML: short tags become intrinsic functions, positions survive them', async () => {
    const doc = await parseSource(YAML_TEMPLATE, 't.yaml');
    expect(doc.format).toBe('yaml');
    const props = (doc.value as any).Resources.Listener.Properties;
    expect(props.LoadBalancerArn).toEqual({ Ref: 'Alb' });
    expect(props.SslPolicy).toEqual({
      'Fn::If': ['Modern', 'ELBSecurityPolicy-TLS13-1-2-2021-06', { Ref: 'Policy' }],
    });
    expect(props.Certificates[0].CertificateArn).toEqual({
      'Fn::Sub': 'arn:aws:acm:\u0024{AWS::Region}:123456789012:certificate/x',
    });
    expect(doc.locate(['Resources', 'Listener', 'Properties', 'SslPolicy'])).toEqual({ line: 6, column: 7 });
    expect(doc.locate(['Resources', 'Listener', 'Properties', 'Certificates', 1])).toEqual({
      line: 9,
      column: 11,
    });
    expect(doc.locate(['Resources', 'Alb', 'Properties', 'Subnets'])).toEqual({ line: 10, column: 3 });
  });

  it('names the file, line and column of a syntax error', async () => {
    const json = await parseSource('{\n  "Resources": {\n    "A": 1,\n  }\n}', 'x.json').catch((e) => e);
    expect(json).toBeInstanceOf(UserError);
    expect(json.message).toMatch(/^x\.json:4:3: not valid JSON: /);
    const yaml = await parseSource('Resources:\n  A: [1, 2\n', 'x.yaml').catch((e) => e);
    expect(yaml).toBeInstanceOf(UserError);
    expect(yaml.message).toMatch(/^x\.yaml:\d+:\d+: not valid YAML: /);
  });
});
