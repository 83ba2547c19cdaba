#!/usr/bin/env bash
# Moved to bench/pipeline/run.sh; this name stays for the commands already written down.
exec "$(dirname "$0")/../bench/pipeline/run.sh" "$@"
