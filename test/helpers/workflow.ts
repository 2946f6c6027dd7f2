/**
 * GitHub Actions workflows as GitHub reads them: parsed and converted by @actions/workflow-parser
 * (GitHub's own parser and workflow schema, the one its editor tooling uses), and the properties
 * every generated deploy workflow must have: OIDC only, and one check job that alone may write
 * security events, uploading the SARIF its `stackplan check` step writes, before deploy.
 */
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { expect } from 'vitest';
import { parse } from 'yaml';

type Json = Record<string, any>;

/** Every error GitHub's parser and converter report for `content`, with its line and column. */
export async function workflowErrors(content: string, name = 'deploy.yml'): Promise<string[]> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length || !parsed.value) return errors.length ? errors : [`${name}: no workflow`];
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return (template.errors ?? []).map((e: { Message: string }) => e.Message);
}

/** The shared check job's properties, asserted on a generated deploy workflow. */
export function expectCheckJob(content: string): void {
  const wf = parse(content) as Json;
  const jobs = wf.jobs as Record<string, Json>;
  expect(Object.keys(jobs)[0]).toBe('check');
  const check = jobs.check!;
  expect(check.permissions).toEqual({ contents: 'read', 'security-events': 'write', actions: 'read' });
  // security-events: write nowhere else; the workflow's own permissions stay OIDC + read.
  expect(wf.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
  for (const [id, job] of Object.entries(jobs)) {
    if (id !== 'check') expect(job.permissions, id).toBeUndefined();
  }
  const steps = check.steps as Json[];
  const run = steps.find((s) => String(s.run).includes('stackplan check'));
  expect(run, 'a stackplan check step').toBeDefined();
  const m = /stackplan check "\$CDK_APP" --format sarif --output (\S+)/.exec(run!.run);
  expect(m, run!.run).not.toBeNull();
  const upload = steps.find((s) => String(s.uses).startsWith('github/codeql-action/upload-sarif@'));
  expect(upload, 'an upload-sarif step').toBeDefined();
  expect(steps.indexOf(upload!)).toBeGreaterThan(steps.indexOf(run!));
  expect(upload!.with.sarif_file).toBe(m![1]);
  expect(upload!.with.category).toBe(`stackplan-check/${wf.env.STACK_NAME}`);
  // The upload runs even when the check step fails the job on an error (it wrote the SARIF first).
  expect(upload!.if).toMatch(/!cancelled\(\)/);
  expect(steps.some((s) => String(s.uses).startsWith('aws-actions/configure-aws-credentials'))).toBe(false);
  const needs = jobs.deploy!.needs;
  expect(Array.isArray(needs) ? needs : [needs]).toContain('check');
}
