/**
 * systemd units of the lean host: the compose stack (exactly the deployed compose file), secrets
 * from SSM, the credentials relay, and the backup, monitor and certificate timers. Script output
 * goes to /var/log/stackplan/*.log, which the CloudWatch agent ships.
 */
import type { Plan } from '../../model/plan.js';
import { systemdExecArg, systemdText } from '../escape.js';
import { usesAws } from './compose.js';
import type { HostFile } from './contract.js';
import { composeArgs } from './scripts/ops.js';
import { binPath, CREDENTIALS_RELAY, HOST_PATHS, leanOf, UNITS } from './settings.js';

function unit(name: string, content: string): HostFile {
  return { path: `${HOST_PATHS.systemd}${name}`, mode: 0o644, content };
}

const HEADER = '# Rendered by stackplan from the plan; do not edit.';

function logTo(name: string): string {
  return `StandardOutput=append:${HOST_PATHS.logs}${name}.log\nStandardError=append:${HOST_PATHS.logs}${name}.log`;
}

export function renderSystemdUnits(plan: Plan): HostFile[] {
  const lean = leanOf(plan);
  const app = plan.manifest.name;
  const compose = composeArgs(plan).map(systemdExecArg).join(' ');
  const relay = lean.services.some(usesAws);
  const files: HostFile[] = [];

  files.push(
    unit(
      UNITS.app,
      `${HEADER}
[Unit]
Description=${systemdText(`${app} containers (docker compose, ${lean.host.composeFile})`)}
Documentation=${systemdText(`file://${lean.host.composeFile}`)}
Requires=docker.service ${UNITS.secrets}
After=docker.service ${UNITS.secrets} network-online.target nginx.service${relay ? ` ${UNITS.relay}` : ''}
Wants=network-online.target nginx.service${relay ? ` ${UNITS.relay}` : ''}
RequiresMountsFor=${systemdText(lean.host.data)}

# The data stores are this compose project; each app service runs in its own release project,
# started on the slot that serves it by stackplan-release --boot.
[Service]
Type=oneshot
RemainAfterExit=yes
WorkingDirectory=${systemdText(lean.host.base)}
ExecStart=${compose} up --detach --remove-orphans --wait
ExecStart=${binPath('release')} --boot
ExecReload=${compose} up --detach --remove-orphans --wait
ExecReload=${binPath('release')} --boot
ExecStop=${compose} stop
TimeoutStartSec=15min
TimeoutStopSec=3min

[Install]
WantedBy=multi-user.target
`,
    ),
  );

  files.push(
    unit(
      UNITS.secrets,
      `${HEADER}
[Unit]
Description=${systemdText(`${app}: write ${lean.host.envFile} from SSM Parameter Store`)}
After=network-online.target${relay ? ` ${UNITS.relay}` : ''}
Wants=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${binPath('secrets')}
Restart=on-failure
RestartSec=30s
${logTo('secrets')}

[Install]
WantedBy=multi-user.target
`,
    ),
  );

  if (relay) {
    const r = CREDENTIALS_RELAY;
    files.push(
      unit(
        UNITS.relay,
        `${HEADER}
[Unit]
Description=${systemdText(`${app}: instance-role credentials for containers at http://${r.address}:${r.port}${r.path}`)}
Documentation=${systemdText(`file://${binPath('relay')}`)}
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
EnvironmentFile=${HOST_PATHS.relayEnv}
Environment=RELAY_ADDRESS=${r.address} RELAY_PORT=${r.port}
# "+": the address is set up with full privileges; the relay itself runs as a dynamic user.
ExecStartPre=-+/usr/sbin/ip link add ${r.interface} type dummy
ExecStartPre=-+/usr/sbin/ip address add ${r.address}/32 dev ${r.interface}
ExecStartPre=+/usr/sbin/ip link set ${r.interface} up
ExecStart=/usr/bin/python3 ${binPath('relay')}
Restart=always
RestartSec=2s
DynamicUser=yes
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
MemoryMax=64M

[Install]
WantedBy=multi-user.target
`,
      ),
    );
  }

  const timer = (name: string, description: string, timerLines: string, service: string) => {
    files.push(
      unit(
        `${name}.timer`,
        `${HEADER}
[Unit]
Description=${systemdText(description)}

[Timer]
${timerLines}

[Install]
WantedBy=timers.target
`,
      ),
    );
    files.push(unit(`${name}.service`, `${HEADER}\n${service}`));
  };

  if (lean.postgres)
    timer(
      UNITS.backup,
      `${app}: backup ${lean.backup.onCalendar} UTC (RPO ${lean.backup.achievedRpoHours} h)`,
      `OnCalendar=${systemdText(lean.backup.onCalendar)}\nPersistent=true\nRandomizedDelaySec=300`,
      `[Unit]
Description=${systemdText(`${app}: back up PostgreSQL to S3`)}
After=${UNITS.app}
Requires=${UNITS.app}
RequiresMountsFor=${systemdText(lean.host.data)}

[Service]
Type=oneshot
ExecStart=${binPath('backup')}
Nice=10
IOSchedulingClass=best-effort
IOSchedulingPriority=7
TimeoutStartSec=2h
${logTo('backup')}
`,
    );

  timer(
    UNITS.monitor,
    `${app}: health check every minute`,
    'OnBootSec=2min\nOnUnitActiveSec=1min\nAccuracySec=5s',
    `[Unit]
Description=${systemdText(`${app}: publish ${lean.metrics.healthOk} and check disk and memory`)}

[Service]
Type=oneshot
ExecStart=${binPath('monitor')}
TimeoutStartSec=50s
${logTo('monitor')}
`,
  );

  timer(
    UNITS.certificate,
    `${app}: issue or renew the Let's Encrypt certificate twice a day`,
    'OnBootSec=1min\nOnCalendar=*-*-* 00/12:00:00\nRandomizedDelaySec=1h\nPersistent=true',
    `[Unit]
Description=${systemdText(`${app}: issue or renew the Let's Encrypt certificate`)}
After=nginx.service network-online.target
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=${binPath('certificate')}
# A first issue fails while DNS still points elsewhere: retry every 15 minutes until it works.
Restart=on-failure
RestartSec=15min
${logTo('certificate')}
`,
  );

  files.push(
    unit(
      'nginx.service.d/stackplan.conf',
      `${HEADER}
# Static bundles live on the data volume; nginx waits for it.
[Unit]
RequiresMountsFor=${systemdText(lean.host.data)}
`,
    ),
  );
  return files;
}
