/**
 * stackplan's own rules, one per file: the `stackplan` pack. The order here is the order of
 * RULES.md; a test pins the list of ids.
 */
import { rule as alarmNoAction } from './alarm-no-action.js';
import type { Rule } from './context.js';
import { rule as costGp2 } from './cost-gp2.js';
import { rule as costGraviton } from './cost-graviton.js';
import { rule as costIdleEip } from './cost-idle-eip.js';
import { rule as costLogRetention } from './cost-log-retention.js';
import { rule as costNatPerAz } from './cost-nat-per-az.js';
import { rule as costNonprodMultiAz } from './cost-nonprod-multi-az.js';
import { rule as costPreviousGeneration } from './cost-previous-generation.js';
import { rule as ecrImmutableTags } from './ecr-immutable-tags.js';
import { rule as ecrScanOnPush } from './ecr-scan-on-push.js';
import { rule as elasticacheAuth } from './elasticache-auth.js';
import { rule as imageTag } from './image-tag.js';
import { rule as imdsv2 } from './imdsv2.js';
import { rule as k8sLivenessDeep } from './k8s-liveness-deep.js';
import { rule as k8sPdb } from './k8s-pdb.js';
import { rule as k8sRequests } from './k8s-requests.js';
import { rule as k8sSelectorLabels } from './k8s-selector-labels.js';
import { rule as openAdminPort } from './open-admin-port.js';
import { rule as plainSecretEnv } from './plain-secret-env.js';
import { rule as redisUrlTls } from './redis-url-tls.js';
import { rule as s3Encryption } from './s3-encryption.js';
import { rule as s3PublicAccessBlock } from './s3-public-access-block.js';
import { rule as s3TlsOnly } from './s3-tls-only.js';
import { rule as tlsPolicy } from './tls-policy.js';
import { rule as versionOutOfSupport } from './version-out-of-support.js';
import { rule as versionSupportEnding } from './version-support-ending.js';

export type { Rule } from './context.js';

export const RULES: readonly Rule[] = [
  tlsPolicy,
  imdsv2,
  openAdminPort,
  redisUrlTls,
  elasticacheAuth,
  plainSecretEnv,
  imageTag,
  ecrScanOnPush,
  ecrImmutableTags,
  s3PublicAccessBlock,
  s3Encryption,
  s3TlsOnly,
  alarmNoAction,
  versionOutOfSupport,
  versionSupportEnding,
  k8sSelectorLabels,
  k8sLivenessDeep,
  k8sPdb,
  k8sRequests,
  costGp2,
  costPreviousGeneration,
  costGraviton,
  costNatPerAz,
  costIdleEip,
  costNonprodMultiAz,
  costLogRetention,
];
