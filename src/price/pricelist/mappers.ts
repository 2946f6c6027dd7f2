/**
 * Which Price List products become which price-book items. One mapper per offer code: it looks at
 * a product's family and attributes and names the items it prices (service, item, unit) and from
 * which term (on-demand, or 1-year standard no-upfront reserved). Products no mapper names are
 * ignored: the price book holds what the cost engine queries, not the whole catalogue.
 */
import type { InstanceSpec } from '../book/types.js';
import type { OfferFile, PriceDimension, Product, Term } from './format.js';

export type TermKind = 'on-demand' | 'reserved-1y';

export interface ItemWanted {
  service: string;
  item: string;
  unit: string;
  term: TermKind;
}

export interface SpecSeen {
  kind: 'ec2' | 'rds' | 'elasticache' | 'opensearch';
  spec: Omit<InstanceSpec, 'src'>;
}

export interface OfferMapper {
  items(p: Product): ItemWanted[];
  spec?(p: Product): SpecSeen | undefined;
}

/** `EU-BoxUsage:t3.micro` → `BoxUsage:t3.micro`, `USE2-NatGateway-Hours` → `NatGateway-Hours`. */
export function usageType(p: Product): string {
  return (p.attributes.usagetype ?? '').replace(/^[A-Z]{2,4}\d?-(?=[A-Za-z])/, '');
}

function both(service: string, item: string, unit: string, reservedItem: string): ItemWanted[] {
  return [
    { service, item, unit, term: 'on-demand' },
    { service, item: reservedItem, unit, term: 'reserved-1y' },
  ];
}

function memoryGiB(v: string | undefined): number {
  return Number((v ?? '').replace(/,/g, '').replace(/\s*GiB$/i, ''));
}

function archFromProduct(a: Record<string, string>, type: string): 'x86_64' | 'arm64' {
  if (/graviton/i.test(a.physicalProcessor ?? '')) return 'arm64';
  const family = type.replace(/^(db|cache)\./, '').split('.')[0]!;
  return /^[a-z]+\d+g[a-z]*$/.test(family) ? 'arm64' : 'x86_64';
}

/** AWS's RDS engine names → the engine part of `rds` price items (`instance:<class>:<engine>:<deployment>`). */
export const RDS_ENGINES: Record<string, string> = {
  PostgreSQL: 'postgres',
  MySQL: 'mysql',
  MariaDB: 'mariadb',
  'Aurora PostgreSQL': 'aurora-postgresql',
  'Aurora MySQL': 'aurora-mysql',
};
/** AWS's deployment options → the deployment part of `rds` price items. */
export const RDS_DEPLOYMENTS: Record<string, string> = { 'Single-AZ': 'single-az', 'Multi-AZ': 'multi-az' };

const ec2: OfferMapper = {
  items(p) {
    const a = p.attributes;
    const u = usageType(p);
    const family = p.productFamily ?? '';
    if (family.startsWith('Compute Instance')) {
      const linuxShared =
        a.operatingSystem === 'Linux' &&
        a.tenancy === 'Shared' &&
        a.preInstalledSw === 'NA' &&
        (a.licenseModel ?? 'No License required') === 'No License required' &&
        (a.capacitystatus ?? 'Used') === 'Used' &&
        u.startsWith('BoxUsage:');
      if (!linuxShared || !a.instanceType) return [];
      return both('ec2', `instance:${a.instanceType}`, 'hours', `reserved-1y:${a.instanceType}`);
    }
    if (family === 'NAT Gateway') {
      if (u === 'NatGateway-Hours')
        return [{ service: 'vpc', item: 'nat_gateway_hour', unit: 'NAT gateway-hour', term: 'on-demand' }];
      if (u === 'NatGateway-Bytes')
        return [{ service: 'vpc', item: 'nat_gateway_gb_processed', unit: 'GB', term: 'on-demand' }];
    }
    if (family === 'Storage' && (a.volumeApiName === 'gp3' || a.volumeApiName === 'gp2')) {
      return [{ service: 'ebs', item: `${a.volumeApiName}_gb_month`, unit: 'GB-month', term: 'on-demand' }];
    }
    if (family === 'System Operation' && a.volumeApiName === 'gp3' && u.startsWith('EBS:VolumeP-IOPS')) {
      return [{ service: 'ebs', item: 'gp3_iops_month', unit: 'IOPS-month', term: 'on-demand' }];
    }
    if (family === 'Provisioned Throughput' && a.volumeApiName === 'gp3') {
      return [{ service: 'ebs', item: 'gp3_throughput_month', unit: 'MiB/s-month', term: 'on-demand' }];
    }
    if (family === 'Storage Snapshot' && u === 'EBS:SnapshotUsage') {
      return [{ service: 'ebs', item: 'snapshot_gb_month', unit: 'GB-month', term: 'on-demand' }];
    }
    return [];
  },
  spec(p) {
    const a = p.attributes;
    if (!(p.productFamily ?? '').startsWith('Compute Instance') || !a.instanceType || !a.vcpu)
      return undefined;
    return {
      kind: 'ec2',
      spec: {
        type: a.instanceType,
        vcpu: Number(a.vcpu),
        memoryGiB: memoryGiB(a.memory),
        arch: archFromProduct(a, a.instanceType),
      },
    };
  },
};

