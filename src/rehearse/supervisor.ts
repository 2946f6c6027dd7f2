/**
 * The rehearsal's process supervisor: what Docker's `restart: unless-stopped` does on the host.
 * Each process runs in its own process group (so a kill takes its children with it), writes to a
 * log file, and is started again after it exits unless it is being stopped.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface SupervisedSpec {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
  logFile: string;
  /** Signal for a clean stop (PostgreSQL: SIGINT, a fast shutdown). @default SIGTERM */
  stopSignal?: NodeJS.Signals;
  /** Delay before a restart. @default 300 ms */
  restartDelayMs?: number;
}

const live = new Set<Supervised>();

/** Last-resort cleanup if the rehearsal itself dies: no process group outlives it. */
process.once('exit', () => {
  for (const s of live) s.killNow();
});

export class Supervised {
  readonly spec: SupervisedSpec;
  restarts = 0;
  private child: ChildProcess | undefined;
  private stopping = false;
  private exitWaiters: Array<() => void> = [];
  private restartTimer: NodeJS.Timeout | undefined;
  /** Every pid this supervisor started (teardown proves none is left). */
  readonly pids: number[] = [];

  constructor(spec: SupervisedSpec) {
    this.spec = spec;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    live.add(this);
    const fd = openSync(this.spec.logFile, 'a');
    try {
      const child = spawn(this.spec.command, this.spec.args, {
        cwd: this.spec.cwd,
        env: this.spec.env ?? process.env,
        detached: true,
        stdio: ['ignore', fd, fd],
        ...(this.spec.uid !== undefined && { uid: this.spec.uid }),
        ...(this.spec.gid !== undefined && { gid: this.spec.gid }),
      });
      this.child = child;
      if (child.pid) this.pids.push(child.pid);
      child.on('error', () => {});
      child.on('exit', () => {
        const waiters = this.exitWaiters;
        this.exitWaiters = [];
        for (const w of waiters) w();
        if (!this.stopping) {
          this.restarts++;
          this.restartTimer = setTimeout(() => {
            if (!this.stopping) this.start();
          }, this.spec.restartDelayMs ?? 300);
        }
      });
    } finally {
      closeSync(fd);
    }
  }

  private waitExit(timeoutMs: number): Promise<boolean> {
    if (!this.running) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.exitWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (!pid) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is already gone
    }
  }

  /** A crash: SIGKILL to the whole process group; the supervisor restarts it. */
  async crash(): Promise<void> {
    this.signalGroup('SIGKILL');
    await this.waitExit(5000);
  }

  /** Stops for good: the stop signal, then SIGKILL after 5 s. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.signalGroup(this.spec.stopSignal ?? 'SIGTERM');
    if (!(await this.waitExit(5000))) {
      this.signalGroup('SIGKILL');
      await this.waitExit(2000);
    }
    live.delete(this);
  }

  /**
   * Hands the running process over to someone else (stackplan-release's runtime): it is no longer
   * restarted when it exits, nor stopped by this supervisor. Its pid stays recorded for teardown.
   */
  detach(): void {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    live.delete(this);
  }

  killNow(): void {
    this.stopping = true;
    this.signalGroup('SIGKILL');
  }

  /** The last lines of the process's log, for failure details. */
  logTail(lines = 15): string {
    try {
      return readFileSync(this.spec.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}

/** Whether a pid (or its process group) still exists. */
export function pidAlive(pid: number): boolean {
  for (const target of [pid, -pid]) {
    try {
      process.kill(target, 0);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EPERM') return true;
    }
  }
  return false;
}
