// Load test for cloud-consulting (stackplan eks tier), generated from stackplan.yaml: change the manifest, not this file.
// Ramps to 31 requests/s: 7.61/s on average (traffic.requestsPerMonth) × 4 for the busiest hour.
// Run it against the deployed site (it sends real traffic):  k6 run load/k6.js
// Another target:                                          k6 run -e BASE_URL=https://staging.example.com load/k6.js
// PATHS are the routes the manifest declares; add the real endpoints your users call.
import http from 'k6/http';
import { check } from 'k6';

export const options = {
  "scenarios": {
    "peak": {
      "executor": "ramping-arrival-rate",
      "startRate": 1,
      "timeUnit": "1s",
      "preAllocatedVUs": 16,
      "maxVUs": 62,
      "stages": [
        {
          "duration": "2m",
          "target": 8
        },
        {
          "duration": "3m",
          "target": 16
        },
        {
          "duration": "5m",
          "target": 31
        },
        {
          "duration": "10m",
          "target": 31
        },
        {
          "duration": "2m",
          "target": 0
        }
      ]
    }
  },
  "thresholds": {
    "http_req_duration": [
      "p(95)<500"
    ],
    "http_req_failed": [
      "rate<0.01"
    ]
  }
};

// A 4xx is the app answering (a route without a handler); only 5xx and network errors fail the run.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 499 }));

const BASE_URL = __ENV.BASE_URL || "https://cloudpartner.pro";
const PATHS = ["/api/","/api/","/api/","/"];

export default function () {
  const path = PATHS[Math.floor(Math.random() * PATHS.length)];
  const res = http.get(BASE_URL + path, { tags: { name: path } });
  check(res, { 'answered without a server error': (r) => r.status >= 200 && r.status < 500 });
}
