#!/usr/bin/env bash
# Runs `npm start` as the README says, waits until it serves `{ me { username } }` to the demo
# director, then stops it with SIGTERM and checks that it shut down cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-4000}"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then PORT=$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})"); fi
export PORT
log=$(mktemp)
setsid npm start >"$log" 2>&1 &
pid=$!
# npm does not pass SIGTERM on to the server: signal the whole process group, as a service manager would.
cleanup() { kill -TERM -- "-$pid" 2>/dev/null || true; }
trap cleanup EXIT
# npm start compiles first: on a loaded machine that alone may take minutes. The wait is for a condition.
for _ in $(seq 1 600); do
  grep -q 'Server ready' "$log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "npm start exited early" >&2; exit 1; }
  sleep 0.5
done
grep -q 'Server ready' "$log" || { cat "$log"; echo "npm start did not become ready within 5 minutes" >&2; exit 1; }
url="http://127.0.0.1:$PORT/graphql"
token=$(curl -sf "$url" -H 'content-type: application/json' \
  -d '{"query":"mutation { login(username: \"giamdoc@sxd.binhdinh.gov.vn\", password: \"Demo@2026vpdt\") { token } }"}' |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).data.login.token))')
me=$(curl -sf "$url" -H 'content-type: application/json' -H "authorization: Bearer $token" -d '{"query":"{ me { username } }"}')
echo "$me"
echo "$me" | grep -q '"username":"giamdoc@sxd.binhdinh.gov.vn"'
trap - EXIT
kill -TERM -- "-$pid"
# Shutdown lets requests finish (at most 10 s), then stops PostgreSQL: allow a loaded machine a minute.
for _ in $(seq 1 240); do
  pgrep -g "$pid" >/dev/null || break
  sleep 0.25
done
! pgrep -g "$pid" >/dev/null || { cat "$log"; echo "the server did not stop on SIGTERM within 60 s" >&2; exit 1; }
echo "npm start: ok"
