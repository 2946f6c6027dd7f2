/**
 * build, output and rehearse.cwd stay inside the manifest's repository: CI builds them and syncs
 * the output to the public static bucket, so a path out of it would publish anything on the disk.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/manifest/load.js';
import { repositoryRoot } from '../../src/manifest/paths.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'stackplan-paths-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function manifestIn(dir: string, web: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'stackplan.yaml');
  writeFileSync(
    file,
    `name: shop\ndomain: shop.example.com\nalarmEmail: ops@example.com\nservices:\n  web: {kind: static, ${web}}\n`,
  );
  return file;
}

const errors = (file: string) =>
  loadManifest(file)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.code} ${d.path}`);

describe('paths in the manifest', () => {
  const repo = path.join(tmp, 'repo');
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  mkdirSync(path.join(repo, 'app', 'web', 'dist'), { recursive: true });

  it('find the repository as the nearest directory holding .git, else the manifest directory', () => {
    expect(repositoryRoot(path.join(repo, 'deploy', 'prod'))).toBe(repo);
    expect(repositoryRoot(path.join(tmp, 'loose'))).toBe(path.join(tmp, 'loose'));
  });

  it('may climb out of the manifest directory as long as they stay in the repository', () => {
    expect(errors(manifestIn(path.join(repo, 'deploy'), 'build: ../app/web'))).toEqual([]);
  });

  it('may not leave the repository, by .. or by the default output under a build outside it', () => {
    expect(errors(manifestIn(path.join(repo, 'deploy'), 'build: ../../outside'))).toEqual([
      'path-outside-repository services.web.build',
    ]);
    expect(errors(manifestIn(path.join(repo, 'deploy'), 'build: ../app/web, output: ../../../../x'))).toEqual(
      ['path-outside-repository services.web.output'],
    );
  });

  it('may not leave it through a symbolic link', () => {
    symlinkSync('/etc', path.join(repo, 'app', 'etc-link'));
    expect(errors(manifestIn(path.join(repo, 'deploy'), 'build: ../app/etc-link'))).toEqual([
      'path-outside-repository services.web.build',
    ]);
  });

  it('without .git, stay in the manifest directory', () => {
    expect(errors(manifestIn(path.join(tmp, 'loose'), 'build: ./web'))).toEqual([]);
    expect(errors(manifestIn(path.join(tmp, 'loose'), 'build: ../web'))).toEqual([
      'path-outside-repository services.web.build',
    ]);
  });
});
