/** The lean host's CPU architecture: Graviton when every image can run on it. */
import type { Manifest } from '../../../manifest/normalize.js';
import type { Arch } from '../../../model/plan.js';

export function chooseArch(m: Manifest): { arch: Arch; why: string } {
  if (m.arch !== 'auto') return { arch: m.arch, why: `the manifest sets arch: ${m.arch}` };
  const imageServices = m.services.filter((s) => s.image !== undefined);
  const x86Only = imageServices.filter((s) => !s.arm64);
  if (x86Only.length === 0) {
    return {
      arch: 'arm64',
      why:
        imageServices.length === 0
          ? 'every service is built by CI, which can build for arm64: Graviton costs less for the same size'
          : 'every image is published for arm64: Graviton costs less for the same size',
    };
  }
  // Services sharing an image name it once.
  const images = [...new Set(x86Only.map((s) => s.image))];
  return {
    arch: 'x86_64',
    why: `${images.join(', ')} ${images.length === 1 ? 'is' : 'are'} not marked arm64 (set arm64: true on a service whose image is multi-arch to allow Graviton)`,
  };
}
