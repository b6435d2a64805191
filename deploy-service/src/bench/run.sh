#!/usr/bin/env bash
# Load figures of the deploy-service API (create and get) with wrk. Needs a running deploy-service (DEPLOY) pointed
# at a database and a broker, and a quick target (TARGET, e.g. a demo-target). See deploy-service/README.md.
#   deploy-service/src/bench/run.sh [DEPLOY=http://127.0.0.1:8081] [TARGET=http://127.0.0.1:8090]
# Three closed-loop runs (wrk keeps each connection busy, so the rate is what the service sustains): creates alone,
# gets alone, then both at once (two wrk processes: creates on BENCH_MIXED_CREATE connections, gets on
# BENCH_MIXED_GET), each with its own latency distribution. Requests carry ROLLWATCH_TOKEN (default: one minted by
# `./rollwatch token` with roles deployer and operator); start the service with
# -Drollwatch.security.rate-limit.enabled=false, or the per-identity limit (10 changes/s) is what you measure.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEPLOY="${1:-http://127.0.0.1:8081}"
TARGET="${2:-http://127.0.0.1:8090}"
THREADS="${BENCH_THREADS:-2}" CONNECTIONS="${BENCH_CONNECTIONS:-8}" DURATION="${BENCH_DURATION:-30s}"
MIXED_CREATE="${BENCH_MIXED_CREATE:-2}" MIXED_GET="${BENCH_MIXED_GET:-6}"
ROOT="$(cd "$HERE/../../.." && pwd)"
export ROLLWATCH_TOKEN="${ROLLWATCH_TOKEN:-$("$ROOT/rollwatch" token --role deployer --role operator --subject bench --ttl 2h)}"
IDS="$(mktemp)" MIXED="$(mktemp)"
trap 'rm -f "$IDS" "$MIXED"' EXIT

echo "== warm-up (10 s, not counted)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d10s -s "$HERE/create.lua" "$DEPLOY" -- "$TARGET" > /dev/null
echo "== POST /api/v1/deployments: -t$THREADS -c$CONNECTIONS -d$DURATION"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$HERE/create.lua" "$DEPLOY" -- "$TARGET"

curl -sf -H "Authorization: Bearer $ROLLWATCH_TOKEN" "$DEPLOY/api/v1/deployments?environment=bench&size=200" \
  | grep -o '"id":"[0-9a-f-]\{36\}"' | cut -d'"' -f4 > "$IDS"
echo "== GET /api/v1/deployments/{id} over $(wc -l < "$IDS") deployments: -t$THREADS -c$CONNECTIONS -d$DURATION"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$HERE/get.lua" "$DEPLOY" -- "$IDS"

echo "== both at once for $DURATION: POST on $MIXED_CREATE connections, GET on $MIXED_GET connections"
wrk -t1 -c"$MIXED_CREATE" -d"$DURATION" --latency -s "$HERE/create.lua" "$DEPLOY" -- "$TARGET" > "$MIXED" &
CREATES=$!
wrk -t1 -c"$MIXED_GET" -d"$DURATION" --latency -s "$HERE/get.lua" "$DEPLOY" -- "$IDS" | sed 's/^/GET    | /'
wait "$CREATES"
sed 's/^/POST   | /' "$MIXED"