const vpc: OfferMapper = {
  items(p) {
    const u = usageType(p);
    if (u === 'VpcEndpoint-Hours')
      return [
        { service: 'vpc', item: 'interface_endpoint_az_hour', unit: 'endpoint-AZ-hour', term: 'on-demand' },
      ];
    if (u === 'VpcEndpoint-Bytes')
      return [{ service: 'vpc', item: 'interface_endpoint_gb_processed', unit: 'GB', term: 'on-demand' }];
    if (u === 'PublicIPv4:InUseAddress')
      return [{ service: 'vpc', item: 'public_ipv4_hour', unit: 'IP-hour', term: 'on-demand' }];
    return [];
  },
};

const rds: OfferMapper = {
  items(p) {
    const a = p.attributes;
    const engine = RDS_ENGINES[a.databaseEngine ?? ''];
    const dep = RDS_DEPLOYMENTS[a.deploymentOption ?? ''];
    if (p.productFamily === 'Database Instance' && engine && dep && a.instanceType) {
      return [
        {
          service: 'rds',
          item: `instance:${a.instanceType}:${engine}:${dep}`,
          unit: 'hours',
          term: 'on-demand',
        },
      ];
    }
    if (p.productFamily === 'Database Storage' && a.databaseEngine === 'PostgreSQL' && dep) {
      const vol =
        a.volumeType === 'General Purpose-GP3'
          ? 'gp3'
          : a.volumeType === 'General Purpose'
            ? 'gp2'
            : undefined;
      if (vol) {
        const item = `${vol}_${dep.replace('-', '_')}_gb_month`;
        return [{ service: 'rds_postgresql_storage', item, unit: 'GB-month', term: 'on-demand' }];
      }
    }
    return [];
  },
  spec(p) {
    const a = p.attributes;
    if (p.productFamily !== 'Database Instance' || !a.instanceType || !a.vcpu) return undefined;
    return {
      kind: 'rds',
      spec: {
        type: a.instanceType,
        vcpu: Number(a.vcpu),
        memoryGiB: memoryGiB(a.memory),
        arch: archFromProduct(a, a.instanceType),
      },
    };
  },
};

const elasticache: OfferMapper = {
  items(p) {
    const a = p.attributes;
    if (p.productFamily !== 'Cache Instance' || !a.instanceType || !a.cacheEngine) return [];
    const e = a.cacheEngine.toLowerCase();
    return both('elasticache', `node:${a.instanceType}:${e}`, 'hours', `reserved-1y:${a.instanceType}:${e}`);
  },
  spec(p) {
    const a = p.attributes;
    if (p.productFamily !== 'Cache Instance' || !a.instanceType || !a.vcpu) return undefined;
    return {
      kind: 'elasticache',
      spec: {
        type: a.instanceType,
        vcpu: Number(a.vcpu),
        memoryGiB: memoryGiB(a.memory),
        arch: archFromProduct(a, a.instanceType),
      },
    };
  },
};

const isOpenSearchInstance = (p: Product) =>
  p.productFamily === 'Amazon OpenSearch Service Instance' || p.productFamily === 'Elastic Search Instance';

const opensearch: OfferMapper = {
  items(p) {
    const a = p.attributes;
    if (isOpenSearchInstance(p) && a.instanceType) {
      return both('opensearch', `instance:${a.instanceType}`, 'hours', `reserved-1y:${a.instanceType}`);
    }
    if (
      p.productFamily === 'Amazon OpenSearch Service Volume' ||
      p.productFamily === 'Elastic Search Volume'
    ) {
      const media = (a.storageMedia ?? '').toLowerCase();
      if (media === 'gp3' || media === 'gp2')
        return [{ service: 'opensearch', item: `${media}_gb_month`, unit: 'GB-month', term: 'on-demand' }];
    }
    return [];
  },
  spec(p) {
    const a = p.attributes;
    if (!isOpenSearchInstance(p) || !a.instanceType || !a.vcpu || a.instanceType.startsWith('ultrawarm'))
      return undefined;
    return {
      kind: 'opensearch',
      spec: {
        type: a.instanceType,
        vcpu: Number(a.vcpu),
        memoryGiB: memoryGiB(a.memoryGib ?? a.memory),
        arch: archFromProduct(a, a.instanceType),
      },
    };
  },
};

