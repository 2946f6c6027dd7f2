/**
 * PostgreSQL extensions an image implies, and where each can run once stackplan takes over the
 * database. stackplan's lean tier runs the official `postgres:<major>-alpine` image (see
 * src/render/host/images.ts), which ships none of them; the ecs and eks tiers run Amazon RDS for
 * PostgreSQL. Each statement cites the page it was checked against (looked up in 2026).
 */

export interface ExtensionSupport {
  /** The extension as `CREATE EXTENSION` names it. */
  sqlName: string;
  /** What the extension is, in a few words. */
  what: string;
  rds: boolean;
  /** One sentence on managed engines, for the report. */
  managed: string;
  sources: string[];
}

const RDS_EXTENSIONS =
  'https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-extensions.html';

export const EXTENSIONS: Record<string, ExtensionSupport> = {
  postgis: {
    sqlName: 'postgis',
    what: 'geospatial types and functions',
    rds: true,
    managed:
      'Amazon RDS for PostgreSQL (ecs, eks) and Aurora PostgreSQL support PostGIS: run CREATE EXTENSION postgis once, e.g. in your migration',
    sources: [
      RDS_EXTENSIONS,
      'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.PostGIS.html',
    ],
  },
  pgvector: {
    sqlName: 'vector',
    what: 'vector similarity search',
    rds: true,
    managed:
      'Amazon RDS for PostgreSQL (ecs, eks) and Aurora PostgreSQL support pgvector: run CREATE EXTENSION vector once, e.g. in your migration',
    sources: [
      RDS_EXTENSIONS,
      'https://aws.amazon.com/about-aws/whats-new/2023/05/amazon-rds-postgresql-pgvector-ml-model-integration/',
    ],
  },
  timescaledb: {
    sqlName: 'timescaledb',
    what: 'time-series hypertables',
    rds: false,
    managed:
      'TimescaleDB is not available on Amazon RDS for PostgreSQL or Aurora (it is not in the RDS extension list): use Timescale Cloud (Tiger Data) or run it yourself, and give its URL as a secret',
    sources: [
      RDS_EXTENSIONS,
      'https://docs.timescale.com/migrate/latest/playbooks/rds-timescale-live-migration/',
    ],
  },
  'pgvecto.rs': {
    sqlName: 'vectors',
    what: 'vector search (pgvecto.rs)',
    rds: false,
    managed:
      'pgvecto.rs is not in the RDS for PostgreSQL extension list: move to pgvector (supported on RDS), or run this database yourself',
    sources: [RDS_EXTENSIONS],
  },
  vectorchord: {
    sqlName: 'vchord',
    what: 'vector search (VectorChord)',
    rds: false,
    managed:
      'VectorChord is not in the RDS for PostgreSQL extension list: move to pgvector (supported on RDS), or run this database yourself',
    sources: [RDS_EXTENSIONS],
  },
  pg_net: {
    sqlName: 'pg_net',
    what: 'HTTP requests from SQL (Supabase)',
    rds: false,
    managed: 'pg_net is not in the RDS for PostgreSQL extension list',
    sources: [RDS_EXTENSIONS],
  },
  pgsodium: {
    sqlName: 'pgsodium',
    what: 'encryption functions (Supabase)',
    rds: false,
    managed: 'pgsodium is not in the RDS for PostgreSQL extension list',
    sources: [RDS_EXTENSIONS],
  },
};

/** What the lean tier can offer: its PostgreSQL image carries only the contrib extensions. */
export const LEAN_EXTENSIONS_NOTE =
  'the lean tier runs the official postgres image, which has none of these extensions: plan with --tier ecs (RDS) for the ones RDS supports';
