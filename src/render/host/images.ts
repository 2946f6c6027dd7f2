/**
 * Pinned versions of what the host runs besides the app: data store images (Docker official
 * images, patch-level tags) and the Docker Compose CLI plugin, which Amazon Linux 2023 does not
 * package (amazonlinux/amazon-linux-2023#186), so it is downloaded by exact version and checked
 * against its published SHA-256. Bump these deliberately; the golden files show every change.
 */

/** PostgreSQL image per supported major version (official image, Alpine variant). */
export const POSTGRES_IMAGES: Record<string, string> = {
  '14': 'postgres:14.20-alpine',
  '15': 'postgres:15.15-alpine',
  '16': 'postgres:16.11-alpine',
  '17': 'postgres:17.7-alpine',
};

export const REDIS_IMAGE = 'redis:7.4.6-alpine';

/**
 * The users the data store images are built with (their Dockerfiles: postgres alpine `postgres`
 * 70:70, redis alpine `redis` 999:1000). Compose starts them as these users from the first process,
 * so the entrypoints never run as root; bootstrap gives them their data directories.
 */
export const DATA_STORE_USERS = {
  postgres: { uid: 70, gid: 70 },
  redis: { uid: 999, gid: 1000 },
} as const;

/**
 * The PostgreSQL client package (pg_dump, pg_restore, psql) installed on the host. A newer
 * pg_dump can dump an older server; AL2023 packages postgresql15, 16 and 17.
 */
export function postgresClientPackage(version: string): string {
  return Number(version) < 15 ? 'postgresql15' : `postgresql${version}`;
}

/** Docker Compose v2 CLI plugin: github.com/docker/compose release assets and their SHA-256. */
export const COMPOSE_PLUGIN = {
  version: '5.1.0',
  sha256: {
    x86_64: '5633cb21e06a7c88c7ca48a9334d3d0f7f892e9605ae9e9a45f9a095d4ffceb8',
    aarch64: 'da671ae15b4d7c68c38b572a2e9ceba89f09657d2682c2d2e34ad6db828e7442',
  },
} as const;
