import type { InstanceCatalog } from '../../src/plan/index.js';

/**
 * A fixed EC2 catalog for planner tests, independent of the price book: us-east-1 Linux on-demand
 * prices and specs as published by AWS (t3/t3a/t4g baseline shares from the EC2 burstable docs).
 */
export const FIXTURE_CATALOG: InstanceCatalog = {
  ec2Candidates: (region) =>
    region !== 'us-east-1'
      ? []
      : [
          {
            type: 't3.nano',
            vcpu: 2,
            memoryMiB: 512,
            arch: 'x86_64',
            baselinePerVcpu: 0.05,
            hourlyUsd: 0.0052,
          },
          {
            type: 't3.micro',
            vcpu: 2,
            memoryMiB: 1024,
            arch: 'x86_64',
            baselinePerVcpu: 0.1,
            hourlyUsd: 0.0104,
          },
          {
            type: 't3.small',
            vcpu: 2,
            memoryMiB: 2048,
            arch: 'x86_64',
            baselinePerVcpu: 0.2,
            hourlyUsd: 0.0208,
          },
          {
            type: 't3.medium',
            vcpu: 2,
            memoryMiB: 4096,
            arch: 'x86_64',
            baselinePerVcpu: 0.2,
            hourlyUsd: 0.0416,
          },
          {
            type: 't3.large',
            vcpu: 2,
            memoryMiB: 8192,
            arch: 'x86_64',
            baselinePerVcpu: 0.3,
            hourlyUsd: 0.0832,
          },
          {
            type: 't3a.micro',
            vcpu: 2,
            memoryMiB: 1024,
            arch: 'x86_64',
            baselinePerVcpu: 0.1,
            hourlyUsd: 0.0094,
          },
          {
            type: 't3a.small',
            vcpu: 2,
            memoryMiB: 2048,
            arch: 'x86_64',
            baselinePerVcpu: 0.2,
            hourlyUsd: 0.0188,
          },
          {
            type: 't3a.medium',
            vcpu: 2,
            memoryMiB: 4096,
            arch: 'x86_64',
            baselinePerVcpu: 0.2,
            hourlyUsd: 0.0376,
          },
          {
            type: 't4g.nano',
            vcpu: 2,
            memoryMiB: 512,
            arch: 'arm64',
            baselinePerVcpu: 0.05,
            hourlyUsd: 0.0042,
          },
          {
            type: 't4g.micro',
            vcpu: 2,
            memoryMiB: 1024,
            arch: 'arm64',
            baselinePerVcpu: 0.1,
            hourlyUsd: 0.0084,
          },
          {
            type: 't4g.small',
            vcpu: 2,
            memoryMiB: 2048,
            arch: 'arm64',
            baselinePerVcpu: 0.2,
            hourlyUsd: 0.0168,
          },
          {
            type: 't4g.medium',
            vcpu: 2,
            memoryMiB: 4096,
            arch: 'arm64',
            baselinePerVcpu: 0.2,
            hourlyUsd: 0.0336,
          },
          {
            type: 't4g.large',
            vcpu: 2,
            memoryMiB: 8192,
            arch: 'arm64',
            baselinePerVcpu: 0.3,
            hourlyUsd: 0.0672,
          },
          { type: 'm7g.large', vcpu: 2, memoryMiB: 8192, arch: 'arm64', hourlyUsd: 0.0816 },
          { type: 'm7g.xlarge', vcpu: 4, memoryMiB: 16384, arch: 'arm64', hourlyUsd: 0.1632 },
          { type: 'm7i.large', vcpu: 2, memoryMiB: 8192, arch: 'x86_64', hourlyUsd: 0.1008 },
        ],
};
