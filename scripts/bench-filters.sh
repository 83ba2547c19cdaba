#!/usr/bin/env bash
# Moved to bench/filters/run.sh; this name stays for the commands already written down.
exec "$(dirname "$0")/../bench/filters/run.sh" "$@"
