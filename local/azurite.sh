#!/usr/bin/env bash
# Installs (npm ci, pinned in package-lock.json) and starts Azurite on 127.0.0.1:10000-10002 (blob, queue, table),
# then creates the pipeline's containers, queues and tables. Idempotent: if Azurite already listens, it is reused.
#   ./local/azurite.sh            start in the background; prints the pid file; exits when storage is ready
#   ./local/azurite.sh --stop     stop the Azurite this script started
# Flags (docs/design.md §7): --skipApiVersionCheck because current Azure.Storage clients send a newer API version.
# Data is in memory: a stopped Azurite forgets everything.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
state="$here/.azurite"
pidfile="$state/azurite.pid"
mkdir -p "$state"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [[ "${1:-}" == "--stop" ]]; then
  if [[ -f "$pidfile" ]]; then
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" && echo "azurite: stopped (pid $pid)"; fi
    rm -f "$pidfile"
  else
    echo "azurite: not started by this script"
  fi
  exit 0
fi

if listening 10000 && listening 10001 && listening 10002; then
  echo "azurite: already listening on 10000-10002"
else
  # A clean clone installs from the lock file; a checkout that already has the pinned version skips the minute.
  want="$(sed -n '/"dependencies"/,/}/s/.*"azurite": *"\([^"]*\)".*/\1/p' "$here/package.json")"
  if ! grep -qs "\"version\": \"$want\"" "$here/node_modules/azurite/package.json"; then
    command -v npm >/dev/null || { echo "azurite: npm is not installed; install Node.js 18+ first" >&2; exit 1; }
    echo "azurite: installing $want (npm ci in local/)"
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  for p in 10000 10001 10002; do
    if listening "$p"; then echo "azurite: port $p is taken by something else; free it or stop the other Azurite" >&2; exit 1; fi
  done
  nohup node "$here/node_modules/azurite/dist/src/azurite.js" \
    --inMemoryPersistence --skipApiVersionCheck --disableTelemetry --silent \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort 10000 --queuePort 10001 --tablePort 10002 \
    >"$state/azurite.log" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 1 100); do
    if listening 10000 && listening 10001 && listening 10002; then break; fi
    kill -0 "$(cat "$pidfile")" 2>/dev/null || { echo "azurite: exited early:" >&2; cat "$state/azurite.log" >&2; exit 1; }
    sleep 0.2
  done
  listening 10002 || { echo "azurite: did not start within 20 s; see $state/azurite.log" >&2; exit 1; }
  echo "azurite: started (pid $(cat "$pidfile")), blob 10000, queue 10001, table 10002"
fi

if [[ "${AZURITE_SKIP_INIT:-0}" != "1" ]]; then
  if [[ -x "$root/artifacts/spineseg/spineseg" ]]; then
    "$root/artifacts/spineseg/spineseg" local init
  else
    dotnet run --project "$root/src/MRISpineSeg.Cli" -c Release -v q -- local init
  fi
fi
