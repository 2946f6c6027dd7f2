/**
 * Every block a command prints ends with its newline, so the next output (another command's, or
 * the shell prompt) never starts on its last line — whichever Io prints it.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/cli/commands/validate.js';
import { memoryIo } from '../../src/cli/io.js';
import { formatUserError, UserError } from '../../src/errors.js';

const BIN = path.resolve('bin/stackplan.js');

describe('output ends every block with a newline', () => {
  it.each([
    'test/fixtures/manifests/bad/lean-multi-az.yaml',
    'test/fixtures/manifests/warn/broker-no-root.yaml',
    'examples/gyva-shop/stackplan.yaml',
  ])('validate %s', async (file) => {
    const io = memoryIo();
    await validate({ file }, io);
    for (const chunk of [...io.stdout, ...io.stderr]) expect(chunk.endsWith('\n'), chunk).toBe(true);
  });

  it("a user error's what-to-do block", () => {
    const text = formatUserError(new UserError('x is wrong', { actions: ['fix x', 'stackplan validate x'] }));
    expect(text).toBe('error: x is wrong\nwhat to do:\n  1. fix x\n  2. stackplan validate x\n');
  });

  it('through the built CLI, on stdout and stderr', () => {
    for (const args of [
      ['validate', 'test/fixtures/manifests/bad/lean-multi-az.yaml'],
      ['plan', 'test/fixtures/manifests/bad/lean-multi-az.yaml', '--out', path.join('/tmp', 'never-written')],
    ]) {
      const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(1);
      expect(r.stderr.endsWith('\n') && !r.stderr.endsWith('\n\n'), r.stderr).toBe(true);
      expect(r.stderr).toMatch(/^1 error, \d+ warnings?$/m);
    }
  });
});