const elb: OfferMapper = {
  items(p) {
    const u = usageType(p);
    if (p.productFamily === 'Load Balancer-Application') {
      if (u === 'LoadBalancerUsage')
        return [{ service: 'elb', item: 'alb_hour', unit: 'ALB-hour', term: 'on-demand' }];
      if (u === 'LCUUsage')
        return [{ service: 'elb', item: 'alb_lcu_hour', unit: 'LCU-hour', term: 'on-demand' }];
    }
    if (p.productFamily === 'Load Balancer-Network') {
      if (u === 'LoadBalancerUsage')
        return [{ service: 'elb', item: 'nlb_hour', unit: 'NLB-hour', term: 'on-demand' }];
      if (u === 'LCUUsage')
        return [{ service: 'elb', item: 'nlb_nlcu_hour', unit: 'NLCU-hour', term: 'on-demand' }];
    }
    return [];
  },
};

const FARGATE: Record<string, [string, string]> = {
  'Fargate-vCPU-Hours:perCPU': ['linux_x86_vcpu_hour', 'vCPU-hour'],
  'Fargate-GB-Hours': ['linux_x86_gb_hour', 'GB-hour'],
  'Fargate-ARM-vCPU-Hours:perCPU': ['linux_arm_vcpu_hour', 'vCPU-hour'],
  'Fargate-ARM-GB-Hours': ['linux_arm_gb_hour', 'GB-hour'],
  'Fargate-EphemeralStorage-GB-Hours': ['ephemeral_storage_gb_hour', 'GB-hour'],
};

const ecs: OfferMapper = {
  items(p) {
    const f = FARGATE[usageType(p)];
    return f ? [{ service: 'fargate', item: f[0], unit: f[1], term: 'on-demand' }] : [];
  },
};

export const MAPPERS: Record<string, OfferMapper> = {
  AmazonEC2: ec2,
  AmazonVPC: vpc,
  AmazonRDS: rds,
  AmazonElastiCache: elasticache,
  AmazonES: opensearch,
  AWSELB: elb,
  AmazonECS: ecs,
};

export const DEFAULT_OFFERS = Object.keys(MAPPERS);

/** The USD rate of a term's first price dimension (the `0` range of tiered prices), per hour for reserved. */
function rate(term: Term, kind: TermKind): PriceDimension | undefined {
  const dims = Object.values(term.priceDimensions);
  const usable = dims.filter((d) => d.pricePerUnit?.USD !== undefined && (d.beginRange ?? '0') === '0');
  if (kind === 'reserved-1y') return usable.find((d) => d.unit === 'Hrs');
  return usable[0];
}

function isOneYearNoUpfront(t: Term): boolean {
  const a = t.termAttributes ?? {};
  return (
    a.LeaseContractLength === '1yr' &&
    a.PurchaseOption === 'No Upfront' &&
    (a.OfferingClass ?? 'standard') === 'standard'
  );
}

export interface ExtractedPrice extends ItemWanted {
  usd: number;
  sku: string;
}

/** Every price and spec a mapper recognises in one region's offer file. */
export function extractOffer(
  offer: OfferFile,
  mapper: OfferMapper,
): { prices: ExtractedPrice[]; specs: SpecSeen[] } {
  const prices: ExtractedPrice[] = [];
  const specs: SpecSeen[] = [];
  for (const p of Object.values(offer.products ?? {})) {
    if (!p?.attributes) continue;
    const seen = mapper.spec?.(p);
    if (seen && Number.isFinite(seen.spec.vcpu) && Number.isFinite(seen.spec.memoryGiB)) specs.push(seen);
    for (const want of mapper.items(p)) {
      const terms = Object.values(
        (want.term === 'on-demand' ? offer.terms.OnDemand : offer.terms.Reserved)?.[p.sku] ?? {},
      );
      const term = want.term === 'on-demand' ? terms[0] : terms.find(isOneYearNoUpfront);
      const dim = term && rate(term, want.term);
      if (!dim) continue;
      const usd = Number(dim.pricePerUnit.USD);
      if (!Number.isFinite(usd) || usd < 0) continue;
      prices.push({ ...want, usd, sku: p.sku });
    }
  }
  return { prices, specs };
}
