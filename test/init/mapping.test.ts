/**
 * One test (or a few) per mapping rule: given a small compose file, what the manifest says, and
 * what the report says about what was converted, ignored, needs attention, or is fatal.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { formatUserError } from '../../src/errors.js';
import { checked } from '../../src/init/index.js';
import { UNPINNED_TAG } from '../../src/init/map/index.js';
import { cleanup, conversionError, convert } from './helpers.js';

afterAll(cleanup);

const web = (extra = '') => `  web:\n    image: ghcr.io/acme/web:1.2.3\n    ports: ["8000:8000"]\n${extra}`;

describe('data stores', () => {
  it.each([
    ['postgres:15-alpine', '15', []],
    ['docker.io/library/postgres:16.4', '16', []],
    ['postgis/postgis:16-3.4', '16', ['postgis']],
    ['pgvector/pgvector:pg17', '17', ['pgvector']],
    ['timescale/timescaledb:latest-pg15', '15', ['timescaledb']],
    ['timescale/timescaledb-ha:pg16', '16', ['timescaledb']],
  ])('%s → postgres version %s, extensions %j', (image, version, extensions) => {
    const r = convert(`services:\n${web()}  db:\n    image: ${image}\n`);
    expect(r.manifest.postgres.version).toBe(version);
    const ext = r.lines('attention').filter((l) => /extension/.test(l));
    expect(ext.length).toBe(extensions.length);
    for (const e of extensions) expect(ext.join('\n')).toContain(`the ${e} extension`);
  });

  it('an extension RDS supports moves the app to ecs, and says where to enable it; timescaledb is not on RDS', () => {
    const vector = convert(`services:\n${web()}  db:\n    image: pgvector/pgvector:pg16\n`);
    expect(vector.manifest.tier).toBe('ecs');
    expect(vector.lines('attention').join('\n')).toMatch(
      /Amazon RDS for PostgreSQL \(ecs, eks\) and Aurora PostgreSQL support pgvector: run CREATE EXTENSION vector/,
    );
    const ts = convert(`services:\n${web()}  db:\n    image: timescale/timescaledb:2.14.2-pg16\n`);
    expect(ts.manifest.tier).toBeUndefined();
    expect(ts.lines('attention').join('\n')).toMatch(
      /TimescaleDB is not available on Amazon RDS for PostgreSQL or Aurora/,
    );
  });

  it('versions stackplan does not run become the nearest one, loudly', () => {
    const old = convert(`services:\n${web()}  db:\n    image: postgres:12\n`);
    expect(old.manifest.postgres.version).toBe('14');
    expect(old.lines('attention').join('\n')).toMatch(
      /PostgreSQL 12 \(postgres:12\) is not a version stackplan runs: the manifest says 14/,
    );
    const latest = convert(`services:\n${web()}  db:\n    image: postgres\n`);
    expect(latest.manifest.postgres.version).toBe('17');
  });

  it('the database name comes from POSTGRES_DB, else POSTGRES_USER; the password is never kept', () => {
    const r = convert(
      `services:\n${web()}  db:\n    image: postgres:16\n    environment: {POSTGRES_USER: shop, POSTGRES_PASSWORD: hunter22}\n`,
    );
    expect(r.manifest.postgres.database).toBe('shop');
    expect(r.text).not.toContain('hunter22');
  });

  it.each([
    ['redis:7', 'valkey comment'],
    ['valkey/valkey:8', ''],
    ['eqalpha/keydb:6.3.4', 'keydb'],
    ['redis/redis-stack:7.4.0-v1', 'redis-stack'],
  ])('%s → redis', (image, note) => {
    const r = convert(`services:\n${web()}  cache:\n    image: ${image}\n`);
    expect(r.manifest.redis).toEqual({ role: 'cache', persistence: false });
    if (note === 'keydb' || note === 'redis-stack')
      expect(r.lines('attention').join('\n')).toContain(`is ${note}`);
  });

  it('Redis is a broker, persistent, when a Celery/Sidekiq/RQ/BullMQ worker queues jobs in it', () => {
    for (const cmd of [
      'celery -A app worker',
      'bundle exec sidekiq',
      'rq worker high default',
      'python manage.py rqworker',
    ]) {
      const r = convert(
        `services:\n${web()}  worker:\n    image: ghcr.io/acme/web:1.2.3\n    command: ${cmd}\n  redis:\n    image: redis:7\n`,
      );
      expect(r.manifest.redis, cmd).toEqual({ role: 'broker', persistence: true });
      expect(r.manifest.services.worker.kind, cmd).toBe('worker');
    }
  });

  it('cache and broker when something also caches in it; --appendonly and --maxmemory are read', () => {
    const r = convert(
      `services:\n${web('    environment: [CACHE_URL=redis://redis:6379/1]\n')}  worker:\n    image: ghcr.io/acme/web:1.2.3\n    command: celery -A app worker\n  redis:\n    image: redis:7\n    command: redis-server --appendonly yes --maxmemory 256mb\n`,
    );
    expect(r.manifest.redis).toEqual({ role: 'cache-and-broker', persistence: true, memoryMb: 256 });
  });

  it('Elasticsearch and OpenSearch → search; Elasticsearch 8 gets a client note', () => {
    const os = convert(`services:\n${web()}  search:\n    image: opensearchproject/opensearch:2.13.0\n`);
    expect(os.manifest.search).toBe(true);
    const es = convert(
      `services:\n${web()}  es:\n    image: docker.elastic.co/elasticsearch/elasticsearch:8.14.3\n`,
    );
    expect(es.manifest.search).toBe(true);
    expect(es.lines('attention').join('\n')).toMatch(/OpenSearch speaks the Elasticsearch 7\.10 API/);
  });

  it('MinIO → buckets named by the app’s bucket settings', () => {
    const r = convert(
      `services:\n${web('    environment: [AWS_STORAGE_BUCKET_NAME=media, AWS_S3_ENDPOINT_URL=http://minio:9000]\n')}  minio:\n    image: minio/minio:RELEASE.2024-01-01T00-00-00Z\n`,
    );
    expect(r.manifest.buckets).toEqual({ media: {} });
    expect(r.manifest.services.web.env).toBeUndefined();
  });

  it('stores stackplan does not run are reported, not converted', () => {
    const r = convert(
      `services:\n${web()}  mysql:\n    image: mysql:8\n  mq:\n    image: rabbitmq:3-management\n`,
    );
    expect(r.manifest.services).toEqual({ web: expect.any(Object) });
    expect(r.lines('attention')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^mysql: MySQL\/MariaDB \(mysql:8\): stackplan does not run it/),
        expect.stringMatching(/^mq: RabbitMQ/),
      ]),
    );
  });

  it('a second PostgreSQL or Redis is folded into the one stackplan runs, with a note', () => {
    const r = convert(
      `services:\n${web()}  db:\n    image: postgres:16\n  analytics-db:\n    image: postgres:16\n  redis:\n    image: redis:7\n  redis-cache:\n    image: redis:7\n`,
    );
    expect(r.lines('attention').join('\n')).toMatch(/analytics-db: a second PostgreSQL server/);
    expect(r.lines('attention').join('\n')).toMatch(/redis-cache: a second Redis/);
  });
});

describe('services', () => {
  it('one service with published ports: an api at /, port from the container side', () => {
    const r = convert(`services:\n  app:\n    build: .\n    ports: ["127.0.0.1:8080:3000"]\n`);
    expect(r.manifest.services.app).toMatchObject({ kind: 'api', build: '.', port: 3000, route: '/' });
  });

  it.each([
    ['"3000"', 3000],
    ['"8080:80/tcp"', 80],
    ['"[::1]:8443:443"', 443],
    ['{target: 9000, published: 80}', 9000],
    ['"7000-7002:7000-7002"', 7000],
  ])('port %s → %d', (port, expected) => {
    expect(
      convert(`services:\n  app:\n    image: a/b:1\n    ports: [${port}]\n`).manifest.services.app.port,
    ).toBe(expected);
  });

  it('a frontend and an api: the frontend at /, the api at /api/', () => {
    const r = convert(
      `services:\n  frontend:\n    image: ghcr.io/acme/ui:2.0.0\n    ports: ["3000:3000"]\n  api:\n    build: ./api\n    ports: ["8000:8000"]\n`,
    );
    expect(r.manifest.services.frontend).toMatchObject({ kind: 'frontend', route: '/' });
    expect(r.manifest.services.api).toMatchObject({ kind: 'api', build: './api', route: '/api/' });
  });

  it('a static site: a Dockerfile that serves a built folder from nginx', () => {
    const r = convert(`services:\n  web:\n    build: ./web\n    ports: ["80:80"]\n`, {
      'web/Dockerfile':
        'FROM node:22 AS build\nWORKDIR /src\nCOPY . .\nRUN npm ci && npm run build\nFROM nginx:1.27\nCOPY --from=build /src/build /usr/share/nginx/html\n',
    });
    expect(r.manifest.services.web).toEqual({ kind: 'static', build: './web', output: 'build', route: '/' });
  });

  it('the same image without ports running a worker command → worker; its command is kept', () => {
    const r = convert(
      `services:\n${web()}  jobs:\n    image: ghcr.io/acme/web:1.2.3\n    command: ["bundle", "exec", "sidekiq"]\n`,
    );
    expect(r.manifest.services.jobs).toEqual({
      kind: 'worker',
      image: 'ghcr.io/acme/web:1.2.3',
      command: ['bundle', 'exec', 'sidekiq'],
    });
  });

  it('a command string is split like a shell would, without expansion', () => {
    const r = convert(
      `services:\n${web()}  jobs:\n    image: ghcr.io/acme/web:1.2.3\n    command: sh -c "celery -A app worker --concurrency=2 && echo 'done'"\n`,
    );
    expect(r.manifest.services.jobs.command).toEqual([
      'sh',
      '-c',
      "celery -A app worker --concurrency=2 && echo 'done'",
    ]);
  });

  it('build: wins over image: (CI builds and pushes it); an image alone is kept as pinned', () => {
    const r = convert(
      `services:\n  app:\n    image: registry.example.com/app:7\n    build: {context: ./src}\n    ports: ["80:80"]\n`,
    );
    expect(r.manifest.services.app.build).toBe('./src');
    expect(r.manifest.services.app.image).toBeUndefined();
  });

  it(':latest and untagged images are flagged, with a tag that cannot be mistaken for a version', () => {
    for (const image of ['acme/app:latest', 'acme/app']) {
      const r = convert(`services:\n  app:\n    image: ${image}\n    ports: ["80:80"]\n`);
      expect(r.manifest.services.app.image).toBe(`acme/app:${UNPINNED_TAG}`);
      expect(r.lines('attention').join('\n')).toContain('is not pinned');
    }
    const digest = convert(
      `services:\n  app:\n    image: acme/app@sha256:${'a'.repeat(64)}\n    ports: ["80:80"]\n`,
    );
    expect(digest.manifest.services.app.image).toBe(`acme/app@sha256:${'a'.repeat(64)}`);
  });

  it('healthcheck → health when it calls an HTTP path (curl, wget, with or without a scheme)', () => {
    for (const test of [
      '["CMD", "curl", "-f", "http://localhost:8000/healthz"]',
      '"wget -qO- 127.0.0.1:8000/api/health?full=1 || exit 1"',
      '["CMD-SHELL", "curl -s --noproxy localhost localhost:8000/up | grep OK"]',
    ]) {
      const r = convert(`services:\n${web(`    healthcheck:\n      test: ${test}\n`)}`);
      expect(r.manifest.services.web.health, test).toMatch(/^\/(healthz|api\/health|up)$/);
    }
    const pg = convert(`services:\n${web('    healthcheck:\n      test: ["CMD", "pg_isready"]\n')}`);
    expect(pg.manifest.services.web.health).toBeUndefined();
  });

  it('deploy.resources, mem_limit, cpus and deploy.replicas → cpu, memory, replicas', () => {
    const r = convert(
      `services:\n${web('    deploy:\n      replicas: 3\n      resources:\n        limits: {cpus: "1.5", memory: 1G}\n        reservations: {cpus: "0.25"}\n')}  jobs:\n    image: ghcr.io/acme/web:1.2.3\n    command: celery -A app worker\n    mem_limit: 300m\n    cpus: 0.5\n`,
    );
    expect(r.manifest.services.web).toMatchObject({ cpu: 0.25, memory: 1024, replicas: 3 });
    expect(r.manifest.services.jobs).toMatchObject({ cpu: 0.5, memory: 300 });
  });

  it('a one-shot migration service → migrate: on the service it prepares', () => {
    const r = convert(
      `services:\n  migrate:\n    build: .\n    command: python manage.py migrate --noinput\n    restart: "no"\n  web:\n    build: .\n    ports: ["8000:8000"]\n    depends_on:\n      migrate: {condition: service_completed_successfully}\n`,
    );
    expect(Object.keys(r.manifest.services)).toEqual(['web']);
    expect(r.manifest.services.web.migrate).toEqual(['python', 'manage.py', 'migrate', '--noinput']);
    expect(r.lines('converted').join('\n')).toMatch(/migrate: → services\.web\.migrate/);
  });

  it('service names are made manifest-safe, and the report says so', () => {
    const r = convert(`services:\n  Web_App:\n    image: a/b:1\n    ports: ["80:80"]\n`);
    expect(Object.keys(r.manifest.services)).toEqual(['web-app']);
    expect(r.lines('attention').join('\n')).toMatch(/renamed to web-app/);
  });

  it('nginx location blocks give the routes, its server_name the domain; a stripped prefix is flagged', () => {
    const r = convert(
      `services:\n  proxy:\n    image: nginx:1.27\n    ports: ["443:443"]\n    volumes: ["./site.conf:/etc/nginx/conf.d/default.conf:ro"]\n  ui:\n    image: a/ui:1\n  shop:\n    image: a/shop:1\n`,
      {
        'site.conf':
          'upstream shop_up { server shop:9000; }\nserver {\n  server_name shop.acme.io www.shop.acme.io;\n  location / { proxy_pass http://ui:3000; }\n  location /store { proxy_pass http://shop_up/; }\n}\n',
      },
    );
    expect(r.manifest.domain).toBe('shop.acme.io');
    expect(r.manifest.aliases).toEqual(['www.shop.acme.io']);
    expect(r.manifest.services.ui).toMatchObject({ port: 3000, route: '/' });
    expect(r.manifest.services.shop).toMatchObject({ port: 9000, route: '/store/' });
    expect(r.lines('attention').join('\n')).toMatch(
      /shop: proxy removed \/store\/ before passing requests on/,
    );
  });

  it('behind a proxy whose configuration cannot be read, the port comes from the service’s PORT setting', () => {
    const r = convert(
      `services:\n  proxy:\n    image: nginx:1.27\n    ports: ["80:80"]\n    depends_on: [app]\n  app:\n    image: a/app:1\n    environment: {APP_PORT: "5001", DB_PORT: "5432"}\n`,
    );
    expect(r.manifest.services.app).toMatchObject({ kind: 'api', port: 5001, route: '/' });
  });

  it('a worker that takes its jobs from Redis makes Redis a broker', () => {
    const r = convert(
      `services:\n${web()}  jobs:\n    image: ghcr.io/acme/web:1.2.3\n    command: node jobs.js\n    environment: [QUEUE_URL=redis://redis:6379/2]\n  redis:\n    image: redis:7\n`,
    );
    expect(r.manifest.services.jobs.kind).toBe('worker');
    expect(r.manifest.redis).toEqual({ role: 'broker', persistence: true });
  });

  it('a service behind a dropped proxy is routed; one nothing routes to stays internal', () => {
    const r = convert(
      `services:\n  proxy:\n    image: nginx:1.27\n    ports: ["80:80"]\n    volumes: ["./nginx.conf:/etc/nginx/nginx.conf:ro"]\n  app:\n    image: a/app:1\n  thumbs:\n    image: a/thumbs:1\n    expose: ["8080"]\n`,
      { 'nginx.conf': 'http { server { location / { proxy_pass http://app:5000; } } }\n' },
    );
    expect(r.manifest.services.app).toMatchObject({ kind: 'api', port: 5000, route: '/' });
    expect(r.manifest.services.thumbs).toMatchObject({ kind: 'ml', port: 8080 });
    expect(r.manifest.services.thumbs.route).toBeUndefined();
  });
});

describe('environment', () => {
  const compose = `services:\n${web(`    environment:
      DEBUG: "false"
      SECRET_KEY: s3cr3t-value-1
      STRIPE_API_KEY: sk_live_abcdefghijklmnop
      VAPID_PUBLIC_KEY: pub-1
      SENTRY_DSN: https://abc:def@sentry.example.com/1
      SMTP_URL: smtp://mailer:pa55word@smtp.example.com:587
      DATABASE_URL: postgres://app:dbpass@db:5432/app
      POSTGRES_HOST: db
      REDIS_URL: redis://redis:6379/0
      EMPTY_TOKEN: ""
      AWS_ACCESS_KEY_ID: AKIAABCDEFGHIJKLMNOP
      MAIL_HOST: mailhog
      APP_URL: http://localhost:8000
      lower.case: x
`)}  db:\n    image: postgres:16\n  redis:\n    image: redis:7\n  mailhog:\n    image: mailhog/mailhog:v1.0.1\n`;
  const r = convert(compose);
  const svc = r.manifest.services.web;

  it('secret-looking names and credentials in URLs → secrets, by name only', () => {
    expect(svc.secrets).toEqual(['SECRET_KEY', 'STRIPE_API_KEY', 'SENTRY_DSN', 'SMTP_URL']);
    for (const v of ['s3cr3t-value-1', 'sk_live', 'abc:def', 'pa55word', 'dbpass', 'AKIA'])
      expect(r.text).not.toContain(v);
  });

  it('connection settings for the stores stackplan provides are dropped, with what it provides instead', () => {
    expect(Object.keys(svc.env)).not.toContain('DATABASE_URL');
    expect(Object.keys(svc.env)).not.toContain('POSTGRES_HOST');
    expect(Object.keys(svc.env)).not.toContain('REDIS_URL');
    expect(r.lines('attention').join('\n')).toMatch(
      /DATABASE_URL, POSTGRES_HOST, REDIS_URL: connection settings for the data stores, dropped; stackplan provides DATABASE_URL, REDIS_URL/,
    );
  });

  it('the rest stays plain env; public keys are not secrets; odd names and AWS keys are reported', () => {
    expect(svc.env).toEqual({ DEBUG: 'false', VAPID_PUBLIC_KEY: 'pub-1', APP_URL: 'http://localhost:8000' });
    expect(r.lines('ignored').join('\n')).toMatch(/EMPTY_TOKEN: empty in compose/);
    expect(r.lines('ignored').join('\n')).toMatch(
      /AWS_ACCESS_KEY_ID: long-lived AWS keys are never configured/,
    );
    expect(r.lines('ignored').join('\n')).toMatch(
      /lower\.case: manifest environment names are UPPER_SNAKE_CASE/,
    );
    expect(r.lines('attention').join('\n')).toMatch(
      /MAIL_HOST points at mailhog .* which is not deployed: dropped/,
    );
    expect(r.lines('attention').join('\n')).toMatch(/APP_URL=http:\/\/localhost:8000 points at localhost/);
  });

  it('every value is written so YAML reads it back exactly', () => {
    const tricky = {
      HASH: 'a #b',
      COLON: 'key: value',
      QUOTES: `it's "quoted"`,
      STAR: '*not-an-alias',
      AMP: '&not-an-anchor',
      BOOL: 'true',
      YES: 'yes',
      NUL: 'null',
      TILDE: '~',
      ZERO: '007',
      NEWLINE: 'one\ntwo',
      UNICODE: 'naïve ✓',
      DASH: '- item',
      BRACES: '{a: 1}',
    };
    const env = Object.entries(tricky)
      .map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`)
      .join('\n');
    const t = convert(`services:\n${web(`    environment:\n${env}\n`)}`);
    expect(t.manifest.services.web.env).toEqual(tricky);
  });
});

describe('three classes: converted, ignored with a warning, fatal', () => {
  it('restart, logging, networks and dev-only services are ignored with why', () => {
    const r = convert(
      `services:\n${web('    restart: always\n    logging: {driver: json-file}\n    networks: [front]\n')}  mailhog:\n    image: mailhog/mailhog:v1.0.1\n  jaeger:\n    image: jaegertracing/all-in-one:1.57\n  pgadmin:\n    image: dpage/pgadmin4:8\n  adminer:\n    image: adminer:4\n  flower:\n    image: mher/flower:2.0\n  traefik:\n    image: traefik:v3.0\n    privileged: true\nnetworks:\n  front: {}\n`,
    );
    const ignored = r.lines('ignored').join('\n');
    for (const what of [
      'web: stackplan restarts',
      'web: logs go to CloudWatch',
      'web: stackplan builds the network',
      'mailhog: a development mail catcher',
      'jaeger: local observability',
      'pgadmin: an admin UI',
      'adminer: an admin UI',
      'flower: an admin UI',
      'traefik: Traefik reverse proxy',
    ]) {
      expect(ignored).toContain(what);
    }
    // privileged on a service that is not converted is not fatal.
    expect(Object.keys(r.manifest.services)).toEqual(['web']);
  });

  it.each([
    ['privileged: true', /privileged: true: privileged containers get every capability/],
    ['devices: ["/dev/fuse:/dev/fuse"]', /devices: .*host devices cannot be passed/],
    ['network_mode: host', /network_mode: host: shares the host’s/],
    ['network_mode: "service:vpn"', /network_mode: service:vpn/],
    ['volumes_from: [other]', /volumes_from: .*shares another container's volumes/],
    [
      'volumes: ["/var/run/docker.sock:/var/run/docker.sock"]',
      /the Docker socket gives the container control of the host/,
    ],
    ['cap_add: [SYS_ADMIN]', /cap_add: SYS_ADMIN: these capabilities give the container the host/],
    ['pid: host', /pid: host/],
  ])('%s is fatal, at its line, with a fix', (line, message) => {
    const e = conversionError(
      `services:\n  app:\n    image: a/b:1\n    ports: ["80:80"]\n    ${line}\n  other:\n    image: a/c:1\n`,
    );
    const text = formatUserError(e);
    expect(text).toMatch(/^docker-compose\.yml:5:\d+: error \[unsupported\] services\.app\./m);
    expect(text).toMatch(message);
    expect(text).toMatch(/fix: /);
  });

  it('named volumes and bind mounts of app data are a warning naming the choice', () => {
    const r = convert(
      `services:\n${web('    volumes: ["uploads:/app/uploads", "./config.yml:/app/config.yml:ro", "/etc/localtime:/etc/localtime:ro"]\n')}volumes:\n  uploads: {}\n`,
    );
    const att = r.lines('attention').join('\n');
    expect(att).toMatch(/keeps data in volume uploads at \/app\/uploads/);
    expect(r.report.find((i) => /volume uploads/.test(i.message))?.fix).toMatch(/S3 bucket .*EFS .*drop it/);
    expect(att).toMatch(/mounts \.\/config\.yml at \/app\/config\.yml from the host: configuration/);
    expect(att).not.toMatch(/localtime/);
  });

  it('nothing to deploy is fatal', () => {
    expect(formatUserError(conversionError('services:\n  db:\n    image: postgres:16\n'))).toMatch(
      /no service to deploy/,
    );
  });
});

describe('the app', () => {
  it('name from compose name:, domain from a Traefik Host rule, --domain wins', () => {
    const r = convert(
      `name: My_Shop\nservices:\n  web:\n    image: a/b:1\n    labels: ["traefik.http.routers.w.rule=Host(\`shop.acme.io\`)", "traefik.enable=true"]\n`,
    );
    expect(r.manifest.name).toBe('my-shop');
    expect(r.manifest.domain).toBe('shop.acme.io');
    expect(r.manifest.alarmEmail).toBe('ops@shop.acme.io');
  });

  it('profiles: a service of an inactive profile is left out and reported', () => {
    const r = convert(
      `services:\n${web()}  search:\n    image: opensearchproject/opensearch:2.13.0\n    profiles: [search]\n`,
    );
    expect(r.manifest.search).toBeUndefined();
    expect(r.lines('ignored').join('\n')).toMatch(/search: in profile search, which is not active/);
    const on = convert(
      `services:\n${web()}  search:\n    image: opensearchproject/opensearch:2.13.0\n    profiles: [search]\n`,
      {},
      { profiles: ['search'] },
    );
    expect(on.manifest.search).toBe(true);
  });
});

describe('the manifest is checked before it is written', () => {
  it('a value the manifest schema refuses in env is left out with a report line; anything else is a bug', () => {
    const mapping = {
      manifest: {
        name: 'app-one',
        domain: 'app.example.org',
        alarmEmail: 'ops@app.example.org',
        services: { web: { kind: 'api', image: 'a/b:1', port: 80, env: { GOOD: 'x', bad: 'y' } } },
      },
      comments: new Map<string, string>(),
      header: [],
      report: [] as import('../../src/init/map/types.js').ReportItem[],
    };
    const text = checked(mapping, '/tmp/app/stackplan.yaml');
    expect(text).toMatch(/GOOD: x/);
    expect(text).not.toMatch(/bad: y/);
    expect(mapping.report.map((i) => i.message)).toEqual([
      'services.web.env.bad: "bad" is not a valid name here (expected an UPPER_SNAKE_CASE variable name), so it was left out',
    ]);
    const broken = { ...mapping, manifest: { ...mapping.manifest, domain: 'not a domain' }, report: [] };
    expect(() => checked(broken, '/tmp/app/stackplan.yaml')).toThrow(/does not validate/);
  });
});
