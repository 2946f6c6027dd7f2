/**
 * What the design document says about a lean deployment: the host's containers (drawn inside the
 * instance), the controls the host enforces, backups and the restore script, what happens when the
 * host fails, the runbooks, and how the app's data leaves the host (the upgrade path).
 */
import type {
  DataMove,
  ExtraEdge,
  ExtraNode,
  Step,
  TierDesign,
  TierDesignContext,
} from '../../model/design.js';
import { stackOutput } from '../../model/design.js';
import type { LeanPlan } from '../../model/lean.js';
import { formatHours, type Plan } from '../../model/plan.js';
import { binPath, HOST_PATHS } from '../../render/host/settings.js';

/** nginx in front, the app's services, PostgreSQL and Redis: nodes inside the EC2 instance. */
export function leanContainers(
  lean: LeanPlan,
  template: Record<string, unknown>,
): { extraNodes: ExtraNode[]; extraEdges: ExtraEdge[] } {
  const resources = (template.Resources ?? {}) as Record<string, { Type: string }>;
  const host = Object.keys(resources)
    .sort()
    .find((id) => resources[id]?.Type === 'AWS::EC2::Instance');
  if (!host) return { extraNodes: [], extraEdges: [] };
  const statics = lean.services.filter((s) => s.service.kind === 'static').map((s) => s.service.name);
  const nodes: ExtraNode[] = [
    {
      id: 'c-nginx',
      title: 'nginx',
      subtitle: `TLS, HTTP/2${statics.length ? ` · serves ${statics.join(', ')}` : ''}`,
      category: 'edge',
      inside: host,
      entry: true,
    },
  ];
  const edges: ExtraEdge[] = [];
  for (const s of lean.services) {
    if (s.service.kind === 'static') continue;
    nodes.push({
      id: `c-${s.service.name}`,
      title: s.service.name,
      subtitle: `container · ${s.memoryLimitMiB} MiB${s.copies > 1 ? ` × ${s.copies}` : ''}`,
      category: 'compute',
      inside: host,
    });
    if (s.hostPort !== undefined) edges.push({ from: 'c-nginx', to: `c-${s.service.name}` });
    for (const u of s.service.uses) {
      if ((u === 'postgres' && lean.postgres) || (u === 'redis' && lean.redis))
        edges.push({ from: `c-${s.service.name}`, to: `c-${u}` });
    }
  }
  if (lean.postgres) {
    nodes.push({
      id: 'c-postgres',
      title: 'PostgreSQL',
      subtitle: `${lean.postgres.version} · ${lean.postgres.memoryMiB} MiB`,
      category: 'data',
      inside: host,
    });
  }
  if (lean.redis) {
    nodes.push({
      id: 'c-redis',
      title: 'Redis',
      subtitle: `${lean.redis.maxmemoryMiB} MiB${lean.redis.persistence ? ' · persistent' : ''}`,
      category: 'data',
      inside: host,
    });
  }
  return { extraNodes: nodes, extraEdges: edges };
}

