#!/usr/bin/env bash
# Runs every test in the solution. This is the README's test command and what CI runs.
# Needs: the .NET 10 SDK and Node.js 18+ (for Azurite). Everything else (NuGet packages, Azurite from npm) is
# restored here. The pipeline's end-to-end tests run against a real Azurite on 127.0.0.1:10000-10002 (local/azurite.sh):
# one already listening there is used, otherwise one is started for the run and stopped afterwards. The Service Bus
# tests need nothing installed: they start their own loopback AMQP endpoint (tests/MRISpineSeg.ServiceBusLoopback).
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log="$(mktemp)"
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
started_here=0
cleanup() {
  if [[ "$started_here" == 1 ]]; then ./local/azurite.sh --stop >/dev/null; fi
  rm -f "$log"
}
trap cleanup EXIT

echo "==> Azurite (local/package.json, pinned)"
if ! { listening 10000 && listening 10001 && listening 10002; }; then started_here=1; fi
AZURITE_SKIP_INIT=1 ./local/azurite.sh   # installs the pinned version when missing, starts it unless one listens
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
