/**
 * The contract between the lean tier's CDK stack and the host files rendered from the plan.
 *
 * Host files are pure text rendered from the plan (so `nginx -t`, shellcheck and `stackplan
 * rehearse` can run them offline). Values only known at deploy time (bucket names, region,
 * parameter paths resolved by CloudFormation) reach the host through one file, STACK_ENV_FILE,
 * written by user data; every script reads its settings from there (or from the environment,
 * which is how rehearse overrides paths, ports and endpoints).
 */

export interface HostFile {
  /** Absolute path on the host, e.g. /etc/nginx/conf.d/app.conf */
  path: string;
  /** Octal file mode, e.g. 0o644; scripts 0o755; secrets never appear in host files. */
  mode: number;
  content: string;
}

export const STACK_ENV_FILE = '/etc/stackplan/stack.env';

/** Keys of STACK_ENV_FILE, written by user data from CloudFormation values. */
export const STACK_ENV_KEYS = {
  AWS_REGION: 'region the stack is deployed in',
  STACKPLAN_APP: 'the app name from the manifest',
  STACKPLAN_STACK: 'CloudFormation stack name',
  BACKUP_BUCKET: 'name of the S3 backup bucket',
  ARTIFACTS_BUCKET:
    'name of the S3 bucket CI uploads static bundles to (empty when the app has no static service)',
  ECR_REGISTRY: 'account ECR registry host (account.dkr.ecr.region.amazonaws.com)',
  PARAM_PREFIX: 'SSM Parameter Store path holding the app parameters and secrets',
  LOG_GROUP: 'CloudWatch Logs group the agent ships host logs to',
} as const;

export type StackEnvKey = keyof typeof STACK_ENV_KEYS;

/**
 * Besides STACK_ENV_KEYS, STACK_ENV_FILE holds one `BUCKET_<KEY>=<bucket name>` line per app bucket
 * the manifest declares (`buckets:`); compose hands it to the services that use buckets.
 */
export const BUCKET_ENV_PATTERN = /^BUCKET_[A-Z][A-Z0-9_]*$/;

/** The script user data runs on every boot, after writing the host files. */
export const BOOTSTRAP_SCRIPT = '/opt/stackplan/bin/stackplan-bootstrap';
