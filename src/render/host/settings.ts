/**
 * Where things live on the lean host, and the variables that let `stackplan rehearse` run the
 * very same rendered files on a laptop. Every path a host file mentions comes from here (or from
 * the plan's `host` layout), so the renderer, the rehearsal's rebasing and the docs cannot drift.
 */
import { type LeanPlan, type LeanService, leanPlanOf } from '../../model/lean.js';
import type { Plan } from '../../model/plan.js';
import { BOOTSTRAP_SCRIPT, STACK_ENV_FILE } from './contract.js';

/** Fixed host paths that are not part of the plan's layout. */
export const HOST_PATHS = {
  bin: '/opt/stackplan/bin',
  lib: '/opt/stackplan/lib',
  bootstrap: BOOTSTRAP_SCRIPT,
  stackEnv: STACK_ENV_FILE,
  /** Per-boot token shared by the credentials relay and the containers that use AWS. */
  relayEnv: '/etc/stackplan/relay.env',
  /** Secret files, one directory per container that reads them (a symlink to the current set). */
  secrets: '/etc/stackplan/secrets',
  nginxConf: '/etc/nginx/nginx.conf',
  nginxSites: '/etc/nginx/conf.d/',
  nginxSnippets: '/etc/nginx/stackplan/',
  /** One file per proxied service naming the slot serving it (stackplan-release rewrites it). */
  nginxUpstreams: '/etc/nginx/stackplan/upstreams',
  /** Release state and history of each service (on the root volume). */
  releases: '/var/lib/stackplan/releases',
  nginxMimeTypes: '/etc/nginx/mime.types',
  nginxLogs: '/var/log/nginx/',
  nginxPid: '/run/nginx.pid',
  nginxTemp: '/var/lib/nginx/tmp/',
  /** TLS files nginx reads: symlinks to the Let's Encrypt live files, or to a self-signed placeholder. */
  tls: '/etc/stackplan/tls/',
  acmeWebroot: '/var/www/letsencrypt',
  letsencrypt: '/etc/letsencrypt/',
  systemd: '/etc/systemd/system/',
  logs: '/var/log/stackplan/',
  cloudwatchAgentConfig: '/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json',
  dnfAutomatic: '/etc/dnf/automatic.conf',
  dnfReleasever: '/etc/dnf/vars/releasever',
  sshdDropIn: '/etc/ssh/sshd_config.d/10-stackplan.conf',
  fail2banJail: '/etc/fail2ban/jail.d/stackplan.local',
  certbotDeployHook: '/etc/letsencrypt/renewal-hooks/deploy/stackplan-reload-nginx',
} as const;

/** The ECS-style credentials endpoint containers reach (an address the AWS SDKs accept over http). */
export const CREDENTIALS_RELAY = {
  address: '169.254.170.2',
  port: 51679,
  path: '/v1/credentials',
  /** Dummy network interface that carries the address on the host. */
  interface: 'stackplan0',
} as const;

export const RELAY_URI = `http://${CREDENTIALS_RELAY.address}:${CREDENTIALS_RELAY.port}${CREDENTIALS_RELAY.path}`;

/** systemd unit names. */
export const UNITS = {
  app: 'stackplan-app.service',
  secrets: 'stackplan-secrets.service',
  relay: 'stackplan-credentials-relay.service',
  backup: 'stackplan-backup',
  monitor: 'stackplan-monitor',
  certificate: 'stackplan-certificate',
} as const;

/** Script names under HOST_PATHS.bin. */
export const SCRIPTS = {
  bootstrap: 'stackplan-bootstrap',
  secrets: 'stackplan-secrets',
  backup: 'stackplan-backup',
  restore: 'stackplan-restore',
  monitor: 'stackplan-monitor',
  deploy: 'stackplan-deploy',
  release: 'stackplan-release',
  syncStatic: 'stackplan-sync-static',
  certificate: 'stackplan-certificate',
  relay: 'stackplan-credentials-relay',
} as const;

