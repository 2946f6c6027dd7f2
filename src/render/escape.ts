/**
 * One quoting function per file format stackplan writes. Every value that comes from a manifest
 * (or from anything else a user controls) reaches a rendered file through exactly one of these,
 * never by string concatenation: a value is either carried whole, byte for byte, or refused with an
 * error — never reinterpreted by the shell, YAML, compose, nginx, systemd or GitHub Actions.
 *
 * The manifest schema already refuses what no file can carry (control characters in one-line
 * fields, lone surrogates everywhere), so these throw only on a bug upstream. The round-trip
 * tests (test/render/escape.test.ts) feed arbitrary strings through each function and parse them
 * back with the real tool: bash, two YAML parsers, compose, nginx, systemd-analyze.
 */
import { Document, isScalar, parse, visit } from 'yaml';

/** A value the format cannot carry at all: a bug upstream, since the schema refuses these. */
export class UnencodableValue extends Error {}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function encodable(s: string, format: string): string {
  if (LONE_SURROGATE.test(s))
    throw new UnencodableValue(`${format}: ${JSON.stringify(s)} is not valid UTF-8`);
  return s;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\x00-\x1f\x7f]/;
const LINE_SEPARATORS = /[\u0085\u2028\u2029]/;

/** One line of text: no control character and no Unicode line separator. */
function oneLine(s: string, format: string): string {
  encodable(s, format);
  if (CONTROL.test(s) || LINE_SEPARATORS.test(s)) {
    throw new UnencodableValue(`${format}: ${JSON.stringify(s)} must be one line without control characters`);
  }
  return s;
}

// ---- bash -------------------------------------------------------------------------------------

/** Characters a bash argument may hold unquoted with no expansion at all (`~` only expands first). */
const SHELL_BARE = /^[A-Za-z0-9_./:=@%+,-]+$/;

/**
 * One bash word that expands to exactly `s`: bare when nothing in it is special, else in single
 * quotes (inside which bash interprets nothing), each `'` written as `'\''`. NUL cannot be in a
 * word at all. (Quoting does not stop a command reading a word that starts with `-` as an option:
 * callers pass `--`, and manifest paths may not start with `-`.)
 */
