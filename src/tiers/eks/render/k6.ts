/**
 * The k6 load script (`load/k6.js`): ramps to the manifest's busiest-hour request rate against the
 * deployed domain with a ramping-arrival-rate scenario, and fails on the p95 latency and error-rate
 * thresholds. Written, not run here (it sends traffic to the real site). Every value from the plan
 * is a JSON literal, so no manifest value can break out of the script.
 */
import type { EksPlan } from '../plan/types.js';

export function renderK6Script(plan: EksPlan): { path: string; content: string } {
  const l = plan.load;
  const maxVUs = Math.max(10, Math.ceil(l.peakRps * 2));
  const options = {
    scenarios: {
      peak: {
        executor: 'ramping-arrival-rate',
        startRate: 1,
        timeUnit: '1s',
        preAllocatedVUs: Math.max(5, Math.ceil(l.peakRps / 2)),
        maxVUs,
        stages: l.stages,
      },
    },
    thresholds: {
      http_req_duration: [`p(95)<${l.thresholds.p95Ms}`],
      http_req_failed: [`rate<${l.thresholds.errorRate}`],
    },
  };
  const lines = [
    `// Load test for ${plan.app} (stackplan eks tier), generated from stackplan.yaml: change the manifest, not this file.`,
    `// Ramps to ${l.peakRps} requests/s: ${l.averageRps}/s on average (traffic.requestsPerMonth) × ${l.peakFactor} for the busiest hour.`,
    '// Run it against the deployed site (it sends real traffic):  k6 run load/k6.js',
    '// Another target:                                          k6 run -e BASE_URL=https://staging.example.com load/k6.js',
    '// PATHS are the routes the manifest declares; add the real endpoints your users call.',
    "import http from 'k6/http';",
    "import { check } from 'k6';",
    '',
    `export const options = ${JSON.stringify(options, null, 2)};`,
    '',
    '// A 4xx is the app answering (a route without a handler); only 5xx and network errors fail the run.',
    'http.setResponseCallback(http.expectedStatuses({ min: 200, max: 499 }));',
    '',
    `const BASE_URL = __ENV.BASE_URL || ${JSON.stringify(l.baseUrl)};`,
    `const PATHS = ${JSON.stringify(l.paths.flatMap((p) => Array.from({ length: p.weight }, () => p.path)))};`,
    '',
    'export default function () {',
    '  const path = PATHS[Math.floor(Math.random() * PATHS.length)];',
    '  const res = http.get(BASE_URL + path, { tags: { name: path } });',
    "  check(res, { 'answered without a server error': (r) => r.status >= 200 && r.status < 500 });",
    '}',
    '',
  ];
  return { path: 'load/k6.js', content: lines.join('\n') };
}
