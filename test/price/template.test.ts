/** The offline evaluator of CloudFormation intrinsic functions. */
import { describe, expect, it } from 'vitest';
import { isResourceToken, NotResolvable, Props, TemplateIndex } from '../../src/price/template.js';

const index = new TemplateIndex(
  {
    Parameters: {
      Env: { Type: 'String', Default: 'prod' },
      Subnets: { Type: 'CommaDelimitedList', Default: 'subnet-a, subnet-b' },
      NoDefault: { Type: 'String' },
      FromSsm: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/my/param' },
    },
    Mappings: { M: { prod: { size: 't3.small' } } },
    Conditions: {
      Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
      NotProd: { 'Fn::Not': [{ Condition: 'Prod' }] },
    },
    Resources: { Bucket: { Type: 'AWS::S3::Bucket' } },
  },
  { region: 'eu-west-1', stackName: 'S', parameters: { Given: 'x' } },
);
const str = (v: unknown) => index.string(v, 'P');

describe('TemplateIndex', () => {
  it('resolves parameters, pseudo parameters, mappings and string functions', () => {
    expect(str({ Ref: 'Env' })).toBe('prod');
    expect(str({ Ref: 'AWS::Region' })).toBe('eu-west-1');
    expect(str({ Ref: 'AWS::StackName' })).toBe('S');
    expect(str({ 'Fn::FindInMap': ['M', { Ref: 'Env' }, 'size'] })).toBe('t3.small');
    expect(str({ 'Fn::Join': ['-', ['a', { Ref: 'Env' }]] })).toBe('a-prod');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub syntax, not a JS template
    expect(str({ 'Fn::Sub': 'db-${Env}-${AWS::Region}' })).toBe('db-prod-eu-west-1');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub syntax, not a JS template
    expect(str({ 'Fn::Sub': ['${A}.${B}', { A: 'x', B: { Ref: 'Env' } }] })).toBe('x.prod');
    expect(str({ 'Fn::Select': [1, { Ref: 'Subnets' }] })).toBe('subnet-b');
    expect(str({ 'Fn::Select': ['0', { 'Fn::Split': [',', 'a,b'] }] })).toBe('a');
    expect(str({ 'Fn::If': ['NotProd', 'small', 'large'] })).toBe('large');
    expect(index.resolve({ 'Fn::Length': [1, 2, 3] }, 'P')).toBe(3);
  });

  it('marks references to resources instead of inventing values', () => {
    const t = index.resolve({ 'Fn::GetAtt': ['Bucket', 'Arn'] }, 'P');
    expect(isResourceToken(t) && t.resource).toBe('Bucket');
    expect(() => str({ Ref: 'Bucket' })).toThrow('property P is not resolvable (Ref Bucket)');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub syntax, not a JS template
    expect(() => str({ 'Fn::Sub': 'arn:${Bucket.Arn}' })).toThrow(/resource attribute/);
  });

  it('refuses what only AWS knows', () => {
    expect(() => str({ Ref: 'NoDefault' })).toThrow(/parameter NoDefault, which has no default/);
    expect(() => str({ Ref: 'FromSsm' })).toThrow(/read from SSM parameter/);
    expect(() => str({ 'Fn::ImportValue': 'shared' })).toThrow(/Fn::ImportValue "shared"/);
    expect(() => str({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] })).toThrow(/Fn::GetAZs/);
    expect(() => str({ Ref: 'AWS::AccountId' })).toThrow(NotResolvable);
    expect(() => str({ 'Fn::Cidr': ['10.0.0.0/16', 4, 8] })).toThrow(/cannot be evaluated offline/);
  });

  it('treats Ref AWS::NoValue as absent', () => {
    const p = new Props(index, { A: { 'Fn::If': ['Prod', { Ref: 'AWS::NoValue' }, 'x'] } });
    expect(p.str('A')).toBeUndefined();
    expect(p.has('A')).toBe(false);
  });
});

describe('Props', () => {
  const p = new Props(index, {
    Size: '20',
    Flag: 'true',
    Nested: { List: [{ Name: 'a' }, { Name: { Ref: 'Env' } }] },
    Bad: { 'Fn::ImportValue': 'x' },
    Picked: { 'Fn::If': ['Prod', { Inner: 'yes' }, { Inner: 'no' }] },
  });

  it('reads nested paths through intrinsic functions', () => {
    expect(p.num('Size')).toBe(20);
    expect(p.bool('Flag', false)).toBe(true);
    expect(p.str('Nested.List.1.Name')).toBe('prod');
    expect(p.subs('Nested.List').map((x) => x.str('Name'))).toEqual(['a', 'prod']);
    expect(p.str('Picked.Inner')).toBe('yes');
    expect(p.str('Missing', 'fallback')).toBe('fallback');
  });

  it('names the property path in errors', () => {
    expect(() => p.num('Nested.List.0.Name')).toThrow(
      'property Nested.List.0.Name is not resolvable (not a number: "a")',
    );
    expect(() => p.str('Bad')).toThrow(/^property Bad is not resolvable/);
    expect(p.has('Bad')).toBe(true);
  });
});
