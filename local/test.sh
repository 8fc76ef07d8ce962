#!/usr/bin/env bash
# Runs every test in the solution. This is the README's test command and what CI runs.
# Needs: the .NET 10 SDK. Everything else (NuGet packages) is restored here.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

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
