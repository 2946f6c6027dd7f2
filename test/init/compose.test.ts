// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} compose interpolation is what these tests are about
/**
 * Reading compose the way docker compose does: interpolation, .env, env_file, merge keys,
 * extends, include, profiles, several -f files, depends_on forms, and schema errors at file:line.
 */
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDotenv } from '../../src/init/compose/dotenv.js';
import { interpolate } from '../../src/init/compose/interpolate.js';
import { locOf } from '../../src/init/compose/located.js';
import { dependsOnMap } from '../../src/init/compose/merge.js';
import { type ComposeService, loadComposeProject } from '../../src/init/compose/project.js';
import { formatDiagnostics } from '../../src/manifest/diagnostics.js';
import { cleanup, project } from './helpers.js';

afterAll(cleanup);

function load(
  files: Record<string, string>,
  opts: { env?: Record<string, string>; profiles?: string[]; use?: string[]; envFiles?: string[] } = {},
) {
  const dir = project(files);
  const r = loadComposeProject(opts.use ?? ['docker-compose.yml'], {
    cwd: dir,
    env: opts.env ?? {},
    ...(opts.profiles && { profiles: opts.profiles }),
    ...(opts.envFiles && { envFiles: opts.envFiles }),
  });
  return { dir, r };
}

function services(
  files: Record<string, string>,
  opts: Parameters<typeof load>[1] = {},
): Map<string, ComposeService> {
  const { r } = load(files, opts);
  if (!r.ok) throw new Error(formatDiagnostics(r.diagnostics));
  return new Map(r.project.services.map((s) => [s.name, s]));
}

function errors(files: Record<string, string>, opts: Parameters<typeof load>[1] = {}): string {
  const { r } = load(files, opts);
  if (r.ok) throw new Error('expected the project to fail');
  return formatDiagnostics(r.diagnostics);
}