export function shellQuote(s: string): string {
  encodable(s, 'bash');
  if (s.includes('\0')) throw new UnencodableValue('bash: a word cannot hold NUL');
  if (SHELL_BARE.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Several bash words (a command line) from literal arguments. */
export function shellWords(args: readonly string[]): string {
  return args.map(shellQuote).join(' ');
}

/** A `# comment` line in a script or config file: one line, so nothing after it can become code. */
export function commentText(s: string): string {
  return oneLine(s, 'comment');
}

// ---- YAML ---------------------------------------------------------------------------------------

/**
 * Characters that must not appear raw in YAML output: C1 controls and noncharacters are not
 * printable in YAML, and YAML 1.1 parsers (PyYAML, the one compose v1 uses) break lines at NEL,
 * U+2028 and U+2029, which would fold them into spaces.
 */
const YAML_UNSAFE = /[\u0080-\u009f\u2028\u2029\ufffe\uffff]/g;

/**
 * Whether `s`, written plain, reads back as the same string under both YAML 1.1 and 1.2 rules
 * (`1e3` is a number in 1.2 only, `yes` and `012` in 1.1 only); multi-line strings are left to
 * the writer, which uses a block scalar for them.
 */
function plainIsSame(s: string): boolean {
  if (s.includes('\n')) return true;
  try {
    const opts = { logLevel: 'silent', mapAsMap: true } as const;
    return parse(s, { ...opts, version: '1.2' }) === s && parse(s, { ...opts, version: '1.1' }) === s;
  } catch {
    return false;
  }
}

/**
 * A YAML document from data: strings are quoted wherever YAML 1.1 or 1.2 would read them as
 * anything but the same string (`yes`, `on`, `012`, `1:20`, `null`, `~`, a leading space …), and
 * characters a YAML 1.1 parser would reinterpret are written as escapes inside double quotes.
 * `comment` lines go first, each a one-line comment.
 */
export function toYaml(data: unknown, comment: readonly string[] = []): string {
  // No anchors: a workflow or compose file shares nothing by reference (not every consumer reads aliases).
  const doc = new Document(data, { version: '1.1', aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string') return;
      encodable(node.value, 'YAML');
      YAML_UNSAFE.lastIndex = 0;
      // PyYAML ends a plain scalar at a tab; in double quotes it is written \t.
      const tab = node.value.includes('\t') && !node.value.includes('\n');
      if (YAML_UNSAFE.test(node.value) || tab || !plainIsSame(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  if (comment.length) doc.commentBefore = comment.map((c) => ` ${commentText(c)}`).join('\n');
  const text = doc.toString({ lineWidth: 0 });
  // Every unsafe character is now inside a double-quoted scalar, where an escape means the same.
  return text.replace(YAML_UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Whether a parsed YAML scalar is a string (for tests and checks). */
export function isYamlString(node: unknown): boolean {
  return isScalar(node) && typeof node.value === 'string';
}

// ---- compose ----------------------------------------------------------------------------------

/**
 * A literal for a compose file: compose interpolates `$VAR` and `${VAR…}` in every value of the
 * file, so each `$` is written `$$` (compose-spec, interpolation). Without it `price $5` is refused
 * and `${POSTGRES_PASSWORD}` is replaced by the database password.
 */
export function composeLiteral(s: string): string {
  return encodable(s, 'compose').replace(/\$/g, '$$$$');
}

/** A compose reference to a key of the env files, required: `${KEY:?message}`. */
export function composeRequired(key: string, message: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
    throw new UnencodableValue(`compose: ${key} is not a variable name`);
  if (/[$}]/.test(message)) throw new UnencodableValue(`compose: ${message} holds $ or }`);
  return `\${${key}:?${message}}`;
}

/** A compose reference to a key of the env files with a fallback: `${KEY:-fallback}`. */
export function composeDefault(key: string, fallback: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
    throw new UnencodableValue(`compose: ${key} is not a variable name`);
  if (/[$}]/.test(fallback)) throw new UnencodableValue(`compose: ${fallback} holds $ or }`);
  return `\${${key}:-${encodable(fallback, 'compose')}}`;
}

// ---- nginx ------------------------------------------------------------------------------------

/** Declared once in http {}: a variable holding "$", since nginx strings have no escape for it. */
export const NGINX_DOLLAR_VARIABLE = 'stackplan_dollar';
export const NGINX_DOLLAR_DECLARATION = `geo $${NGINX_DOLLAR_VARIABLE} {\n    default "$";\n}`;

/**
 * A double-quoted nginx string whose value is exactly `s`, for directives that expand variables
 * (add_header, return, …): `\` and `"` are escaped, and `$` is written `${stackplan_dollar}`
 * (NGINX_DOLLAR_DECLARATION must be in http {}). One line only: nginx would keep a line break,
 * and an HTTP header cannot hold one.
 */
export function nginxString(s: string): string {
  oneLine(s, 'nginx');
  return `"${s.replace(/[\\"]/g, '\\$&').replace(/\$/g, `\${${NGINX_DOLLAR_VARIABLE}}`)}"`;
}

/**
 * A bare nginx token (server_name, a location prefix, a path): only characters that are never
 * special in nginx's configuration syntax. Values reaching here were validated by the schema;
 * anything else is refused rather than quoted.
 */
export function nginxToken(s: string): string {
  if (!/^[A-Za-z0-9._~/:@*+-]+$/.test(s)) {
    throw new UnencodableValue(`nginx: ${JSON.stringify(s)} is not a plain token`);
  }
  return s;
}

// ---- systemd ----------------------------------------------------------------------------------

/**
 * A value for a systemd unit setting that resolves specifiers (Description=, Documentation=, …):
 * one line (a line break ends the setting; a trailing `\` would continue it, so it is refused),
 * `%` written `%%`.
 */
export function systemdText(s: string): string {
  oneLine(s, 'systemd');
  // A trailing backslash would join the next line to this setting.
  if (s.endsWith('\\')) throw new UnencodableValue(`systemd: ${JSON.stringify(s)} ends with a backslash`);
  return s.replace(/%/g, '%%');
}

/**
 * One argument of an Exec*= command line: double-quoted with systemd's C-style escapes, `%`
 * written `%%` and `$` written `$$` (systemd expands `$VAR` and `${VAR}` in Exec lines).
 */
export function systemdExecArg(s: string): string {
  oneLine(s, 'systemd');
  if (/^[A-Za-z0-9_./:@+,=-]+$/.test(s)) return s;
  return `"${s.replace(/[\\"]/g, '\\$&').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

// ---- GitHub Actions ---------------------------------------------------------------------------

/**
 * A literal for a GitHub Actions workflow value: Actions evaluates `${{ … }}` in almost every
 * value (run, name, env, with, working-directory) before anything else sees it, and has no escape
 * but an expression that yields the text itself. Apply before YAML quoting (toYaml).
 */
export function actionsLiteral(s: string): string {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: bash, GitHub Actions or compose syntax, literally
  return encodable(s, 'GitHub Actions').replace(/\$\{\{/g, "${{ '${{' }}");
}

/**
 * A branch filter (`on.push.branches`) matching exactly `branch`: the filter is a glob in which
 * `*`, `?`, `+`, `[`, `]` and a leading `!` are special, each escaped with a backslash.
 */
export function actionsBranchFilter(branch: string): string {
  return oneLine(branch, 'GitHub Actions').replace(/[*?+[\]\\]|^!/g, '\\$&');
}
