/**
 * SP-plain-secret-env: secrets handed to containers and functions as plain environment values
 * end up in the task definition / function configuration, readable by anyone with Describe
 * permissions, in CloudTrail, and in the template itself. Seeds 000, 001, 003 and 004 put
 * passwords and AWS keys in the environment.
 */
import type { Rule } from './context.js';
import { containers } from './workloads.js';

/** Names that hold a secret value. */
const SECRET_NAME =
  /(PASSWORD|PASSWD|PWD|_PASS|SECRET|SECRET_?KEY|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|AUTH_?KEY|SIGNING_?KEY|ENCRYPTION_?KEY|MASTER_?KEY)$|^(AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID|AWS_SESSION_TOKEN|PASSWORD|SECRET)$/i;
/** Names that only point at a secret (an ARN, a name, a path), which is how it should be done. */
const POINTER_NAME =
  /_(ARN|NAME|ID|PATH|FILE|PARAM|PARAMETER|URL_PARAM|REGION|HEADER|FIELD|LENGTH|TTL|EXPIRY|EXPIRES|EXPIRATION|ENABLED|TYPE)$/i;
/** A URL with a password in it: scheme://user:password@host. */
const URL_WITH_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:([^\s@/]+)@/i;

export const rule: Rule = {
  info: {
    id: 'SP-plain-secret-env',
    pack: 'stackplan',
    title: 'Secret in a plain environment variable',
    severity: 'error',
    category: 'security',
    securitySeverity: 8.2,
    resourceTypes: [
      'AWS::ECS::TaskDefinition',
      'AWS::Lambda::Function',
      'AWS::AppRunner::Service',
      'Custom::AWSCDK-EKS-KubernetesResource',
    ],
    what: 'An environment variable of an ECS container, Lambda function, App Runner service or Kubernetes container whose name says it holds a secret (…PASSWORD, …SECRET, …TOKEN, …API_KEY, AWS_SECRET_ACCESS_KEY …) and whose value is written in the template, comes from a parameter or a {{resolve:…}} dynamic reference, or any variable whose value is a URL with a password in it (postgresql://user:password@host).',
    why: 'A plain environment value is stored in the task definition or function configuration: anyone with ecs:DescribeTaskDefinition or lambda:GetFunction reads it, it is logged in CloudTrail and kept in every task definition revision, and a literal one is committed with the template. Long-lived AWS keys in the environment also bypass the role the workload already has.',
    fix: "Store the value in Secrets Manager or SSM Parameter Store (SecureString) and pass it with the container definition's Secrets (CDK: secrets: {NAME: ecs.Secret.fromSecretsManager(…)}), a Lambda that reads it at start, or a Kubernetes secretKeyRef; never pass AWS keys: the task or pod role supplies credentials.",
    references: [
      'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html',
      'https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html',
      'https://cwe.mitre.org/data/definitions/798.html',
    ],
  },
  check(ctx) {
    for (const c of containers(ctx)) {
      for (const e of c.env) {
        const text = ctx.text(e.value);
        const isLiteral = typeof e.value === 'string' || typeof e.value === 'number';
        const fromParameter =
          typeof e.value === 'object' &&
          e.value !== null &&
          typeof (e.value as { Ref?: unknown }).Ref === 'string' &&
          !ctx.refTarget(e.value);
        const dynamic = /\{\{resolve:(secretsmanager|ssm-secure):/.test(text);
        const where = `${c.name}: ${e.name}`;
        if (URL_WITH_PASSWORD.test(text) && !/:\{\?\}@|:\$\{/.test(text)) {
          ctx.report({
            logicalId: c.logicalId,
            path: e.path,
            detail: where,
            message: `${where} is a URL with a password in it: pass the whole URL as a secret`,
          });
          continue;
        }
        if (!SECRET_NAME.test(e.name) || POINTER_NAME.test(e.name)) continue;
        if (isLiteral && text.trim() === '') continue;
        if (isLiteral || fromParameter || dynamic) {
          const how = dynamic
            ? 'resolves a secret into the plain configuration'
            : fromParameter
              ? 'is a template parameter, stored in the plain configuration'
              : 'is written in the template';
          ctx.report({
            logicalId: c.logicalId,
            path: e.path,
            detail: where,
            message: `${where} ${how}: pass it as a secret (ECS Secrets, Secrets Manager, SSM SecureString)${/^AWS_(SECRET_ACCESS_KEY|ACCESS_KEY_ID|SESSION_TOKEN)$/.test(e.name) ? '; better, drop the keys and use the task or function role' : ''}`,
          });
        }
      }
    }
  },
};
