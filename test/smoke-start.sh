#!/usr/bin/env bash
# Smoke test of the newcomer path: `npm start` on the embedded default serves a query,
# Ctrl-C stops it (PostgreSQL included), and a second start reuses the data.
# Runs from the checkout root; used by .ci/run. Ports are chosen to avoid a developer's own.
set -euo pipefail
port=${SMOKE_PORT:-4191}
pg_port=${SMOKE_PG_PORT:-55491}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

start_and_query() {
  local started=$SECONDS
  PORT=$port EMBEDDED_POSTGRES_PORT=$pg_port LOG_LEVEL=warn node dist/src/main.js >"$log" 2>&1 &
  local pid=$!
  local body=''
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "smoke: server exited early" >&2; return 1; fi
    sleep 0.5
  done
  token=$(node dist/src/cli/token.js --org hampshire-constabulary --roles SCHEME_ADMIN)
  body=$(curl -fsS "http://127.0.0.1:$port/graphql" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"query":"{ viewer { subject organisation { slug } } people(first: 3) { totalCount } }"}')
  echo "smoke: answered in $((SECONDS - started)) s: $body"
  echo "$body" | grep -q '"slug":"hampshire-constabulary"' || { cat "$log"; return 1; }
  kill -INT "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then echo "smoke: server did not stop on SIGINT" >&2; kill -9 "$pid"; return 1; fi
  if (echo > "/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null; then echo "smoke: PostgreSQL still listening after Ctrl-C" >&2; return 1; fi
  grep -q "MILO Platform: http://localhost:$port/graphql" "$log" || { echo "smoke: start-up banner missing" >&2; cat "$log"; return 1; }
}

npm run -s build
start_and_query
echo "smoke: second start reuses the data"
start_and_query
echo "smoke: passed"
