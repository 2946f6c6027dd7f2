/**
 * SP-imdsv2: EC2 instances must require IMDSv2 session tokens: through the instance's own
 * MetadataOptions, or its launch template's (CDK's `requireImdsv2: true` adds one), and for Auto
 * Scaling through the launch template or launch configuration.
 */
import type { CfnResource } from '../../price/template.js';
import type { Rule, RuleContext } from './context.js';

type Verdict = { ok: true } | { ok: false; why: string; path: Array<string | number> } | { unknown: true };

function metadataOptions(ctx: RuleContext, options: unknown, base: Array<string | number>): Verdict {
  const o = ctx.known(options);
  if (options === undefined || o === undefined || o === null) {
    if (options !== undefined) return { unknown: true };
    return { ok: false, why: 'sets no MetadataOptions, so IMDSv1 stays enabled', path: base };
  }
  const opts = o as Record<string, unknown>;
  if (opts.HttpEndpoint === 'disabled') return { ok: true };
  if (opts.HttpTokens === 'required') return { ok: true };
  return {
    ok: false,
    why: `has HttpTokens: ${String(opts.HttpTokens ?? 'optional (default)')}`,
    path: [...base, 'MetadataOptions', ...(opts.HttpTokens !== undefined ? ['HttpTokens'] : [])],
  };
}

function launchTemplateVerdict(ctx: RuleContext, lt: CfnResource): Verdict {
  const data = ctx.props(lt).LaunchTemplateData as Record<string, unknown> | undefined;
  const v = metadataOptions(ctx, data?.MetadataOptions, ['Properties', 'LaunchTemplateData']);
  if ('ok' in v && !v.ok && v.path.length === 2) return { ...v, path: ['Properties', 'LaunchTemplateData'] };
  return v;
}

export const rule: Rule = {
  info: {
    id: 'SP-imdsv2',
    pack: 'stackplan',
    title: 'EC2 instance metadata accepts IMDSv1',
    severity: 'error',
    category: 'security',
    securitySeverity: 7.0,
    resourceTypes: [
      'AWS::EC2::Instance',
      'AWS::EC2::LaunchTemplate',
      'AWS::AutoScaling::LaunchConfiguration',
    ],
    what: 'An EC2 instance without a launch template that sets MetadataOptions.HttpTokens: required, a launch template or launch configuration whose MetadataOptions leave HttpTokens optional.',
    why: 'IMDSv1 answers any request from the instance, so a server-side request forgery in the app hands out the instance role credentials (the Capital One breach). IMDSv2 needs a session token obtained with a PUT, which SSRF cannot send.',
    fix: 'Give the instance a launch template with MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 1} (CDK: requireImdsv2: true on the Instance, or on the LaunchTemplate); set MetadataOptions on launch configurations.',
    references: [
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html',
      'https://aws.amazon.com/blogs/security/defense-in-depth-open-firewalls-reverse-proxies-ssrf-vulnerabilities-ec2-instance-metadata-service/',
    ],
  },
  check(ctx) {
    for (const [id, r] of ctx.resources('AWS::EC2::Instance')) {
      const p = ctx.props(r);
      if (p.MetadataOptions !== undefined) {
        const v = metadataOptions(ctx, p.MetadataOptions, ['Properties']);
        if ('ok' in v && !v.ok) {
          ctx.report({
            logicalId: id,
            path: v.path,
            message: `instance ${v.why}: set MetadataOptions.HttpTokens: required`,
          });
        }
        continue;
      }
      // With a launch template, the template carries the options (and is checked below).
      if (p.LaunchTemplate !== undefined) continue;
      ctx.report({
        logicalId: id,
        path: ['Properties'],
        message:
          'instance sets no MetadataOptions and has no launch template, so IMDSv1 stays enabled: set MetadataOptions.HttpTokens: required (CDK: requireImdsv2: true)',
      });
    }
    for (const [id, r] of ctx.resources('AWS::EC2::LaunchTemplate')) {
      const v = launchTemplateVerdict(ctx, r);
      if ('ok' in v && !v.ok) {
        ctx.report({
          logicalId: id,
          path: v.path,
          message: `launch template ${v.why}: set MetadataOptions.HttpTokens: required`,
        });
      }
    }
    for (const [id, r] of ctx.resources('AWS::AutoScaling::LaunchConfiguration')) {
      const v = metadataOptions(ctx, ctx.props(r).MetadataOptions, ['Properties']);
      if ('ok' in v && !v.ok) {
        ctx.report({
          logicalId: id,
          path: v.path,
          message: `launch configuration ${v.why}: set MetadataOptions.HttpTokens: required`,
        });
      }
    }
  },
};
