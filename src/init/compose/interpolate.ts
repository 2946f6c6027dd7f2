/**
 * Compose variable interpolation, as the compose specification defines it: `$VAR`, `${VAR}`,
 * `${VAR:-default}` (unset or empty), `${VAR-default}` (unset), `${VAR:?message}` /
 * `${VAR?message}` (required), `${VAR:+alt}` / `${VAR+alt}` (set), defaults that nest further
 * expressions, and `$$` for a literal dollar sign. Unset variables without a default become the
 * empty string with a warning, as `docker compose` does.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export interface InterpolationIssue {
  kind: 'required' | 'unset' | 'syntax';
  variable: string;
  message: string;
}

export interface Interpolated {
  value: string;
  issues: InterpolationIssue[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Interpolates one string. */
export function interpolate(text: string, env: Env): Interpolated {
  const issues: InterpolationIssue[] = [];
  const value = expand(text, env, issues);
  return { value, issues };
}

function expand(text: string, env: Env, issues: InterpolationIssue[]): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const end = closingBrace(text, i + 2);
      if (end < 0) {
        issues.push({
          kind: 'syntax',
          variable: '',
          message: `"${text.slice(i)}" opens \${ without a closing }`,
        });
        out += text.slice(i);
        break;
      }
      out += braced(text.slice(i + 2, end), env, issues);
      i = end + 1;
      continue;
    }
    const m = NAME.exec(text.slice(i + 1));
    if (m) {
      out += lookup(m[0], env, issues);
      i += 1 + m[0].length;
      continue;
    }
    // A lone "$" (e.g. at the end, or before a character that cannot start a name) is literal.
    out += '$';
    i++;
  }
  return out;
}

/** The index of the `}` that closes a `${` whose body starts at `from`, or -1. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '$') {
      i++;
      continue;
    }
    if (c === '$' && text[i + 1] === '{') {
      depth++;
      i++;
      continue;
    }
    if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function braced(body: string, env: Env, issues: InterpolationIssue[]): string {
  const m = NAME.exec(body);
  if (!m) {
    issues.push({
      kind: 'syntax',
      variable: body,
      message: `"\${${body}}" is not a valid variable reference`,
    });
    return '';
  }
  const name = m[0];
  const rest = body.slice(name.length);
  if (rest === '') return lookup(name, env, issues);
  const op = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest);
  if (!op) {
    issues.push({
      kind: 'syntax',
      variable: name,
      message: `"\${${body}}": unknown modifier after ${name} (use :-, -, :?, ?, :+ or +)`,
    });
    return '';
  }
  const arg = rest.slice(op[0].length);
  const raw = env[name];
  const set = raw !== undefined;
  const nonEmpty = set && raw !== '';
  switch (op[0]) {
    case ':-':
      return nonEmpty ? raw! : expand(arg, env, issues);
    case '-':
      return set ? raw! : expand(arg, env, issues);
    case ':+':
      return nonEmpty ? expand(arg, env, issues) : '';
    case '+':
      return set ? expand(arg, env, issues) : '';
    default: {
      const strict = op[0] === ':?';
      if (strict ? nonEmpty : set) return raw!;
      const message = expand(arg, env, issues);
      issues.push({
        kind: 'required',
        variable: name,
        message: `required variable ${name} is ${set ? 'empty' : 'not set'}${message ? `: ${message}` : ''}`,
      });
      return '';
    }
  }
}

function lookup(name: string, env: Env, issues: InterpolationIssue[]): string {
  const v = env[name];
  if (v === undefined) {
    issues.push({
      kind: 'unset',
      variable: name,
      message: `the ${name} variable is not set; it defaults to a blank string`,
    });
    return '';
  }
  return v;
}
