/**
 * The addresses of the VPC's public subnets, computed the way aws-cdk-lib's Vpc allocates them
 * (subnet groups in order — public, private, data — each AZ's subnet the next free block of its
 * size, aligned to that size). The ALB's nodes live in the public subnets, so the NetworkPolicies
 * admit load balancer traffic from exactly these ranges; the stack test checks they equal the VPC's.
 */
import type { EcsNetwork } from '../../../model/ecs.js';

function toInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function subnetCidrs(network: Pick<EcsNetwork, 'cidr' | 'azCount' | 'subnetMasks'>): {
  public: string[];
  private: string[];
  isolated: string[];
} {
  const [base, prefix] = network.cidr.split('/') as [string, string];
  let next = toInt(base);
  const end = next + 2 ** (32 - Number(prefix));
  const group = (mask: number): string[] => {
    const size = 2 ** (32 - mask);
    const out: string[] = [];
    for (let i = 0; i < network.azCount; i++) {
      next = Math.ceil(next / size) * size;
      if (next + size > end) throw new Error(`${network.cidr} has no room for another /${mask}`);
      out.push(`${toIp(next)}/${mask}`);
      next += size;
    }
    return out;
  };
  const m = network.subnetMasks;
  return { public: group(m.public), private: group(m.private), isolated: group(m.isolated) };
}