export type ScriptName = keyof typeof SCRIPTS;

export function binPath(name: ScriptName): string {
  return `${HOST_PATHS.bin}/${SCRIPTS[name]}`;
}

/** Setting holding a service's two release slots' first ports ("A B"), read by stackplan-release. */
export function slotsKey(service: string): string {
  return `STACKPLAN_SLOTS_${service.toUpperCase().replace(/-/g, '_')}`;
}

/** A setting a script reads: environment first, then STACK_ENV_FILE, then this default. */
export interface ScriptSetting {
  name: string;
  /** Production default ('' when the value only comes from STACK_ENV_FILE). */
  value: string;
  what: string;
}

/** The lean plan, or a clear error: host files only exist for the lean tier. */
export function leanOf(plan: Plan): LeanPlan {
  const lean = leanPlanOf(plan);
  if (!lean) {
    throw new Error(
      `host files are only rendered for the lean tier, and ${plan.manifest.name} has no lean plan`,
    );
  }
  return lean;
}

/** The API whose health the monitor checks and whose health path nginx exposes: the first api with a port. */
export function primaryApi(lean: LeanPlan): LeanService | undefined {
  return (
    lean.services.find((s) => s.service.kind === 'api' && s.hostPort !== undefined) ??
    lean.services.find((s) => s.hostPort !== undefined && s.service.health !== undefined)
  );
}

