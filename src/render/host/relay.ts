/**
 * The credentials relay: how containers on a bridge network use the instance role while IMDSv2
 * keeps its hop limit of 1. A small python3 (standard library only) service on the host serves
 * the ECS container-credentials protocol at http://169.254.170.2:51679/v1/credentials — an address
 * the AWS SDKs accept for AWS_CONTAINER_CREDENTIALS_FULL_URI — and answers only requests carrying
 * the per-boot token (AWS_CONTAINER_AUTHORIZATION_TOKEN). It fetches the role's credentials from
 * IMDSv2 on the host (one hop) and caches them until five minutes before they expire.
 */
import type { HostFile } from './contract.js';
import { binPath } from './settings.js';

export const RELAY_PY = `#!/usr/bin/python3
"""stackplan-credentials-relay: the instance role's credentials for this host's containers.

Serves the ECS container-credentials protocol (GET /v1/credentials with the header
"Authorization: <token>") so the AWS SDKs in containers, configured with
AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN, get the instance role's
credentials although IMDSv2's hop limit of 1 keeps containers away from the metadata service.
Rendered by stackplan; do not edit.

Environment: RELAY_TOKEN (required), RELAY_ADDRESS (default 169.254.170.2), RELAY_PORT (51679),
IMDS_ENDPOINT (http://169.254.169.254, overridden only in tests).
"""
import datetime
import hmac
import json
import os
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = os.environ.get("RELAY_TOKEN", "")
ADDRESS = os.environ.get("RELAY_ADDRESS", "169.254.170.2")
PORT = int(os.environ.get("RELAY_PORT", "51679"))
IMDS = os.environ.get("IMDS_ENDPOINT", "http://169.254.169.254").rstrip("/")
REFRESH_BEFORE = datetime.timedelta(minutes=5)

_lock = threading.Lock()
_cached = {"body": None, "expires": None}


def _imds(method, path, headers):
    request = urllib.request.Request(IMDS + path, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=2) as response:
        return response.read().decode()


def _fetch():
    token = _imds("PUT", "/latest/api/token", {"X-aws-ec2-metadata-token-ttl-seconds": "300"})
    auth = {"X-aws-ec2-metadata-token": token}
    base = "/latest/meta-data/iam/security-credentials/"
    role = _imds("GET", base, auth).splitlines()[0].strip()
    data = json.loads(_imds("GET", base + role, auth))
    if data.get("Code", "Success") != "Success":
        raise RuntimeError("IMDS refused the credentials: " + data.get("Code", ""))
    expires = datetime.datetime.strptime(data["Expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc
    )
    body = {
        "AccessKeyId": data["AccessKeyId"],
        "SecretAccessKey": data["SecretAccessKey"],
        "Token": data["Token"],
        "Expiration": data["Expiration"],
        "RoleArn": data.get("RoleArn", role),
    }
    return json.dumps(body).encode(), expires


def credentials():
    with _lock:
        now = datetime.datetime.now(datetime.timezone.utc)
        if _cached["body"] is None or _cached["expires"] - now < REFRESH_BEFORE:
            _cached["body"], _cached["expires"] = _fetch()
        return _cached["body"]


class Handler(BaseHTTPRequestHandler):
    server_version = "stackplan-relay"
    sys_version = ""

    def _send(self, status, body, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.split("?")[0] != "/v1/credentials":
            return self._send(404, b'{"message": "not found"}')
        given = self.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), TOKEN.encode()):
            return self._send(401, b'{"message": "missing or wrong authorization token"}')
        try:
            return self._send(200, credentials())
        except Exception as error:  # noqa: BLE001 - any IMDS failure is a 502 for the SDK to retry
            sys.stderr.write("credentials unavailable: %s\\n" % error)
            return self._send(502, b'{"message": "instance credentials unavailable"}')

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\\n" % (self.address_string(), fmt % args))


def main():
    if len(TOKEN) < 32:
        sys.stderr.write("RELAY_TOKEN must be set (at least 32 characters)\\n")
        return 2
    server = ThreadingHTTPServer((ADDRESS, PORT), Handler)
    server.daemon_threads = True
    sys.stderr.write("serving instance-role credentials on http://%s:%d/v1/credentials\\n" % (ADDRESS, PORT))
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;

export function renderRelayFile(): HostFile {
  return { path: binPath('relay'), mode: 0o755, content: RELAY_PY };
}
