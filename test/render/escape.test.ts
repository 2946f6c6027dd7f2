// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings under test are shell, compose and Actions syntax
/**
 * Round trips, one per format: arbitrary strings (seeded fast-check samples, plus the strings that
 * broke seeds and audits) go through the format's quoting function and are read back by the real
 * tool — bash, the yaml package and PyYAML, compose, nginx, systemd-analyze — or, for GitHub's
 * expression evaluator, which does not run here, by its documented rules. The value read back
 * must be the original, byte for byte. STACKPLAN_FUZZ_RUNS raises the sample sizes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkSystemd, which } from '../../src/check/host.js';
import { wellFormed } from '../../src/manifest/schema.js';
import { freePort } from '../../src/rehearse/ports.js';
import {
  actionsBranchFilter,
  actionsLiteral,
  composeDefault,
  composeLiteral,
  NGINX_DOLLAR_DECLARATION,
  nginxString,
  shellQuote,
  shellWords,
  systemdText,
  toYaml,
} from '../../src/render/escape.js';

const SEED = 20260801;
const RUNS = Number(process.env.STACKPLAN_FUZZ_RUNS ?? 200);

/** Strings people (and attackers) actually write into manifests. */
const NASTY = [
  '',
  ' ',
  'price $5 and ${POSTGRES_PASSWORD}',
  '$HOME $$ $ ${X:-y} ${X:?z} $(id) `id`',
  'it\'s "quoted" \\ back\\slash',
  'line1\nline2\n',
  '\ttab\r\ncrlf',
  '#not a comment',
  '- not a list',
  'yes',
  'on',
  'NO',
  '012',
  '0x1F',
  '1:20',
  '1e3',
  '.inf',
  'null',
  '~',
  '{a: b}',
  '[1, 2]',
  '&anchor *alias !tag %directive @at `tick`',
  '\u2028line separator\u2029paragraph\u0085next line',
  'ünïcödé ✓ 日本語 🚀',
  ';rm -rf / #',
  '${{ secrets.GITHUB_TOKEN }}',
  '%n %i %% specifiers',
  '*?+[]!glob',
  '-rf',
  "'",
  '"',
  '\\',
  '}}{{',
];

