// A tiny server for the example frontend: stands in for a server-rendered frontend (such as a
// Next.js app) in `stackplan rehearse`. Serves web/dist, answers unknown paths with index.html,
// and GET /health (or HEALTH_PATH) with 200. Settings: PORT (default 3000), HOST (127.0.0.1).
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const healthPath = process.env.HEALTH_PATH ?? '/health';
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === healthPath) {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end('{"status":"ok"}');
  }
  const file = path.join(root, path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, ''));
  for (const candidate of [file, path.join(root, 'index.html')]) {
    if (!candidate.startsWith(root)) continue;
    try {
      const body = await readFile(candidate);
      res.writeHead(200, { 'content-type': TYPES[path.extname(candidate)] ?? 'application/octet-stream' });
      return res.end(body);
    } catch {
      // not a file: fall back to the SPA shell
    }
  }
  res.writeHead(404);
  res.end();
});

server.listen(port, host, () => process.stdout.write(`web listening on ${host}:${port}\n`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