describe('interpolation', () => {
  const env = { SET: 'value', EMPTY: '' };
  it.each([
    ['$SET', 'value'],
    ['${SET}', 'value'],
    ['${UNSET:-d}', 'd'],
    ['${EMPTY:-d}', 'd'],
    ['${UNSET-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['$$SET and $${SET}', '$SET and ${SET}'],
    ['${UNSET:-${SET}}', 'value'],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
    ['pre-${SET}-post', 'pre-value-post'],
    ['cost $5', 'cost $5'],
  ])('%s → %s', (text, expected) => {
    expect(interpolate(text, env).value).toBe(expected);
  });

  it('a required variable that is missing is an error; an unset one a warning', () => {
    expect(interpolate('${UNSET:?say why}', env).issues).toEqual([
      { kind: 'required', variable: 'UNSET', message: 'required variable UNSET is not set: say why' },
    ]);
    expect(interpolate('${EMPTY:?}', env).issues[0]?.kind).toBe('required');
    expect(interpolate('${EMPTY?}', env).issues).toEqual([]);
    expect(interpolate('$UNSET', env).issues[0]?.kind).toBe('unset');
  });

  it('reports a missing required variable at its file and line, with what to do', () => {
    const text = errors({
      'docker-compose.yml':
        'services:\n  web:\n    image: nginx:1\n    environment:\n      KEY: ${KEY:?set the key}\n',
    });
    expect(text).toMatch(
      /^docker-compose\.yml:5:12: error \[variable\] services\.web\.environment\.KEY: required variable KEY is not set: set the key/m,
    );
    expect(text).toMatch(/fix: set KEY in the environment or in the \.env file beside the compose file/);
  });

  it('reads the .env beside the first file; the environment wins over it; --env-file replaces it', () => {
    const files = {
      'docker-compose.yml':
        'services:\n  web:\n    image: "nginx:${TAG}"\n    environment:\n      - A=${A}\n',
      '.env': 'TAG=1.25\nA=from-dotenv\n',
      'other.env': 'TAG=1.27\nA=from-other\n',
    };
    expect(services(files).get('web')!.config.image).toBe('nginx:1.25');
    expect(services(files, { env: { A: 'from-shell' } }).get('web')!.env[0]!.value).toBe('from-shell');
    expect(services(files, { envFiles: ['other.env'] }).get('web')!.config.image).toBe('nginx:1.27');
  });
});

describe('.env files', () => {
  it('parses the forms compose accepts', () => {
    const d = parseDotenv(
      [
        '# comment',
        'export A=1',
        'B = spaced  # trailing comment',
        "C='single ${A} # not a comment'",
        'D="double ${A}\\nnext"',
        'E="multi',
        'line"',
        'F=',
        'G',
        'H=${A}-${MISSING:-d}',
        'I=a=b',
      ].join('\n'),
      { G: 'from-env' },
    );
    const m = Object.fromEntries(d.entries.map((e) => [e.name, e.value]));
    expect(m).toEqual({
      A: '1',
      B: 'spaced',
      C: 'single ${A} # not a comment',
      D: 'double 1\nnext',
      E: 'multi\nline',
      F: '',
      G: 'from-env',
      H: '1-d',
      I: 'a=b',
    });
    expect(d.entries.find((e) => e.name === 'E')!.line).toBe(6);
    expect(d.problems).toEqual([]);
  });

  it('reports a line that is not KEY=value', () => {
    expect(parseDotenv('GOOD=1\nthis is not it\n').problems).toEqual([
      { line: 2, kind: 'syntax', message: '"this is not it" is not KEY=value' },
    ]);
  });
});

describe('env_file and environment', () => {
  it('env_file values come first, environment wins, each located where it was written', () => {
    const s = services({
      'docker-compose.yml': [
        'services:',
        '  web:',
        '    image: app:1',
        '    env_file: [base.env, {path: optional.env, required: false}]',
        '    environment:',
        '      - B=compose',
      ].join('\n'),
      'base.env': 'A=file\nB=file\n',
    }).get('web')!;
    expect(s.env.map((e) => [e.name, e.value, `${e.loc?.file}:${e.loc?.line}`])).toEqual([
      ['A', 'file', 'base.env:1'],
      ['B', 'compose', 'docker-compose.yml:6'],
    ]);
    expect(s.envFiles.map((f) => [f.display, f.found, f.required])).toEqual([
      ['base.env', true, true],
      ['optional.env', false, false],
    ]);
  });
});

describe('YAML merge keys', () => {
  it('merges anchors (one or a list), explicit keys win, merged values keep the anchor’s line', () => {
    const s = services({
      'docker-compose.yml': [
        'x-base: &base',
        '  image: app:1',
        '  restart: always',
        'x-env: &env',
        '  environment: {A: "1"}',
        'services:',
        '  web:',
        '    <<: [*base, *env]',
        '    restart: "no"',
      ].join('\n'),
    }).get('web')!;
    expect(s.config.image).toBe('app:1');
    expect(s.config.restart).toBe('no');
    expect(s.env.map((e) => e.name)).toEqual(['A']);
    expect(locOf(s.config, 'image')?.line).toBe(2);
    expect(locOf(s.config, 'restart')?.line).toBe(9);
  });

  it('marks a service other services merge in', () => {
    const s = services({
      'docker-compose.yml':
        'services:\n  base: &base\n    image: app:1\n  web:\n    <<: *base\n    ports: ["80:80"]\n',
    });
    expect(s.get('base')!.mergedIntoOthers).toBe(true);
    expect(s.get('web')!.mergedIntoOthers).toBe(false);
  });
});

describe('extends', () => {
  it('extends a service of the same file and of another file, with paths relative to that file', () => {
    const { r, dir } = load({
      'docker-compose.yml': [
        'services:',
        '  base:',
        '    image: app:1',
        '    environment: {A: "1", B: "1"}',
        '  web:',
        '    extends: base',
        '    environment: {B: "2"}',
        '  worker:',
        '    extends: {file: common/services.yml, service: job}',
      ].join('\n'),
      'common/services.yml':
        'services:\n  job:\n    build: ./job\n    command: run-jobs\n    depends_on: [base]\n',
    });
    if (!r.ok) throw new Error(formatDiagnostics(r.diagnostics));
    const web = r.project.services.find((s) => s.name === 'web')!;
    expect(Object.fromEntries(web.env.map((e) => [e.name, e.value]))).toEqual({ A: '1', B: '2' });
    const worker = r.project.services.find((s) => s.name === 'worker')!;
    expect(worker.config.build).toBe(path.join(dir, 'common', 'job'));
    expect(worker.config.command).toBe('run-jobs');
    expect(worker.config.depends_on).toBeUndefined();
  });

  it('reports an unknown base service and a cycle at the extends line', () => {
    expect(
      errors({ 'docker-compose.yml': 'services:\n  web:\n    image: a:1\n    extends: nope\n' }),
    ).toMatch(
      /docker-compose\.yml:4:5: error \[extends\] services\.web\.extends: extends names service "nope", which this file does not define/,
    );
    expect(
      errors({ 'docker-compose.yml': 'services:\n  a:\n    extends: b\n  b:\n    extends: a\n' }),
    ).toMatch(/extends forms a cycle/);
  });
});

describe('include', () => {
  it('adds the included project’s services, interpolated with its own .env', () => {
    const s = services({
      'docker-compose.yml': 'include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: app:1\n',
      'sub/compose.yaml': 'services:\n  db:\n    image: "postgres:${PG}"\n',
      'sub/.env': 'PG=16\n',
    });
    expect([...s.keys()].sort()).toEqual(['db', 'web']);
    expect(s.get('db')!.config.image).toBe('postgres:16');
    expect(s.get('db')!.includedFrom).toBe(path.join('sub', 'compose.yaml'));
  });

  it('refuses an include that redefines a service', () => {
    expect(
      errors({
        'docker-compose.yml': 'include: [sub.yaml]\nservices:\n  web:\n    image: app:1\n',
        'sub.yaml': 'services:\n  web:\n    image: other:1\n',
      }),
    ).toMatch(
      /docker-compose\.yml:1:\d+: error \[include\] services\.web: service "web" is defined both by this file and by the project it includes/,
    );
  });
});

describe('profiles', () => {
  const files = {
    'docker-compose.yml': [
      'services:',
      '  web: {image: app:1}',
      '  debug: {image: tool:1, profiles: [debug]}',
      '  search: {image: "opensearchproject/opensearch:2.13.0", profiles: [search, full]}',
    ].join('\n'),
  };
  it('sets aside services of inactive profiles, and enables them by --profile, COMPOSE_PROFILES or *', () => {
    const { r } = load(files);
    if (!r.ok) throw new Error('failed');
    expect(r.project.services.map((s) => s.name)).toEqual(['web']);
    expect(r.project.disabled.map((d) => [d.name, d.profiles])).toEqual([
      ['debug', ['debug']],
      ['search', ['search', 'full']],
    ]);
    expect([...services(files, { profiles: ['full'] }).keys()]).toEqual(['web', 'search']);
    expect([...services(files, { env: { COMPOSE_PROFILES: 'debug' } }).keys()]).toEqual(['web', 'debug']);
    expect([...services(files, { profiles: ['*'] }).keys()]).toEqual(['web', 'debug', 'search']);
  });
});

describe('several -f files', () => {
  it('merges as compose does: mappings merge, ports append, command replaces, !reset and !override', () => {
    const s = services(
      {
        'docker-compose.yml': [
          'services:',
          '  web:',
          '    image: app:1',
          '    command: [serve]',
          '    ports: ["8000:8000"]',
          '    environment: [A=1, B=1]',
          '    labels: {keep: "yes", drop: "yes"}',
          '    volumes: ["./data:/data"]',
        ].join('\n'),
        'override.yml': [
          'services:',
          '  web:',
          '    command: [serve, --reload]',
          '    ports: ["9000:9000"]',
          '    environment: {B: "2", C: "3"}',
          '    labels: {drop: !reset null}',
          '    volumes: !override ["cache:/cache"]',
        ].join('\n'),
      },
      { use: ['docker-compose.yml', 'override.yml'] },
    ).get('web')!;
    expect(s.config.command).toEqual(['serve', '--reload']);
    expect(s.config.ports).toEqual(['8000:8000', '9000:9000']);
    expect(Object.fromEntries(s.env.map((e) => [e.name, e.value]))).toEqual({ A: '1', B: '2', C: '3' });
    expect(s.config.labels).toEqual({ keep: 'yes' });
    expect(s.config.volumes).toEqual(['cache:/cache']);
    expect(locOf(s.config, 'command')?.file).toBe('override.yml');
  });

  it('depends_on in either form reads the same', () => {
    expect(dependsOnMap(['db'])).toEqual({ db: { condition: 'service_started' } });
    expect(dependsOnMap({ db: { condition: 'service_healthy' } })).toEqual({
      db: { condition: 'service_healthy' },
    });
  });
});

describe('bad compose files: every problem at its file and line, with a fix', () => {
  it('a YAML syntax error', () => {
    expect(errors({ 'docker-compose.yml': 'services:\n  web:\n    image: [unclosed\n' })).toMatch(
      /^docker-compose\.yml:\d+:\d+: error \[yaml\] YAML syntax: /m,
    );
  });

  it('an unknown key, with the nearest known one', () => {
    const text = errors({
      'docker-compose.yml': 'version: "3.8"\nservices:\n  web:\n    image: app:1\n    prots: ["80:80"]\n',
    });
    expect(text).toMatch(
      /docker-compose\.yml:5:5: error \[compose-schema\] services\.web\.prots: unknown key "prots" \(did you mean "ports"\?\)\n {4}fix: rename "prots" to "ports"/,
    );
  });

  it('a wrong type', () => {
    const text = errors({
      'docker-compose.yml': 'services:\n  web:\n    image: app:1\n    environment: 42\n',
    });
    expect(text).toMatch(
      /docker-compose\.yml:4:5: error \[compose-schema\] services\.web\.environment: must be /,
    );
  });

  it('a missing file, an empty file, a file that is not a mapping', () => {
    expect(errors({ 'other.yml': '' })).toMatch(/docker-compose\.yml: error \[file\] no such file/);
    expect(errors({ 'docker-compose.yml': '' })).toMatch(/the compose file is empty/);
    expect(errors({ 'docker-compose.yml': '- a\n- b\n' })).toMatch(/a compose file must be a mapping/);
  });

  it('an alias bomb stops with a message, not an out-of-memory', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++)
      lines.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(', ')}]`,
      );
    lines.push('services: {web: {image: "app:1"}}');
    expect(errors({ 'docker-compose.yml': lines.join('\n') })).toMatch(/expands to more than 200,000 values/);
  });
});
