/**
 * Validation against the compose-spec JSON schema that `stackplan check` uses for the compose
 * file it renders (schema/compose-spec.json, see src/check/host.ts), with every error turned into
 * a diagnostic at the file and line the user wrote: unknown keys with the nearest known one,
 * wrong types with what is allowed, one message per place however many schema branches failed.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { composeSchema } from '../../check/host.js';
import { type Diagnostic, describeValue, didYouMean, formatPath } from '../../manifest/diagnostics.js';
import { type Loc, type PathSegment, resolvePath } from './located.js';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ strict: false, allErrors: true, verbose: true });
    const { $schema: _draft, ...schema } = composeSchema();
    compiled = ajv.compile(schema);
  }
  return compiled;
}

function segments(instancePath: string): PathSegment[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

/** Validates one file's data (after interpolation); `located` is the same data with locations. */
export function validateComposeFile(data: unknown, located: unknown, file: string): Diagnostic[] {
  const validate = validator();
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  const groups = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const list = groups.get(e.instancePath) ?? [];
    list.push(e);
    groups.set(e.instancePath, list);
  }
  const out: Diagnostic[] = [];
  const where = (p: PathSegment[]): { line?: number; column?: number } => {
    const loc: Loc | undefined = resolvePath(located, p).loc;
    return loc ? { line: loc.line, column: loc.col } : {};
  };
  const paths = [...groups.keys()];
  for (const [instancePath, list] of groups) {
    const p = segments(instancePath);
    const value = resolvePath(data, p).value;
    // A failed oneOf/anyOf whose branches produced errors deeper down is reported there.
    const deeper = paths.some((q) => q !== instancePath && q.startsWith(`${instancePath}/`));
    const unknown = list.filter((e) => e.keyword === 'additionalProperties');
    for (const e of unknown) {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys(
        ((e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ??
          {}) as object,
      );
      const suggestion = didYouMean(key, known);
      const kp = [...p, key];
      out.push({
        severity: 'error',
        code: 'compose-schema',
        path: formatPath(kp),
        message: suggestion
          ? `unknown key "${key}" (did you mean "${suggestion}"?)`
          : `unknown key "${key}" in the compose specification`,
        fix: suggestion
          ? `rename "${key}" to "${suggestion}"`
          : `remove "${key}", or prefix it with x- to keep it as an extension field`,
        file,
        ...where(kp),
      });
    }
    if (unknown.length) continue;
    const specific = list.filter((e) => !['type', 'oneOf', 'anyOf', 'if', 'not'].includes(e.keyword));
    if (specific.length) {
      const e = specific[0]!;
      if (e.keyword === 'required') {
        const missing = String((e.params as { missingProperty: string }).missingProperty);
        out.push({
          severity: 'error',
          code: 'compose-schema',
          path: formatPath(p),
          message: `"${missing}" is required here`,
          expected: `a ${missing} key`,
          found: 'none',
          fix: `add "${missing}:" under ${formatPath(p) || 'the top level'}`,
          file,
          ...where(p),
        });
        continue;
      }
      out.push({
        severity: 'error',
        code: 'compose-schema',
        path: formatPath(p),
        message: e.message ?? 'does not match the compose specification',
        found: describeValue(value),
        fix: `correct ${formatPath(p)} as the compose specification describes (https://docs.docker.com/reference/compose-file/)`,
        file,
        ...where(p),
      });
      continue;
    }
    if (deeper) continue;
    const types = [
      ...new Set(
        list
          .filter((e) => e.keyword === 'type')
          .flatMap((e) => {
            const t = (e.params as { type: string | string[] }).type;
            return Array.isArray(t) ? t : [t];
          }),
      ),
    ];
    const expected = types.length ? types.map((t) => TYPE_WORDS[t] ?? t).join(' or ') : 'an allowed form';
    out.push({
      severity: 'error',
      code: 'compose-schema',
      path: formatPath(p),
      message: `must be ${expected}`,
      expected,
      found: describeValue(value),
      fix: `set ${formatPath(p)} to ${expected}`,
      file,
      ...where(p),
    });
  }
  return out;
}