export function leanDesign(plan: Plan, lean: LeanPlan, ctx: TierDesignContext): TierDesign {
  const m = plan.manifest;
  const out = (key: string) => stackOutput(ctx.stackName, m.region, key);
  const session = `aws ssm start-session --region ${m.region} --target ${out('InstanceId')}`;
  const onHost = (say: string, command: string): Step => ({
    say: `${say} (on the host: open a session first, as in the restore procedure)`,
    run: command,
  });
  const b = lean.backup;
  const backupUri = `s3://${out('BackupBucket')}/${b.prefix}`;
  const dataOut: DataMove = {};
  if (lean.postgres) {
    dataOut.postgres = [
      onHost(
        'Stop the app from writing, then take a final backup',
        `sudo docker compose -f ${lean.host.composeFile} stop ${lean.services
          .filter((s) => s.service.kind !== 'static')
          .map((s) => s.service.name)
          .join(' ')}\nsudo ${binPath('backup')}`,
      ),
      {
        say: 'Copy the newest complete backup (its PostgreSQL dump in custom format, with SHA-256 sums) to this machine',
        run: `latest=$(aws s3 ls ${backupUri} | awk '{print $2}' | sort | tail -n 1)\naws s3 cp --recursive ${backupUri}$latest ./lean-backup/\n(cd lean-backup && sha256sum -c SHA256SUMS)\ncp lean-backup/postgres.dump ./postgres.dump`,
      },
    ];
  }
  if (lean.redis) {
    dataOut.redis = lean.redis.persistence
      ? [{ say: 'The final backup holds redis.rdb (a snapshot of the same moment): ./lean-backup/redis.rdb' }]
      : [
          {
            say: `Redis here is a ${lean.redis.role} without persistence: nothing to move; the new tier starts with an empty ${lean.redis.role}`,
          },
        ];
  }
  if (lean.buckets.length) {
    dataOut.buckets = lean.buckets.map((bk) => ({
      say: `Bucket ${bk.key} (${bk.envName}) stays where it is or is copied to the new tier's bucket`,
      run: `aws s3 sync s3://${out(`Bucket${bk.key}`)}/ s3://<new ${bk.key} bucket>/`,
    }));
  }
  return {
    diagram: leanContainers(lean, ctx.template),
    rto: {
      hours: 1,
      basis:
        'EC2 recovers a failed host onto new hardware in minutes (same volumes); losing the data volume means restoring the last backup onto a new host, about an hour by hand',
    },
    enforced: [
      'TLS 1.2 and 1.3 only at nginx (Mozilla intermediate profile), HTTP redirected to HTTPS, HSTS and security headers',
      'IMDSv2 required on the instance (no IMDSv1 token-less metadata reads)',
      lean.ssh.enabled
        ? `SSH open only to ${lean.ssh.cidr} (adminCidr), key-only, fail2ban; AWS Systems Manager sessions for everything else`
        : 'No SSH: port 22 is closed; administration goes through AWS Systems Manager sessions, which are logged',
      `Secrets in SSM Parameter Store under ${lean.params.secrets} (SecureString), written on the host as files only the container that uses them can read (mounted at /run/secrets/), never environment variables, the template or the user data`,
      `The instance role reads exactly ${lean.params.prefix} and writes only its backup prefix; containers get credentials through a per-boot relay, not the instance metadata`,
      'Encrypted EBS volumes and S3 buckets (TLS-only bucket policies, public access blocked), VPC flow logs of rejected traffic',
      'Automatic security updates of the operating system (dnf-automatic)',
    ],
    backups: lean.postgres
      ? [
          {
            what: `PostgreSQL database ${lean.postgres.database}${lean.redis?.persistence ? ' and a Redis snapshot' : ''}: pg_dump in custom format inside one exported snapshot, with that snapshot's row counts and checksums`,
            schedule: `every ${formatHours(b.intervalHours)} (systemd timer, ${b.onCalendar} UTC): RPO ${formatHours(b.achievedRpoHours)}`,
            retention: `${b.retentionDays} days (the bucket's lifecycle rule); the last two also on the data volume`,
            where: `the stack's backup bucket (output BackupBucket), under ${b.prefix}<UTC time>/`,
            verified: `SHA-256 sums uploaded last (a backup without them is incomplete), pg_restore --list before upload, ${lean.metrics.backupSuccess} published; an alarm fires after ${formatHours(b.alarmAfterHours)} without a successful backup`,
          },
        ]
      : [],
    restore: lean.postgres
      ? [
          { say: 'Open a session on the host', run: session },
          {
            say: 'Restore the newest complete backup into a scratch database and verify its row counts and checksums, leaving the live database alone',
            run: `sudo ${binPath('restore')} --dry-run`,
          },
          {
            say: 'Restore it for real: the live database is renamed aside (not dropped) and the verified copy takes its place',
            run: `sudo ${binPath('restore')}`,
          },
          {
            say: `Or a given backup: list them, then pass its key`,
            run: `aws s3 ls ${backupUri}\nsudo ${binPath('restore')} --key ${b.prefix}<UTC time>`,
          },
        ]
      : [],
    failureModes: [
      {
        failure: 'AWS hardware or network fails under the host',
        response:
          'the system status alarm makes EC2 recover the instance onto new hardware: same IP, same volumes',
        recovery: 'minutes',
      },
      {
        failure: 'The operating system stops answering',
        response: 'the instance status alarm reboots it; compose restarts the containers',
        recovery: 'minutes',
      },
      {
        failure: 'The data volume is lost or corrupted',
        response: `restore the last backup (procedure above): data written since it is lost (RPO ${formatHours(b.achievedRpoHours)})`,
        recovery: 'about an hour by hand',
      },
      {
        failure: 'The Availability Zone goes down',
        response:
          'the app is down until the zone returns, or until the stack is deployed in another zone and the last backup restored',
        recovery: 'hours',
      },
      {
        failure: 'A release is broken',
        response:
          'stackplan-release starts it beside the serving version and switches nginx only once its health path answers; a version that never gets healthy is stopped and the old one keeps serving (0 failed requests, rehearsed). A version that passes its health check but misbehaves: stackplan-release --rollback (runbook below)',
        recovery: 'none for a failed health check; seconds for a rollback',
      },
    ],
    runbook: {
      first: [
        {
          say: 'Deploy the stack (the app runs once its images are published; see the CI step)',
          run: `npx aws-cdk deploy --app ${ctx.assemblyDir}`,
        },
        {
          say: `Point ${m.domain} (an A record) at the host's Elastic IP; nginx gets its Let's Encrypt certificate once DNS answers`,
          run: `echo ${out('PublicIp')}`,
        },
        {
          say: 'Put the app secrets into Parameter Store (each one the manifest names)',
          run: `aws ssm put-parameter --region ${m.region} --type SecureString --name ${lean.params.secrets}<NAME> --value '<value>'`,
        },
      ],
      update: [
        {
          say: 'Re-plan after changing the manifest, review the diff, deploy',
          run: `npx aws-cdk diff --app ${ctx.assemblyDir}\nnpx aws-cdk deploy --app ${ctx.assemblyDir}`,
        },
        {
          say: lean.ci
            ? `Ship a new version: a push to ${lean.ci.branch} builds the images tagged with the commit SHA and runs stackplan-release on the host through SSM Run Command (migration first, a new container beside the old one, health-gated nginx switch, the old one drained). By hand, on the host:`
            : 'Ship a new version: push the image tagged with its version, then release it on the host (migration first, a new container beside the old one, health-gated nginx switch, the old one drained; a version that is not healthy is stopped and the old one keeps serving):',
          run: `sudo ${binPath('release')} <service> <tag>`,
        },
      ],
      rollback: [
        {
          say: 'Return a service to the version that served before, the same zero-downtime way (a migration is not undone: migrations must stay backward compatible)',
          run: `sudo ${binPath('release')} --rollback <service>`,
        },
        {
          say: 'Infrastructure: re-plan from the previous manifest (git) and deploy it; CloudFormation rolls back a failed deploy by itself',
        },
      ],
      rotateSecrets: [
        {
          say: 'Write the new value, then apply it on the host: stackplan-deploy rewrites the secret files from Parameter Store and recreates the containers whose secrets changed',
          run: `aws ssm put-parameter --region ${m.region} --overwrite --type SecureString --name ${lean.params.secrets}<NAME> --value '<new value>'\nsudo ${binPath('deploy')}`,
        },
      ],
      destroy: [
        {
          say: 'Take a last backup, then destroy the stack',
          run: `sudo ${binPath('backup')}\nnpx aws-cdk destroy --app ${ctx.assemblyDir}`,
        },
      ],
      survives: [],
    },
    dataOut,
    dataIn: {
      postgres: lean.postgres
        ? [
            {
              say: 'Restore the dump with the restore script (it verifies before it swaps)',
              run: `aws s3 cp --recursive ./lean-backup/ s3://${out('BackupBucket')}/${b.prefix}imported/\nsudo ${binPath('restore')} --key ${b.prefix}imported`,
            },
          ]
        : [],
    },
    dnsTarget: `an A record to the Elastic IP (output PublicIp); paths under ${HOST_PATHS.letsencrypt} renew its certificate`,
  };
}
