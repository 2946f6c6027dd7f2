/**
 * SARIF 2.1.0 for GitHub code scanning: `tool.driver.rules` with id, short and full description,
 * help (text and markdown), default level and, for security rules, `security-severity`; results
 * with ruleId, level, message, a repository-relative location with its line, the resource as a
 * logical location, `partialFingerprints` (GitHub's REST upload does not compute them), and
 * suppressions with their justification.
 */
import type { CheckReport, Finding, RuleInfo } from '../types.js';

const INFORMATION_URI = 'https://github.com/stackplan/stackplan';
const RULES_URI = `${INFORMATION_URI}/blob/main/RULES.md`;

const pascal = (id: string) =>
  id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

function helpUri(r: RuleInfo): string {
  return r.pack === 'stackplan' ? `${RULES_URI}#${r.id.toLowerCase()}` : (r.references[0] ?? INFORMATION_URI);
}

function ruleOf(r: RuleInfo): Record<string, unknown> {
  const security = r.category === 'security' || r.category === 'compliance' || r.category === 'kubernetes';
  const properties: Record<string, unknown> = {
    tags: [...new Set([r.category, r.pack, ...(security ? ['security'] : [])])],
    precision: r.pack === 'stackplan' ? 'high' : 'medium',
  };
  if (security && r.securitySeverity !== undefined)
    properties['security-severity'] = r.securitySeverity.toFixed(1);
  const refs = r.references.map((u) => `- ${u}`).join('\n');
  return {
    id: r.id,
    name: pascal(r.id),
    shortDescription: { text: r.title },
    fullDescription: { text: r.what },
    help: {
      text: `${r.what}\n\nWhy: ${r.why}\n\nFix: ${r.fix}${r.references.length ? `\n\nReferences:\n${refs}` : ''}`,
      markdown: `${r.what}\n\n**Why.** ${r.why}\n\n**Fix.** ${r.fix}${r.references.length ? `\n\n**References**\n\n${refs}` : ''}`,
    },
    helpUri: helpUri(r),
    defaultConfiguration: { level: r.severity },
    properties,
  };
}

function resultOf(f: Finding, ruleIndex: number): Record<string, unknown> {
  const l = f.location;
  const where = l.manifestField
    ? ` [${l.tier} tier: ${l.logicalId ?? l.stack}${l.constructPath ? ` (${l.constructPath})` : ''}]`
    : '';
  const result: Record<string, unknown> = {
    ruleId: f.ruleId,
    ruleIndex,
    level: f.severity,
    message: { text: `${f.message}${where}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: l.uri },
          region: { startLine: l.line, startColumn: l.column },
        },
        logicalLocations: [
          {
            name: l.logicalId ?? l.stack,
            fullyQualifiedName: l.constructPath ?? (l.logicalId ? `${l.stack}/${l.logicalId}` : l.stack),
            kind: l.logicalId ? 'resource' : 'module',
          },
        ],
      },
    ],
    partialFingerprints: { 'stackplanFinding/v1': f.fingerprint },
    properties: {
      pack: f.pack,
      stack: l.stack,
      ...(l.tier && { tier: l.tier }),
      ...(l.manifestField && { manifestField: l.manifestField }),
      ...(l.property && { property: l.property }),
      ...(f.monthlyImpactUsd !== undefined && { monthlyImpactUsd: f.monthlyImpactUsd }),
    },
  };
  if (f.suppression) {
    result.suppressions = [
      {
        kind: f.suppression.kind === 'acknowledgement' ? 'inSource' : 'external',
        status: 'accepted',
        justification: f.suppression.reason,
        properties: { source: f.suppression.source },
      },
    ];
  }
  return result;
}

export function renderSarif(report: CheckReport): string {
  const rules = report.rules;
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'stackplan',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules: rules.map(ruleOf),
          },
        },
        automationDetails: { id: `stackplan-check/${report.input.path.replace(/\\/g, '/')}/` },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.warnings.map((w) => ({
              level: 'warning',
              message: { text: w },
            })),
          },
        ],
        results: report.findings.map((f) => resultOf(f, index.get(f.ruleId) ?? 0)),
        properties: {
          asOf: report.asOf,
          packs: report.packs.map((p) => p.id),
          counts: report.counts,
        },
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
