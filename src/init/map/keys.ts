/**
 * Every key a compose service may carry (the compose-spec service properties), in one of three
 * classes, Copilot-style: converted (read by the mapping), ignored with a warning that says why,
 * or fatal for a service stackplan would have to run — with what to do instead. A key missing
 * from this table is reported as ignored ("no stackplan equivalent"), never silently dropped.
 */

export type KeyClass = 'converted' | 'ignored' | 'fatal';

export interface KeyRule {
  class: KeyClass;
  /** Why, in one sentence (ignored and fatal). */
  why?: string;
  /** What to do (fatal). */
  fix?: string;
}

const ignored = (why: string): KeyRule => ({ class: 'ignored', why });
const converted: KeyRule = { class: 'converted' };

export const SERVICE_KEYS: Record<string, KeyRule> = {
  image: converted,
  build: converted,
  ports: converted,
  expose: converted,
  command: converted,
  environment: converted,
  env_file: converted,
  healthcheck: converted,
  deploy: converted,
  mem_limit: converted,
  mem_reservation: converted,
  cpus: converted,
  scale: converted,
  depends_on: converted,
  profiles: converted,
  extends: converted,
  labels: converted,
  volumes: converted,
  entrypoint: converted,
  platform: converted,
  restart: ignored('stackplan restarts failed services itself (Docker on lean, ECS on ecs/eks)'),
  logging: ignored('logs go to CloudWatch Logs'),
  networks: ignored(
    'stackplan builds the network: services reach each other and the data stores it declares',
  ),
  links: ignored('stackplan builds the network: services reach each other and the data stores it declares'),
  external_links: ignored(
    'stackplan builds the network: services reach each other and the data stores it declares',
  ),
  network_mode: ignored('stackplan builds the network'),
  container_name: ignored('containers are named by stackplan'),
  hostname: ignored('containers are named by stackplan'),
  domainname: ignored('containers are named by stackplan'),
  mac_address: ignored('addresses come from the VPC'),
  stdin_open: ignored('an interactive terminal is for development'),
  tty: ignored('an interactive terminal is for development'),
  attach: ignored('an interactive terminal is for development'),
  init: ignored('stackplan runs the image as built; add tini to the image if it needs an init process'),
  user: ignored('the image decides the user: set USER in the Dockerfile'),
  group_add: ignored('the image decides the user: set USER in the Dockerfile'),
  working_dir: ignored('the image decides the working directory: set WORKDIR in the Dockerfile'),
  ulimits: ignored('kernel limits are the platform defaults'),
  sysctls: ignored('kernel settings are the platform defaults'),
  shm_size: ignored('the platform default /dev/shm applies'),
  pids_limit: ignored('kernel limits are the platform defaults'),
  oom_kill_disable: ignored('memory limits come from memory:'),
  oom_score_adj: ignored('memory limits come from memory:'),
  mem_swappiness: ignored('containers run without swap'),
  memswap_limit: ignored('containers run without swap'),
  cpu_count: ignored('CPU comes from cpu:'),
  cpu_percent: ignored('CPU comes from cpu:'),
  cpu_shares: ignored('CPU comes from cpu:'),
  cpu_quota: ignored('CPU comes from cpu:'),
  cpu_period: ignored('CPU comes from cpu:'),
  cpu_rt_period: ignored('CPU comes from cpu:'),
  cpu_rt_runtime: ignored('CPU comes from cpu:'),
  cpuset: ignored('CPU comes from cpu:'),
  blkio_config: ignored('disk throughput is the volume type’s'),
  storage_opt: ignored('storage is the platform’s'),
  cgroup: ignored('runtime settings are the platform’s'),
  cgroup_parent: ignored('runtime settings are the platform’s'),
  isolation: ignored('runtime settings are the platform’s'),
  stop_grace_period: ignored('stackplan’s stop timeout applies'),
  stop_signal: ignored('containers get SIGTERM, then SIGKILL'),
  security_opt: ignored('stackplan applies its own container hardening'),
  read_only: ignored(
    'a read-only root filesystem is not a manifest setting yet (a per-service switch is being added): note it for later',
  ),
  cap_drop: ignored('stackplan applies its own container hardening'),
  dns: ignored('the VPC resolver is used'),
  dns_opt: ignored('the VPC resolver is used'),
  dns_search: ignored('the VPC resolver is used'),
  extra_hosts: ignored('names resolve through the VPC resolver; put fixed addresses in env'),
  tmpfs: ignored('scratch space inside the container is ephemeral anyway'),
  develop: ignored('compose watch is for development'),
  pull_policy: ignored('deploys pull the pinned image'),
  pull_refresh_after: ignored('deploys pull the pinned image'),
  annotations: ignored('no stackplan equivalent'),
  label_file: ignored('labels are not used by stackplan'),
  post_start: ignored('lifecycle hooks: run them in the image’s entrypoint'),
  pre_stop: ignored('lifecycle hooks: run them in the image’s entrypoint'),
  credential_spec: ignored('Windows containers only'),
  secrets: ignored('compose secrets are mounted as files; stackplan passes secrets as environment variables'),
  configs: ignored('compose configs are mounted files: bake them into the image or turn them into env'),
  models: ignored('compose models (local AI models) are not deployed; see integrations.bedrock'),
  provider: ignored('compose providers are not deployed'),
  cap_add: ignored('stackplan runs containers with the default capabilities'),
  // Fatal: the service needs the host in a way no tier gives (Fargate refuses these outright).
  privileged: {
    class: 'fatal',
    why: 'privileged containers get every capability of the host; Fargate refuses them and stackplan never runs them',
    fix: 'remove privileged: true (grant only what the service needs, outside stackplan), or run this service elsewhere and keep it out of the compose file you convert',
  },
  devices: {
    class: 'fatal',
    why: 'host devices cannot be passed to containers on Fargate or the managed tiers',
    fix: 'remove devices:, or run this service elsewhere and keep it out of the compose file you convert',
  },
  device_cgroup_rules: {
    class: 'fatal',
    why: 'host devices cannot be passed to containers on Fargate or the managed tiers',
    fix: 'remove device_cgroup_rules:, or run this service elsewhere',
  },
  gpus: {
    class: 'fatal',
    why: 'stackplan has no GPU capacity',
    fix: 'run the GPU service elsewhere (e.g. a model behind integrations.bedrock) and remove gpus:',
  },
  volumes_from: {
    class: 'fatal',
    why: "volumes_from shares another container's volumes, which separate tasks cannot do",
    fix: 'mount what the service needs from the image, an S3 bucket (buckets:) or another store, and remove volumes_from:',
  },
  pid: {
    class: 'fatal',
    why: 'sharing the host’s or another container’s process namespace is not possible on Fargate',
    fix: 'remove pid:',
  },
  ipc: {
    class: 'fatal',
    why: 'sharing the host’s IPC namespace is not possible on Fargate',
    fix: 'remove ipc:',
  },
  uts: {
    class: 'fatal',
    why: 'sharing the host’s UTS namespace is not possible on Fargate',
    fix: 'remove uts:',
  },
  userns_mode: {
    class: 'fatal',
    why: 'the host’s user namespace is not available on Fargate',
    fix: 'remove userns_mode:',
  },
  runtime: {
    class: 'fatal',
    why: 'a custom container runtime (such as nvidia) is not available',
    fix: 'remove runtime: and run this service elsewhere if it needs one',
  },
  use_api_socket: {
    class: 'fatal',
    why: 'the Docker API of the host is not available to services',
    fix: 'remove use_api_socket:',
  },
};

