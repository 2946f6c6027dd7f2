/**
 * stackplan-bootstrap: what user data runs at every boot after writing the host files. It must be
 * idempotent: packages (skipped when already installed), the data volume (formatted only when
 * blank, mounted by UUID), users and directories, the relay token, secrets, the certificate
 * placeholder, the CloudWatch agent, and every unit enabled and (re)started.
 */
import type { Plan } from '../../../model/plan.js';
import { commentText, shellQuote, shellWords } from '../../escape.js';
import { CLOUDWATCH_TEMPLATE, LOG_GROUP_PLACEHOLDER } from '../cloudwatch.js';
import { usesAws } from '../compose.js';
import type { HostFile } from '../contract.js';
import { COMPOSE_PLUGIN, DATA_STORE_USERS, postgresClientPackage } from '../images.js';
import { binPath, HOST_PATHS, leanOf, UNITS } from '../settings.js';
import { scriptHeader } from './common.js';
import { staticServices } from './ops.js';

/** dnf packages the host needs, from the plan. */
export function hostPackages(plan: Plan): string[] {
  const lean = leanOf(plan);
  const pkgs = [
    'docker',
    'nginx',
    'certbot',
    'amazon-cloudwatch-agent',
    'dnf-automatic',
    'python3',
    'nvme-cli',
    'xfsprogs',
  ];
  if (lean.postgres) pkgs.push(postgresClientPackage(lean.postgres.version));
  if (lean.redis?.persistence) pkgs.push('redis6');
  if (lean.services.some((s) => s.image.kind === 'ecr')) pkgs.push('amazon-ecr-credential-helper');
  return pkgs.sort();
}

/** Units bootstrap enables, in start order. */
export function enabledUnits(plan: Plan): string[] {
  const lean = leanOf(plan);
  const units = ['docker.service'];
  if (lean.services.some(usesAws)) units.push(UNITS.relay);
  units.push(UNITS.secrets, UNITS.app, 'nginx.service', 'amazon-cloudwatch-agent.service');
  if (lean.postgres) units.push(`${UNITS.backup}.timer`);
  units.push(`${UNITS.monitor}.timer`, `${UNITS.certificate}.timer`, 'dnf-automatic.timer');
  if (lean.ssh.enabled) units.push('fail2ban.service');
  return units;
}

