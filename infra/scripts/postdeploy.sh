#!/bin/sh
# azd postdeploy hook (azd runs it with sh, so POSIX only): after the Function App's code is deployed, build the
# worker image and wire the blob triggers. The two steps are bash scripts and run by their own shebang.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
"$here/build-worker.sh"
"$here/enable-blob-subscriptions.sh"
