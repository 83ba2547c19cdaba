#!/usr/bin/env bash
# Moved to bench/core/run.sh; this name stays for the commands already written down.
exec "$(dirname "$0")/../bench/core/run.sh" "$@"
