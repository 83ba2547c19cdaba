#!/usr/bin/env bash
# setup-slurm.sh installs what the Slurm end-to-end tests need: Debian's
# slurm-wlm (slurmctld, slurmd, sbatch, squeue, scancel) and munge, its
# authentication daemon. It installs only what is missing, so it is quick
# when both are present. The tests start a single-node cluster themselves
# (internal/slurmtest): munged, then slurmctld and slurmd with a minimal
# slurm.conf in a temporary directory on localhost.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }
need=()
for b in slurmctld slurmd sbatch squeue scancel; do
	have "$b" || { need+=(slurm-wlm); break; }
done
have munged || need+=(munge)
((${#need[@]})) || exit 0

sudo=""
if [[ $(id -u) -ne 0 ]]; then
	if ! have sudo; then
		echo "setup-slurm: please install these Debian packages as root: ${need[*]}" >&2
		exit 1
	fi
	sudo=sudo
fi
echo "setup-slurm: installing ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
