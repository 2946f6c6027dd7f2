#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: installs the system packages and npm dependencies
# the tests need when they are missing, builds, type-checks, lints, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

# Real components the tests start on loopback ports (rehearsal, host-file checks), and the browser
# the design document's screenshots are taken in (driven by playwright-core; never downloaded).
# docker-compose (v1, offline `config`) and python3-yaml (PyYAML): the YAML 1.1 and compose round trips.
APT_PACKAGES=(nginx postgresql redis-server awscli shellcheck openssl curl ca-certificates python3 systemd docker-compose python3-yaml chromium jq)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "test.sh: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "test.sh: missing system packages: ${missing[*]}" >&2
    echo "  install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# npm dependencies, exactly as locked (also builds dist/ through the prepare script).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

npm run build
npx tsc -p tsconfig.json --noEmit
npx biome check .
npx vitest run "$@"
