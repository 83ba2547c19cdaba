#!/usr/bin/env bash
# Moved to bench/storage/run.sh; this name stays for the commands already written down.
exec "$(dirname "$0")/../bench/storage/run.sh" "$@"
