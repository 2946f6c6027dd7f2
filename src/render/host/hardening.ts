/**
 * Host hardening: automatic security updates (dnf-automatic) always; an sshd drop-in only when the
 * plan opens SSH (adminCidr), and fail2ban only then, since port 22 is otherwise closed.
 */
import type { Plan } from '../../model/plan.js';
import { commentText } from '../escape.js';
import type { HostFile } from './contract.js';
import { HOST_PATHS, leanOf } from './settings.js';

const HEADER = '# Rendered by stackplan from the plan; do not edit.';

export function renderHardeningFiles(plan: Plan): HostFile[] {
  const lean = leanOf(plan);
  const files: HostFile[] = [
    {
      path: HOST_PATHS.dnfAutomatic,
      mode: 0o644,
      content: `${HEADER}
# dnf-automatic.timer applies security updates daily; nothing reboots on its own.
[commands]
upgrade_type = security
random_sleep = 600
download_updates = yes
apply_updates = yes

[emitters]
emit_via = stdio

[base]
debuglevel = 1
`,
    },
    {
      // AL2023 locks dnf to the AMI's release; security fixes ship in newer releases. On a single
      // host, getting them beats fleet-wide determinism (docs/rehearse.md explains the trade-off).
      path: HOST_PATHS.dnfReleasever,
      mode: 0o644,
      content: 'latest\n',
    },
  ];
  if (lean.ssh.enabled) {
    files.push({
      path: HOST_PATHS.sshdDropIn,
      mode: 0o600,
      content: `${HEADER}
# ${commentText(`SSH is reachable from ${lean.ssh.cidr} only (security group); keys only, no root.`)}
PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitEmptyPasswords no
AuthenticationMethods publickey
MaxAuthTries 3
LoginGraceTime 30
X11Forwarding no
AllowAgentForwarding no
AllowTcpForwarding no
ClientAliveInterval 300
ClientAliveCountMax 2
`,
    });
    files.push({
      path: HOST_PATHS.fail2banJail,
      mode: 0o644,
      content: `${HEADER}
[DEFAULT]
backend = systemd
bantime = 1h
findtime = 10m
maxretry = 5
ignoreip = 127.0.0.1/8 ::1

[sshd]
enabled = true
`,
    });
  }
  return files;
}
