#!/usr/bin/env bash
# Runs Okta's and Microsoft's own SCIM conformance suites (../shared/conformance) against a started
# Roster: builds, starts the server on a fresh Postgres database, creates one connector per IdP
# (Microsoft's collection counts users exactly, so it gets an empty connector of its own), runs the
# suites, stops the server. Exits non-zero when any check fails.
#
#   scripts/conformance.sh            (needs Postgres on 127.0.0.1:5432, or CONFORMANCE_DATABASE_ADMIN_URL)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUITES_DIR="${CONFORMANCE_DIR:-$ROOT/../shared/conformance}"
ADMIN_URL="${CONFORMANCE_DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
DB="roster_conformance_$$"
PORT="${CONFORMANCE_PORT:-3917}"
BASE="http://127.0.0.1:$PORT"
ADMIN_TOKEN="conformance-$(node -e 'console.log(require("crypto").randomBytes(16).toString("hex"))')"
RESULTS="${CONFORMANCE_RESULTS:-$ROOT/conformance-results}"
LOG="$(mktemp)"

[ -x "$SUITES_DIR/run.sh" ] || [ -f "$SUITES_DIR/run.sh" ] || { echo "conformance suites not found at $SUITES_DIR"; exit 2; }
psql "$ADMIN_URL" -qc "CREATE DATABASE $DB" >/dev/null
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true
}
trap cleanup EXIT

(cd "$ROOT" && npm run --silent build)
DATABASE_URL="${ADMIN_URL%/*}/$DB" ADMIN_TOKEN="$ADMIN_TOKEN" PORT="$PORT" HOST=127.0.0.1 PUBLIC_URL="$BASE" LOG_LEVEL=warn \
  node "$ROOT/dist/src/main.js" >"$LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fs "$BASE/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server did not start:"; cat "$LOG"; exit 1; }
  sleep 0.2
done

connector() {  # name idp -> "scimBaseUrl token"
  curl -fs -X POST "$BASE/api/v1/connectors" -H "authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' \
    -d "{\"name\":\"$1\",\"idp\":\"$2\"}" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const c=JSON.parse(s);console.log(c.scimBaseUrl+" "+c.token)})'
}
read -r OKTA_URL OKTA_TOKEN < <(connector "Okta conformance" okta)
read -r MS_URL MS_TOKEN < <(connector "Microsoft conformance" entra)

rm -rf "$RESULTS"
status=0
BASE_URL_microsoft="$MS_URL" TOKEN_microsoft="$MS_TOKEN" OKTA_PAUSE_SCALE="${OKTA_PAUSE_SCALE:-0}" \
  bash "$SUITES_DIR/run.sh" "$OKTA_URL" "$OKTA_TOKEN" "$RESULTS" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log (last 50 lines)"; tail -50 "$LOG"
fi
exit "$status"