/** Values of keys in the fatal table that are harmless (e.g. `ipc: shareable`). */
export function isFatalValue(key: string, value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 'false') return false;
  if (Array.isArray(value) && value.length === 0) return false;
  switch (key) {
    case 'pid':
    case 'ipc':
    case 'uts':
    case 'userns_mode':
      return value === 'host' || (typeof value === 'string' && /^(service|container):/.test(value));
    case 'runtime':
      return value !== 'runc';
    default:
      return true;
  }
}

/** Capabilities that give a container the host; anything else is just ignored. */
export const HOST_CAPABILITIES = new Set([
  'ALL',
  'SYS_ADMIN',
  'NET_ADMIN',
  'SYS_MODULE',
  'SYS_PTRACE',
  'SYS_RAWIO',
  'SYS_TIME',
  'DAC_READ_SEARCH',
  'SYS_BOOT',
  'MAC_ADMIN',
]);

export const TOP_LEVEL_KEYS: Record<string, string> = {
  version: 'the version key is obsolete in the compose specification',
  name: 'used as the app name',
  networks: 'stackplan builds the network',
  volumes: 'stackplan manages storage for the data stores; app volumes are reported per service',
  secrets: 'compose secrets are mounted files; stackplan passes secrets as environment variables',
  configs: 'compose configs are mounted files: bake them into the image or turn them into env',
  include: 'included projects were read',
  services: 'converted',
  models: 'compose models (local AI models) are not deployed; see integrations.bedrock',
};
