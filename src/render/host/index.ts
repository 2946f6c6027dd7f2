/**
 * Host files of the lean tier, rendered from the plan: pure, deterministic and sorted by path.
 * The lean CDK stack's user data writes exactly these files (path, mode, content) at every boot,
 * then runs BOOTSTRAP_SCRIPT; `stackplan rehearse` and the host checks (src/check/host.ts) run the
 * same files.
 */
import type { Plan } from '../../model/plan.js';
import { renderCloudwatchFiles } from './cloudwatch.js';
import { renderCompose, usesAws } from './compose.js';
import type { HostFile } from './contract.js';
import { renderHardeningFiles } from './hardening.js';
import { renderNginxFiles } from './nginx.js';
import { renderRelayFile } from './relay.js';
import { renderBackup } from './scripts/backup.js';
import { renderBootstrapFile } from './scripts/bootstrap.js';
import { renderLibFiles } from './scripts/common.js';
import {
  renderCertbotHook,
  renderCertificate,
  renderDeploy,
  renderMonitor,
  renderSecrets,
  renderSyncStatic,
  staticServices,
} from './scripts/ops.js';
import { renderRelease } from './scripts/release.js';
import { renderRestore } from './scripts/restore.js';
import { binPath, HOST_PATHS, leanOf } from './settings.js';
import { renderSystemdUnits } from './systemd.js';

export type { HostFile } from './contract.js';

export function renderHostFiles(plan: Plan): HostFile[] {
  const lean = leanOf(plan);
  const files: HostFile[] = [
    { path: lean.host.composeFile, mode: 0o644, content: renderCompose(plan) },
    ...renderNginxFiles(plan),
    ...renderLibFiles(plan),
    renderBootstrapFile(plan),
    { path: binPath('secrets'), mode: 0o755, content: renderSecrets(plan) },
    { path: binPath('monitor'), mode: 0o755, content: renderMonitor(plan) },
    { path: binPath('deploy'), mode: 0o755, content: renderDeploy(plan) },
    { path: binPath('release'), mode: 0o755, content: renderRelease(plan) },
    { path: binPath('certificate'), mode: 0o755, content: renderCertificate(plan) },
    { path: HOST_PATHS.certbotDeployHook, mode: 0o755, content: renderCertbotHook() },
    ...renderSystemdUnits(plan),
    ...renderCloudwatchFiles(plan),
    ...renderHardeningFiles(plan),
  ];
  if (lean.postgres) {
    files.push({ path: binPath('backup'), mode: 0o755, content: renderBackup(plan) });
    files.push({ path: binPath('restore'), mode: 0o755, content: renderRestore(plan) });
  }
  if (staticServices(plan).length > 0) {
    files.push({ path: binPath('syncStatic'), mode: 0o755, content: renderSyncStatic(plan) });
  }
  if (lean.services.some(usesAws)) files.push(renderRelayFile());
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`two host files render ${f.path}`);
    seen.add(f.path);
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Whether a host file is a bash script (checked by shellcheck). */
export function isShellScript(f: HostFile): boolean {
  return f.content.startsWith('#!/usr/bin/env bash') || f.content.startsWith('#!/bin/bash');
}