/** Any well-formed string (every code point, including controls, surrogate pairs and separators). */
const anyString = fc.string({ unit: 'binary', maxLength: 40 }).filter(wellFormed);
/** One line without control characters: what the schema lets into one-line fields. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the schema's own rule
const ONE_LINE = /^[^\x00-\x1f\x7f\u0085\u2028\u2029]*$/;
const oneLineString = anyString.filter((s) => ONE_LINE.test(s));

function sample(arb: fc.Arbitrary<string>, extra: readonly string[] = NASTY): string[] {
  return [...extra, ...fc.sample(arb, { seed: SEED, numRuns: RUNS })];
}

const tmp = mkdtempSync(path.join(tmpdir(), 'stackplan-escape-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bash: shellQuote', () => {
  const values = sample(anyString.filter((s) => !s.includes('\0'))).filter((s) => !s.includes('\0'));

  it('every value, quoted, passes bash -n and prints back unchanged', () => {
    const script = `set -euo pipefail\nHOME=/nonexistent\n${values.map((v) => `printf '%s\\0' ${shellQuote(v)}`).join('\n')}\n`;
    const file = path.join(tmp, 'roundtrip.sh');
    writeFileSync(file, script);
    const syntax = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
    expect(syntax.stderr).toBe('');
    expect(syntax.status).toBe(0);
    const r = spawnSync('bash', [file], { encoding: 'buffer', env: { PATH: process.env.PATH, LC_ALL: 'C' } });
    expect(r.status, r.stderr.toString()).toBe(0);
    const back = r.stdout.toString('utf8').split('\0').slice(0, -1);
    expect(back.length).toBe(values.length);
    for (const [i, v] of values.entries()) expect(back[i], JSON.stringify(v)).toBe(v);
  });

  it('keeps a command line as the exact argument list', () => {
    const args = values.slice(0, 50);
    const r = spawnSync('bash', ['-c', `printf '%s\\0' ${shellWords(args)}`], { encoding: 'utf8' });
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(args);
  });

  it('refuses NUL, which no bash word can hold', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });
});

/** PyYAML, a YAML 1.1 parser (compose v1 reads compose files with it). */
function pyyaml(text: string): unknown {
  const r = spawnSync(
    'python3',
    ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'],
    {
      input: text,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`PyYAML: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('YAML: toYaml', () => {
  const values = sample(anyString);

  it('every string reads back unchanged with YAML 1.2 and YAML 1.1 rules (yaml), as key, value and list item', () => {
    for (const v of values) {
      const data = { value: v, list: [v, 'x'], nested: { [`k${v}`]: v } };
      const text = toYaml(data, ['a comment']);
      expect(parse(text), JSON.stringify(v)).toEqual(data);
      expect(parse(text, { version: '1.1' }), JSON.stringify(v)).toEqual(data);
    }
  });

  it.skipIf(spawnSync('python3', ['-c', 'import yaml']).status !== 0)(
    'every string reads back unchanged with PyYAML (YAML 1.1)',
    () => {
      const data = Object.fromEntries(values.map((v, i) => [`v${i}`, v]));
      expect(pyyaml(toYaml(data))).toEqual(data);
    },
  );

  it('refuses a comment that would spill onto the next line', () => {
    expect(() => toYaml({}, ['one\nrun: evil'])).toThrow(/one line/);
  });
});

/** The compose-spec interpolation rules: `$$` is `$`; `$NAME`, `${NAME}` and `${NAME<op>…}` are replaced. */
function composeInterpolate(text: string, env: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
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
    const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}/.exec(text.slice(i));
    const bare = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i));
    if (braced) {
      out += env[braced[1]!] ?? braced[3] ?? '';
      i += braced[0].length;
    } else if (bare) {
      out += env[bare[1]!] ?? '';
      i += bare[0].length;
    } else {
      throw new Error(`invalid interpolation format at ${JSON.stringify(text.slice(i, i + 10))}`);
    }
  }
  return out;
}

describe('compose: composeLiteral', () => {
  const values = sample(anyString);
  const env = { HOME: '/root', POSTGRES_PASSWORD: 'SECRET', X: 'x', A: 'a' };

  it('every value survives compose interpolation unchanged (the spec rules), with every variable set', () => {
    for (const v of values) expect(composeInterpolate(composeLiteral(v), env), JSON.stringify(v)).toBe(v);
    // Without escaping, the audit's values fail or change:
    expect(() => composeInterpolate('price $5', env)).toThrow(/invalid interpolation/);
    expect(composeInterpolate('${POSTGRES_PASSWORD}', env)).toBe('SECRET');
  });

  it.skipIf(!which('docker-compose'))(
    'docker-compose reads every value back without substituting anything (compose itself)',
    () => {
      const dir = path.join(tmp, 'compose');
      mkdirSync(dir, { recursive: true });
      // compose v1 prints NEL and U+2028/2029 raw in its own output, which PyYAML then folds: leave
      // them to the YAML round trip above (our file carries them as escapes).
      const batch = values.filter((v) => !/[\0\u0085\u2028\u2029]/.test(v)).slice(0, 120);
      const doc = {
        services: {
          app: {
            image: 'alpine:3.20',
            environment: Object.fromEntries(batch.map((v, i) => [`V${i}`, composeLiteral(v)])),
            command: batch.slice(0, 40).map(composeLiteral),
          },
        },
      };
      writeFileSync(path.join(dir, 'docker-compose.yml'), toYaml(doc));
      const r = spawnSync(
        'docker-compose',
        ['--project-directory', dir, '-f', path.join(dir, 'docker-compose.yml'), 'config'],
        {
          encoding: 'utf8',
          env: { PATH: process.env.PATH, ...env },
        },
      );
      expect(r.stderr.replace(/.*(WARNING|Unable to find|version).*\n?/gi, '')).toBe('');
      expect(r.status).toBe(0);
      // `config` prints the resolved file as a compose file again (with PyYAML: read it back with
      // PyYAML), literal `$` written `$$`.
      const out = pyyaml(r.stdout) as {
        services: { app: { environment: Record<string, string>; command: string[] } };
      };
      for (const [i, v] of batch.entries()) {
        expect(out.services.app.environment[`V${i}`], JSON.stringify(v)).toBe(composeLiteral(v));
      }
      expect(out.services.app.command).toEqual(batch.slice(0, 40).map(composeLiteral));
    },
  );
});

function get(
  port: number,
  p: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          headers: res.headers,
        }),
      );
    })
      .on('error', reject)
      .end();
  });
}

describe('compose: composeDefault', () => {
  it('writes ${KEY:-fallback} for a released tag, and refuses what compose would read as code', () => {
    expect(composeDefault('RELEASE_API', '1.4.2@sha256:abc')).toBe('${RELEASE_API:-1.4.2@sha256:abc}');
    expect(() => composeDefault('RELEASE-API', '1')).toThrow(/not a variable name/);
    expect(() => composeDefault('RELEASE_API', '1}x')).toThrow(/holds \$ or \}/);
    expect(() => composeDefault('RELEASE_API', '$HOME')).toThrow(/holds \$ or \}/);
  });
});

describe.skipIf(!which('nginx'))('nginx: nginxString', () => {
  const values = sample(
    oneLineString,
    NASTY.filter((s) => ONE_LINE.test(s)),
  );

  it('every value, quoted, passes nginx -t and is served back unchanged (return and add_header)', async () => {
    const dir = path.join(tmp, 'nginx');
    for (const d of ['logs', 'tmp']) mkdirSync(path.join(dir, d), { recursive: true });
    const port = await freePort();
    const locations = values.map(
      (v, i) => `        location = /v/${i} { default_type text/plain; return 200 ${nginxString(v)}; }`,
    );
    const headerValue = "default-src 'self'; script-src 'nonce-$abc' \"x\" \\ ${y}";
    const conf = `daemon on;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path ${dir}/tmp/body;
    proxy_temp_path ${dir}/tmp/proxy;
    fastcgi_temp_path ${dir}/tmp/fastcgi;
    uwsgi_temp_path ${dir}/tmp/uwsgi;
    scgi_temp_path ${dir}/tmp/scgi;
    charset utf-8;
${NGINX_DOLLAR_DECLARATION.replace(/^/gm, '    ')}
    server {
        listen 127.0.0.1:${port};
        location = /header { add_header X-Test ${nginxString(headerValue)} always; return 204; }
${locations.join('\n')}
    }
}
${process.getuid?.() === 0 ? 'user nobody nogroup;\n' : ''}`;
    const file = path.join(dir, 'nginx.conf');
    writeFileSync(file, conf);
    const nginx = which('nginx')!;
    const test = spawnSync(nginx, ['-t', '-c', file, '-p', `${dir}/`, '-e', `${dir}/logs/error.log`], {
      encoding: 'utf8',
    });
    expect(test.status, test.stderr).toBe(0);
    const start = spawnSync(nginx, ['-c', file, '-p', `${dir}/`, '-e', `${dir}/logs/error.log`], {
      encoding: 'utf8',
    });
    expect(start.status, start.stderr).toBe(0);
    try {
      for (const [i, v] of values.entries()) {
        const r = await get(port, `/v/${i}`);
        expect(r.status).toBe(200);
        expect(r.body, JSON.stringify(v)).toBe(v);
      }
      const h = await get(port, '/header');
      expect(Buffer.from(String(h.headers['x-test']), 'latin1').toString('utf8')).toBe(headerValue);
    } finally {
      spawnSync(nginx, ['-s', 'stop', '-c', file, '-p', `${dir}/`, '-e', `${dir}/logs/error.log`]);
    }
  });

  it('refuses a line break, which nginx would keep and HTTP cannot carry', () => {
    expect(() => nginxString('a\r\nSet-Cookie: x')).toThrow(/one line/);
  });
});

describe('systemd: systemdText', () => {
  const values = sample(
    oneLineString.filter((s) => !s.endsWith('\\') && s.trim() === s && s !== ''),
    ['%n %i %% 100%', 'app: backup *-*-* 02:00:00 UTC', 'it\'s "quoted" $HOME ${X}'],
  );

  it('doubles every % (the only character systemd resolves in these settings), so it reads back unchanged', () => {
    for (const v of values) expect(systemdText(v).replace(/%%/g, '%'), JSON.stringify(v)).toBe(v);
  });

  it.skipIf(!which('systemd-analyze'))(
    'passes systemd-analyze verify, where the unescaped value fails',
    () => {
      const unit = (description: string) =>
        checkSystemd([
          {
            path: '/etc/systemd/system/probe.service',
            mode: 0o644,
            content: `[Unit]\nDescription=${description}\n\n[Service]\nType=oneshot\nExecStart=/usr/bin/probe\n`,
          },
        ]).findings.join('\n');
      expect(unit('100%z done')).toMatch(/specifier/i);
      expect(unit(systemdText('100%z done'))).toBe('');
      expect(unit(systemdText(values.slice(0, 30).join(' | ')))).toBe('');
    },
  );
});

/** GitHub's expression evaluation as documented: `${{ expr }}` is replaced; only string literals are modelled. */
function evaluateActions(text: string): string {
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_m, expr: string) => {
    const literal = /^\s*'((?:[^']|'')*)'\s*$/.exec(expr);
    if (!literal) throw new Error(`the value holds an expression Actions would evaluate: \${{${expr}}}`);
    return literal[1]!.replace(/''/g, "'");
  });
}

describe('GitHub Actions: actionsLiteral and actionsBranchFilter', () => {
  const values = sample(anyString, [...NASTY, '${{', '${{ github.token }}', '${{${{', '$${{ x }}']);

  it('leaves no expression but the literal "${{" in any value, which evaluates back to the value', () => {
    for (const v of values) expect(evaluateActions(actionsLiteral(v)), JSON.stringify(v)).toBe(v);
    expect(() => evaluateActions('${{ secrets.TOKEN }}')).toThrow();
  });

  it('escapes every glob character of a branch filter', () => {
    /** GitHub's filter syntax, as documented: * ** ? + [] and a leading ! are special; \ escapes. */
    const matchesExactly = (filter: string, branch: string) => {
      let i = 0;
      let out = '';
      while (i < filter.length) {
        if (filter[i] === '\\') {
          out += filter[i + 1];
          i += 2;
        } else if (/[*?+[\]]/.test(filter[i]!) || (i === 0 && filter[i] === '!')) return false;
        else out += filter[i++];
      }
      return out === branch;
    };
    for (const b of ['main', 'release/2.x', 'feat+x', 'a*b', '!not', 'x?y', '[v]', 'a\\b']) {
      expect(matchesExactly(actionsBranchFilter(b), b), b).toBe(true);
    }
  });
});
