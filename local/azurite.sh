#!/usr/bin/env bash
# Installs (npm ci, pinned in package-lock.json) and starts Azurite on 127.0.0.1:10000-10002 (blob, queue, table),
# then creates the pipeline's containers, queues and tables. Idempotent: if Azurite already listens, it is reused.
#   ./local/azurite.sh            start in the background; prints the pid file; exits when storage is ready
#   ./local/azurite.sh --stop     stop the Azurite this script started
#   ./local/azurite.sh --own      (the demo) never write into someone else's Azurite: reuse the one this script started,
#                                 else start one on 10000-10002, or on free ports when those are taken (by another
#                                 Azurite, a test run's, or anything else); says in one line whose Azurite it uses and
#                                 writes its connection string to local/.azurite/connection
# Flags (docs/design.md §7): --skipApiVersionCheck because current Azure.Storage clients send a newer API version.
# Data is in memory: a stopped Azurite forgets everything.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
state="$here/.azurite"
pidfile="$state/azurite.pid"
mkdir -p "$state"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
own_pid() { [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null && cat "$pidfile"; }
# Azurite's well-known development account; the endpoints carry the ports.
connection_for() {
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$2/devstoreaccount1;TableEndpoint=http://127.0.0.1:$3/devstoreaccount1;"
}

if [[ "${1:-}" == "--stop" ]]; then
  if [[ -f "$pidfile" ]]; then
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" && echo "azurite: stopped (pid $pid)"; fi
    rm -f "$pidfile" "$state/ports" "$state/connection"
  else
    echo "azurite: not started by this script"
  fi
  exit 0
fi

install_azurite() {
  # A clean clone installs from the lock file; a checkout that already has the pinned version skips the minute.
  want="$(sed -n '/"dependencies"/,/}/s/.*"azurite": *"\([^"]*\)".*/\1/p' "$here/package.json")"
  if ! grep -qs "\"version\": \"$want\"" "$here/node_modules/azurite/package.json"; then
    command -v npm >/dev/null || { echo "azurite: npm is not installed; install Node.js 18+ first" >&2; exit 1; }
    echo "azurite: installing $want (npm ci in local/)"
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# start_on BLOB QUEUE TABLE: starts Azurite in the background on those ports and waits until all three listen.
start_on() {
  install_azurite
  for p in "$@"; do
    if listening "$p"; then echo "azurite: port $p is taken by something else; free it or stop the other Azurite" >&2; exit 1; fi
  done
  nohup node "$here/node_modules/azurite/dist/src/azurite.js" \
    --inMemoryPersistence --skipApiVersionCheck --disableTelemetry --silent \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort "$1" --queuePort "$2" --tablePort "$3" \
    >"$state/azurite.log" 2>&1 &
  echo $! >"$pidfile"
  echo "$1 $2 $3" >"$state/ports"
  for _ in $(seq 1 100); do
    if listening "$1" && listening "$2" && listening "$3"; then break; fi
    kill -0 "$(cat "$pidfile")" 2>/dev/null || { echo "azurite: exited early:" >&2; cat "$state/azurite.log" >&2; exit 1; }
    sleep 0.2
  done
  listening "$3" || { echo "azurite: did not start within 20 s; see $state/azurite.log" >&2; exit 1; }
}

if [[ "${1:-}" == "--own" ]]; then
  if pid="$(own_pid)" && [[ -f "$state/ports" ]]; then
    read -r b q t <"$state/ports"
    echo "azurite: using the Azurite this script started earlier (pid $pid), blob $b, queue $q, table $t"
  elif ! listening 10000 && ! listening 10001 && ! listening 10002; then
    start_on 10000 10001 10002
    b=10000 q=10001 t=10002
    echo "azurite: using its own Azurite (pid $(cat "$pidfile")), blob 10000, queue 10001, table 10002"
  else
    # Someone else's storage is on the default ports: never write this run's scans, truth or leaderboard into it.
    b=""
    for base in $(seq 20000 3 20300); do
      if ! listening "$base" && ! listening $((base + 1)) && ! listening $((base + 2)); then b=$base; break; fi
    done
    [[ -n "$b" ]] || { echo "azurite: 10000-10002 are taken and no three free ports were found in 20000-20302" >&2; exit 1; }
    q=$((b + 1)) t=$((b + 2))
    start_on "$b" "$q" "$t"
    echo "azurite: 10000-10002 belong to another process (another Azurite?), so using its own Azurite (pid $(cat "$pidfile")), blob $b, queue $q, table $t"
  fi
  connection_for "$b" "$q" "$t" >"$state/connection"
  export AZURE_STORAGE_CONNECTION_STRING="$(cat "$state/connection")"
elif listening 10000 && listening 10001 && listening 10002; then
  echo "azurite: already listening on 10000-10002"
else
  start_on 10000 10001 10002
  echo "azurite: started (pid $(cat "$pidfile")), blob 10000, queue 10001, table 10002"
fi

if [[ "${AZURITE_SKIP_INIT:-0}" != "1" ]]; then
  if [[ -x "$root/artifacts/spineseg/spineseg" ]]; then
    "$root/artifacts/spineseg/spineseg" local init
  else
    dotnet run --project "$root/src/MRISpineSeg.Cli" -c Release -v q -- local init
  fi
fi