/** The documented settings of the host scripts, with production defaults from the plan. */
export function scriptSettings(plan: Plan): ScriptSetting[] {
  const lean = leanOf(plan);
  const api = primaryApi(lean);
  const health = api ? `http://127.0.0.1:${api.hostPort}${api.service.health ?? '/'}` : '';
  const settings: ScriptSetting[] = [
    { name: 'STACK_ENV_FILE', value: HOST_PATHS.stackEnv, what: 'deploy-time values written by user data' },
    {
      name: 'STACKPLAN_ENV_FILE',
      value: lean.host.envFile,
      what: 'app env file: image tags and secret digests, no secret',
    },
    {
      name: 'STACKPLAN_SECRETS_DIR',
      value: HOST_PATHS.secrets,
      what: 'secret files, one directory per container, each readable by its user only',
    },
    {
      name: 'STACKPLAN_SECRETS_CHOWN',
      value: '1',
      what: 'give each directory to its container user (rehearse: 0, the files stay the invoking user’s)',
    },
    {
      name: 'STACKPLAN_RELAY_ENV_FILE',
      value: HOST_PATHS.relayEnv,
      what: 'per-boot credentials relay token',
    },
    { name: 'STACKPLAN_DATA', value: lean.host.data, what: 'mount point of the data volume' },
    { name: 'STACKPLAN_DATA_DEVICE', value: lean.host.dataDevice, what: 'block device of the data volume' },
    { name: 'STACKPLAN_BACKUP_DIR', value: lean.host.backupDir, what: 'local backup staging (data volume)' },
    { name: 'STACKPLAN_STATIC_DIR', value: lean.host.staticDir, what: 'static bundles served by nginx' },
    { name: 'STACKPLAN_LIB', value: HOST_PATHS.lib, what: 'shared shell functions and SQL' },
    { name: 'STACKPLAN_COMPOSE_FILE', value: lean.host.composeFile, what: 'the deployed compose file' },
    { name: 'STACKPLAN_AWS_CLI', value: 'aws', what: 'AWS CLI v2 executable' },
    { name: 'STACKPLAN_S3_ENDPOINT', value: '', what: 'S3 endpoint override (rehearse: s3rver)' },
    { name: 'STACKPLAN_SSM_ENDPOINT', value: '', what: 'SSM endpoint override (rehearse: local fake)' },
    {
      name: 'STACKPLAN_CLOUDWATCH_ENDPOINT',
      value: '',
      what: 'CloudWatch endpoint override (rehearse: local fake)',
    },
    { name: 'PGHOST', value: '127.0.0.1', what: 'PostgreSQL host for backup and restore' },
    { name: 'PGPORT', value: '5432', what: 'PostgreSQL port (compose publishes it on loopback)' },
    { name: 'PGUSER', value: lean.postgres?.user ?? 'app', what: 'PostgreSQL user' },
    { name: 'PGDATABASE', value: lean.postgres?.database ?? '', what: 'the app database' },
    {
      name: 'PGPASSWORD',
      value: '',
      what: 'PostgreSQL password (default: the postgres/POSTGRES_PASSWORD secret file)',
    },
    { name: 'STACKPLAN_REDIS_HOST', value: '127.0.0.1', what: 'Redis host for the snapshot copy' },
    { name: 'STACKPLAN_REDIS_PORT', value: '6379', what: 'Redis port (compose publishes it on loopback)' },
    {
      name: 'STACKPLAN_REDIS_CLI',
      value: '',
      what: 'redis-cli executable (default: first of redis-cli, redis6-cli, valkey-cli)',
    },
    { name: 'STACKPLAN_HEALTH_URL', value: health, what: "the primary API's health endpoint" },
    {
      name: 'STACKPLAN_RUNTIME',
      value: 'docker',
      what: 'what stackplan-release starts services with: docker, or an executable taking the same operations (rehearse: processes)',
    },
    {
      name: 'STACKPLAN_RELEASES_DIR',
      value: HOST_PATHS.releases,
      what: 'release state (tag and slot serving) and history of each service',
    },
    {
      name: 'STACKPLAN_RELEASE_TIMEOUT',
      value: '',
      what: "seconds a new version may take to be healthy, for every service (default: each service's releaseTimeout)",
    },
    {
      name: 'STACKPLAN_RELEASE_DRAIN_SECONDS',
      value: '10',
      what: 'seconds the old version keeps running after nginx switched away from it',
    },
    {
      name: 'STACKPLAN_NGINX_UPSTREAMS',
      value: HOST_PATHS.nginxUpstreams,
      what: 'upstream files stackplan-release rewrites to switch a service',
    },
    {
      name: 'STACKPLAN_NGINX_CONF',
      value: HOST_PATHS.nginxConf,
      what: 'nginx configuration (nginx -t, reload)',
    },
    { name: 'STACKPLAN_NGINX_PREFIX', value: '', what: 'nginx -p prefix (rehearse: its root)' },
    { name: 'STACKPLAN_NGINX_ERROR_LOG', value: '', what: 'nginx -e error log (rehearse: under its root)' },
    ...lean.services
      .filter((s) => s.hostPort !== undefined && s.releasePort !== undefined)
      .map((s) => ({
        name: slotsKey(s.service.name),
        value: `${s.hostPort} ${s.releasePort}`,
        what: `first loopback port of ${s.service.name}'s release slots a and b`,
      })),
    {
      name: 'STACKPLAN_METRICS_NAMESPACE',
      value: lean.metrics.namespace,
      what: 'CloudWatch namespace of the backup and health metrics',
    },
    { name: 'AWS_REGION', value: plan.manifest.region, what: 'region (normally from STACK_ENV_FILE)' },
    {
      name: 'STACKPLAN_APP_POSTGRES_HOST',
      value: 'postgres',
      what: 'PostgreSQL host as the app containers see it',
    },
    {
      name: 'STACKPLAN_APP_POSTGRES_PORT',
      value: '5432',
      what: 'PostgreSQL port as the app containers see it',
    },
    { name: 'STACKPLAN_APP_REDIS_HOST', value: 'redis', what: 'Redis host as the app containers see it' },
    { name: 'STACKPLAN_APP_REDIS_PORT', value: '6379', what: 'Redis port as the app containers see it' },
  ];
  return settings;
}
