/**
 * Typed models of the two custom resources the app's objects use, which kubernetes-models does not
 * carry, each with a JSON schema transcribed from the CRD that defines it (validated with ajv in the
 * tests, like the built-in kinds are validated with kubernetes-models' OpenAPI validators):
 *
 * - SecretProviderClass, secrets-store.csi.x-k8s.io/v1: kubernetes-sigs/secrets-store-csi-driver,
 *   deploy/secrets-store.csi.x-k8s.io_secretproviderclasses.yaml (v1.5).
 * - IngressClassParams, elbv2.k8s.aws/v1beta1: kubernetes-sigs/aws-load-balancer-controller,
 *   config/crd/bases/elbv2.k8s.aws_ingressclassparams.yaml (v2.x/v3.x); Auto Mode's
 *   eks.amazonaws.com/v1 IngressClassParams takes the same fields used here, with certificateARNs
 *   in place of certificateArn.
 */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface SecretProviderClass {
  apiVersion: 'secrets-store.csi.x-k8s.io/v1';
  kind: 'SecretProviderClass';
  metadata: ObjectMeta;
  spec: {
    provider: 'aws';
    /** Provider parameters, every value a string (objects is a YAML list in a string). */
    parameters: Record<string, string>;
    secretObjects?: Array<{
      secretName: string;
      type: string;
      labels?: Record<string, string>;
      data: Array<{ objectName: string; key: string }>;
    }>;
  };
}

export interface IngressClassParams {
  apiVersion: 'elbv2.k8s.aws/v1beta1' | 'eks.amazonaws.com/v1';
  kind: 'IngressClassParams';
  metadata: ObjectMeta;
  spec: {
    scheme: 'internet-facing' | 'internal';
    ipAddressType: 'ipv4' | 'dualstack';
    group?: { name: string };
    certificateArn?: string[];
    certificateARNs?: string[];
    sslPolicy: string;
    loadBalancerAttributes: Array<{ key: string; value: string }>;
    tags?: Array<{ key: string; value: string }>;
  };
}

const metaSchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', maxLength: 253 },
    namespace: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const;

export const SECRET_PROVIDER_CLASS_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'secrets-store.csi.x-k8s.io/v1' },
    kind: { const: 'SecretProviderClass' },
    metadata: metaSchema,
    spec: {
      type: 'object',
      required: ['provider'],
      additionalProperties: false,
      properties: {
        provider: { type: 'string' },
        parameters: { type: 'object', additionalProperties: { type: 'string' } },
        secretObjects: {
          type: 'array',
          items: {
            type: 'object',
            required: ['secretName', 'type', 'data'],
            additionalProperties: false,
            properties: {
              secretName: { type: 'string' },
              type: { type: 'string' },
              labels: { type: 'object', additionalProperties: { type: 'string' } },
              annotations: { type: 'object', additionalProperties: { type: 'string' } },
              data: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['objectName', 'key'],
                  additionalProperties: false,
                  properties: { objectName: { type: 'string' }, key: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

const attributeList = {
  type: 'array',
  items: {
    type: 'object',
    required: ['key', 'value'],
    additionalProperties: false,
    properties: { key: { type: 'string' }, value: { type: 'string' } },
  },
} as const;

export const INGRESS_CLASS_PARAMS_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { enum: ['elbv2.k8s.aws/v1beta1', 'eks.amazonaws.com/v1'] },
    kind: { const: 'IngressClassParams' },
    metadata: metaSchema,
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        scheme: { enum: ['internal', 'internet-facing'] },
        ipAddressType: { enum: ['ipv4', 'dualstack', 'dualstack-without-public-ipv4'] },
        group: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', maxLength: 63 },
          },
        },
        certificateArn: { type: 'array', items: { type: 'string' } },
        certificateARNs: { type: 'array', items: { type: 'string' } },
        sslPolicy: { type: 'string' },
        loadBalancerAttributes: attributeList,
        tags: attributeList,
      },
    },
  },
} as const;
