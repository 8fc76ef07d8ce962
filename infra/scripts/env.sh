#!/usr/bin/env bash
# Sourced by the other scripts: takes the deployment's outputs from the azd environment when azd is present, so the
# scripts work both as azd hooks and by hand after `az deployment sub create` (then export the AZURE_* values
# yourself, e.g. from `az deployment sub show -n <name> --query properties.outputs`).
set -euo pipefail

if command -v azd >/dev/null 2>&1 && azd env get-values >/dev/null 2>&1; then
  while IFS='=' read -r key value; do
    value="${value%\"}"; value="${value#\"}"
    if [[ -z "${!key:-}" ]]; then export "$key=$value"; fi
  done < <(azd env get-values)
fi

require() {
  local missing=0
  for name in "$@"; do
    if [[ -z "${!name:-}" ]]; then echo "error: $name is not set (run azd provision, or export it from the deployment outputs)" >&2; missing=1; fi
  done
  return "$missing"
}

command -v az >/dev/null 2>&1 || { echo "error: the Azure CLI (az) is required: https://aka.ms/azcli" >&2; exit 1; }
