#!/usr/bin/env bash
# Runs every test in the solution. This is the README's test command and what CI runs.
# Needs: the .NET 10 SDK and Node.js 18+ (for Azurite). Everything else (NuGet packages, Azurite from npm) is
# restored here. The pipeline's end-to-end tests run against a real Azurite on 127.0.0.1:10000-10002: one already
# listening there is used, otherwise one is started for the run and stopped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log="$(mktemp)"
azurite_log="$(mktemp)"
azurite_pid=""
cleanup() {
  if [[ -n "$azurite_pid" ]] && kill -0 "$azurite_pid" 2>/dev/null; then kill "$azurite_pid"; wait "$azurite_pid" 2>/dev/null || true; fi
  rm -f "$log" "$azurite_log"
}
trap cleanup EXIT

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

echo "==> Azurite (local/package.json, pinned)"
# A clean clone (CI) installs from the lock file; a checkout that already has the pinned version skips the minute.
if ! grep -qs '"version": "3.37.0"' local/node_modules/azurite/package.json; then
  (cd local && npm ci --no-audit --no-fund --loglevel=error)
fi
if listening 10000 && listening 10001 && listening 10002; then
  echo "using the Azurite already listening on 10000-10002"
else
  node local/node_modules/azurite/dist/src/azurite.js --inMemoryPersistence --skipApiVersionCheck --disableTelemetry --silent \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 --blobPort 10000 --queuePort 10001 --tablePort 10002 \
    >"$azurite_log" 2>&1 &
  azurite_pid=$!
  for _ in $(seq 1 100); do
    if listening 10000 && listening 10001 && listening 10002; then break; fi
    sleep 0.2
  done
  listening 10002 || { echo "Azurite did not start on 10000-10002:" >&2; cat "$azurite_log" >&2; exit 1; }
  echo "started Azurite (pid $azurite_pid)"
fi
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
export AZURITE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;"

echo "==> restore and build (Release)"
dotnet build MRISpineSeg.sln -c Release -nologo -v minimal -clp:ErrorsOnly

echo "==> test"
set +e
dotnet test MRISpineSeg.sln -c Release --no-build -nologo --logger "console;verbosity=minimal" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# One closing line for the whole solution, summed over the per-assembly summaries.
awk '
  /(Passed|Failed)!/ {
    for (i = 1; i <= NF; i++) {
      gsub(",", "", $(i+1))
      if ($i == "Failed:")  f += $(i+1)
      if ($i == "Passed:")  p += $(i+1)
      if ($i == "Skipped:") s += $(i+1)
    }
  }
  END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }
' "$log"
exit "$rc"
