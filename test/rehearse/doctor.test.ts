import { describe, expect, it } from 'vitest';
import { doctor } from '../../src/cli/commands/doctor.js';
import { memoryIo } from '../../src/cli/io.js';
import { APT_COMMAND, toolStatuses } from '../../src/rehearse/tools.js';

describe('stackplan doctor', () => {
  it('lists what is present and exits 0 when nothing required is missing', async () => {
    const statuses = toolStatuses().map((s) => ({ ...s, found: s.found ?? '/usr/bin/x' }));
    const io = memoryIo();
    expect(await doctor({ statuses }, io)).toBe(0);
    expect(io.text()).toContain('✓ nginx');
    expect(io.text()).toContain('everything rehearse needs is present');
  });

  it('names what is missing with the exact install command, and exits 1', async () => {
    const statuses = toolStatuses().map((s) => {
      const { found: _found, ...rest } = s;
      return s.name === 'redis-server' ? rest : { ...s, found: s.found ?? '/usr/bin/x' };
    });
    const io = memoryIo();
    expect(await doctor({ statuses }, io)).toBe(1);
    expect(io.text()).toContain('✗ redis-server');
    expect(io.text()).toContain('missing: apt-get install -y redis-server');
    expect(io.text()).toContain(APT_COMMAND);
    expect(APT_COMMAND).toBe(
      'apt-get update && apt-get install -y nginx postgresql redis-server awscli shellcheck openssl python3',
    );
  });

  it('prints JSON for scripts', async () => {
    const io = memoryIo();
    await doctor({ format: 'json', statuses: toolStatuses() }, io);
    const parsed = JSON.parse(io.stdout[0]!) as { tools: unknown[]; install: string };
    expect(parsed.install).toBe(APT_COMMAND);
    expect(parsed.tools.length).toBeGreaterThan(8);
  });
});