export function renderBootstrap(plan: Plan): string {
  const lean = leanOf(plan);
  const h = lean.host;
  const relay = lean.services.some(usesAws);
  const ecr = lean.services.some((s) => s.image.kind === 'ecr');
  const hasStatic = staticServices(plan).length > 0;
  // The data stores run as their images' own users from the first process: they own their data.
  const dataDirs: Array<[string, { uid: number; gid: number }]> = [];
  if (lean.postgres) dataDirs.push(['postgres', DATA_STORE_USERS.postgres]);
  if (lean.redis?.persistence) dataDirs.push(['redis', DATA_STORE_USERS.redis]);
  const units = enabledUnits(plan);
  const timers = units.filter((u) => u.endsWith('.timer'));
  const services = units.filter((u) => !u.endsWith('.timer') && u !== UNITS.app && u !== UNITS.secrets);
  return `${scriptHeader('stackplan-bootstrap', [
    `prepare the lean host of ${plan.manifest.name}; user data runs it at every boot after writing the host files.`,
    'Idempotent: packages, the data volume (formatted only when blank), users, directories, the relay',
    'token, secrets from SSM, the certificate, the CloudWatch agent, and every unit enabled and started.',
  ])}
require_vars AWS_REGION STACKPLAN_APP PARAM_PREFIX LOG_GROUP
state=/var/lib/stackplan
mkdir -p "$state" "${HOST_PATHS.logs}"

# 1. Network: the Elastic IP is associated shortly after boot. S3 (and so dnf's repositories) may
# answer earlier through the VPC's gateway endpoint, so the probe is a host outside AWS that the
# compose plugin download and certbot need anyway.
for attempt in $(seq 1 60); do
  if curl --silent --head --output /dev/null --max-time 5 https://github.com/; then
    break
  fi
  if [[ $attempt -eq 60 ]]; then
    log "warning: no internet after 5 minutes; continuing (steps that need it will say so)"
    break
  fi
  sleep 5
done

# 2. Packages, installed once per package list.
packages=(${shellWords(hostPackages(plan))})
marker="$state/packages-$(printf '%s\\n' "\${packages[@]}" | sha256sum | cut -c 1-16)"
if [[ ! -f "$marker" ]]; then
  dnf install --assumeyes --quiet "\${packages[@]}"
  touch "$marker"
fi

# Docker Compose v2 plugin: not packaged for Amazon Linux 2023; pinned release, SHA-256 checked.
plugin=/usr/local/lib/docker/cli-plugins/docker-compose
case "$(uname -m)" in
x86_64) plugin_arch=x86_64 plugin_sha=${COMPOSE_PLUGIN.sha256.x86_64} ;;
aarch64) plugin_arch=aarch64 plugin_sha=${COMPOSE_PLUGIN.sha256.aarch64} ;;
*) die "unsupported architecture $(uname -m)" ;;
esac
if ! printf '%s  %s\\n' "$plugin_sha" "$plugin" | sha256sum --check --status 2>/dev/null; then
  mkdir -p "\${plugin%/*}"
  download="$(mktemp)"
  curl --fail --silent --show-error --location --retry 5 --output "$download" \\
    "https://github.com/docker/compose/releases/download/v${COMPOSE_PLUGIN.version}/docker-compose-linux-$plugin_arch"
  printf '%s  %s\\n' "$plugin_sha" "$download" | sha256sum --check --strict --quiet ||
    die "docker compose ${COMPOSE_PLUGIN.version} failed its checksum"
  install -m 0755 "$download" "$plugin"
  rm -f -- "$download"
fi

# 3. Data volume: ${h.dataDevice} (an NVMe device on Nitro), formatted only when it holds nothing.
resolve_data_device() {
  local want="\${STACKPLAN_DATA_DEVICE##*/}" dev name
  for _ in $(seq 1 60); do
    for dev in "/dev/$want" "/dev/xvd\${want#sd}"; do
      if [[ -b "$dev" ]]; then
        readlink -f "$dev"
        return 0
      fi
    done
    for dev in /dev/nvme*n1; do
      [[ -b "$dev" ]] || continue
      name="$(ebsnvme-id -b "$dev" 2>/dev/null || true)"
      if [[ "\${name##*/}" == "$want" ]]; then
        printf '%s\\n' "$dev"
        return 0
      fi
    done
    sleep 5
  done
  return 1
}
device="$(resolve_data_device)" || die "data volume $STACKPLAN_DATA_DEVICE did not appear within 5 minutes"
if ! blkid --probe "$device" >/dev/null 2>&1; then
  log "formatting blank data volume $device"
  mkfs.xfs -q -L stackplan-data "$device"
fi
uuid="$(blkid --match-tag UUID --output value "$device")"
[[ -n "$uuid" ]] || die "$device has no filesystem UUID"
fstab_line="UUID=$uuid $STACKPLAN_DATA xfs defaults,nofail,noatime,x-systemd.device-timeout=5min 0 2"
if ! grep --quiet --fixed-strings --line-regexp "$fstab_line" /etc/fstab; then
  grep --invert-match --fixed-strings " $STACKPLAN_DATA " /etc/fstab >"$state/fstab.new" || true
  printf '%s\\n' "$fstab_line" >>"$state/fstab.new"
  cat "$state/fstab.new" >/etc/fstab
  systemctl daemon-reload
fi
mkdir -p "$STACKPLAN_DATA"
mountpoint --quiet "$STACKPLAN_DATA" || mount "$STACKPLAN_DATA"

# 4. Users and directories.
if ! id ${h.user} >/dev/null 2>&1; then
  useradd --system --no-create-home --home-dir ${h.base} --shell /sbin/nologin ${h.user}
fi
install -d -m 0700 "$STACKPLAN_BACKUP_DIR"
# own_tree DIR UID GID: DIR and all it holds owned by UID:GID (data written by an older, root-run
# container is handed over once; later boots find nothing to change).
own_tree() {
  install -d -m 0700 -o "$2" -g "$3" "$1"
  find "$1" \\( \\! -user "$2" -o \\! -group "$3" \\) -exec chown -h "$2:$3" {} +
}
${dataDirs.map(([dir, u]) => `own_tree "$STACKPLAN_DATA"/${shellQuote(dir)} ${u.uid} ${u.gid}`).join('\n')}
install -d -m 0755 -o ${h.user} -g ${h.user} "$STACKPLAN_STATIC_DIR"
install -d -m 0755 ${HOST_PATHS.acmeWebroot} ${HOST_PATHS.nginxTemp} ${HOST_PATHS.tls}
install -d -m 0750 ${h.etc}
${
  relay
    ? `
# 5. Credentials relay: a new token every boot, shared by the relay and the containers that call AWS.
(
  umask 077
  printf 'RELAY_TOKEN=%s\\n' "$(openssl rand -hex 32)" >"$STACKPLAN_RELAY_ENV_FILE.new"
  mv -f -- "$STACKPLAN_RELAY_ENV_FILE.new" "$STACKPLAN_RELAY_ENV_FILE"
)
`
    : ''
}${
  ecr
    ? `
# ECR pulls authenticate through the instance role (amazon-ecr-credential-helper).
require_vars ECR_REGISTRY
install -d -m 0700 /root/.docker
printf '{"credHelpers": {"%s": "ecr-login"}}\\n' "$ECR_REGISTRY" >/root/.docker/config.json
`
    : ''
}
# 6. TLS placeholder so nginx starts before Let's Encrypt has issued the certificate.
"${binPath('certificate')}" --placeholder

# 7. CloudWatch agent: the rendered template with the stack's log group.
sed "s|${LOG_GROUP_PLACEHOLDER}|$LOG_GROUP|g" ${CLOUDWATCH_TEMPLATE} >${HOST_PATHS.cloudwatchAgentConfig}
/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s \\
  -c "file:${HOST_PATHS.cloudwatchAgentConfig}" >/dev/null
${
  lean.ssh.enabled
    ? `
# ${commentText(`8. SSH is open to ${lean.ssh.cidr}: hardened sshd, and fail2ban where the repositories have it.`)}
sshd -t
systemctl reload sshd
if ! rpm --quiet --query fail2ban; then
  dnf install --assumeyes --quiet fail2ban ||
    { dnf install --assumeyes --quiet spal-release && dnf install --assumeyes --quiet fail2ban; } ||
    log ${shellQuote(`warning: fail2ban is not available from the configured repositories; SSH stays limited to ${lean.ssh.cidr}`)}
fi
`
    : ''
}
# 9. Units: enable everything, then (re)start so this boot's token, secrets and files are used.
nginx -t -q
systemctl daemon-reload
systemctl enable ${shellWords(units.filter((u) => u !== 'fail2ban.service'))}
${lean.ssh.enabled ? 'if rpm --quiet --query fail2ban; then systemctl enable --now fail2ban.service; fi\n' : ''}systemctl start ${shellWords(services.filter((u) => u !== 'fail2ban.service'))}
systemctl reload nginx
${relay ? `systemctl restart ${UNITS.relay}\n` : ''}systemctl restart ${UNITS.secrets}
systemctl reload-or-restart ${UNITS.app}
systemctl start ${shellWords(timers)}
${
  hasStatic
    ? `
# 10. Static bundles (CI may not have uploaded one yet on the very first boot).
"${binPath('syncStatic')}" || log "warning: static bundles not installed yet; CI deploys them with ${binPath('deploy')}"
`
    : ''
}
# 11. The real certificate: issued in the background (DNS may still be propagating; the unit retries).
systemctl start --no-block ${UNITS.certificate}.service
log "bootstrap complete"
`;
}

export function renderBootstrapFile(plan: Plan): HostFile {
  return { path: binPath('bootstrap'), mode: 0o755, content: renderBootstrap(plan) };
}
