# shellcheck shell=bash
# bench/lib.sh: what every benchmark script shares, so that all of them
# measure CPU time and memory the same way. Source it first:
#
#   . "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
#
# It sets bench_root (the repository) and bench_lingua (the lingua sentences,
# $LINGUA or ../shared/data/lingua-sentences), and builds bench/rtime into
# $bench_bin (default bin/ of the repository). A time file holds one line
# per timed run, "wall user sys peak_rss_kib status" (see bench/rtime):
# runs append, so repetitions of one row go into one file and the readers
# sum or take the best or the largest.
#
#   bench_need TOOL...               stop, naming the Debian package, if one is missing
#   bench_need_data PATH HOW         stop, saying HOW to get it, if PATH is missing
#   bench_time FILE CMD...           run CMD as it is, append its cost to FILE
#   bench_time1 FILE CMD...          the same on one core (GOMAXPROCS=1, taskset -c 0)
#   bench_cpu FILE                   user + system seconds, summed over FILE's runs
#   bench_user FILE, bench_sys FILE, bench_wall FILE     the same, one part
#   bench_cpu_best FILE              user + system of FILE's cheapest run (a busy
#                                    machine only ever adds time)
#   bench_rss FILE [DECIMALS]        the largest peak RSS of FILE's runs, MiB (1 decimal)
#   bench_runs FILE                  how many runs FILE holds
#   bench_mbps BYTES SECONDS [DECIMALS]   MB (10^6 bytes) per second (1 decimal)
#   bench_bytes FILE                 uncompressed bytes of FILE (.zst, .gz or plain)
#   bench_result LABEL FILE [BYTES]  one line: wall, CPU, peak RSS, MB per CPU-second
#   bench_row CELL...                "| CELL | CELL |"
#   bench_machine                    "N cores, CPU model, load L1 L5 L15"
#
# Throughput is always per CPU-second (user + system): on a shared machine
# wall time measures the neighbours as well.

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The script that sourced this file, as the repository names it: messages start with it.
bench_script=$(realpath --relative-to="$bench_root" "${BASH_SOURCE[1]:-$0}")
bench_bin=${BENCH_BIN:-$bench_root/bin}
command -v go >/dev/null || PATH=$PATH:/usr/local/go/bin

bench_need() {
	local t pkg missing=""
	for t in "$@"; do
		command -v "$t" >/dev/null && continue
		case $t in
		taskset) pkg=util-linux ;;
		node) pkg=nodejs ;;
		zcat) pkg=gzip ;;
		go) pkg="Go (scripts/setup.sh)" ;;
		*) pkg=$t ;;
		esac
		missing+="${missing:+, }$t (apt-get install $pkg)"
	done
	[[ -z $missing ]] && return 0
	echo "$bench_script: needs $missing" >&2
	exit 1
}

bench_need_data() {
	[[ -e $1 ]] && return 0
	echo "$bench_script: needs $1 ($2)" >&2
	exit 1
}

# The lingua sentences several benchmarks are built from.
# shellcheck disable=SC2034 # read by the scripts that source this file
bench_lingua=${LINGUA:-$bench_root/../shared/data/lingua-sentences}
# shellcheck disable=SC2034
bench_lingua_how="the labelled sentences of ../shared/data beside the repository, or LINGUA=DIR"

bench_need go taskset
mkdir -p "$bench_bin"
(cd "$bench_root" && go build -trimpath -o "$bench_bin/bench-rtime" ./bench/rtime)

bench_time() {
	local f=$1
	shift
	"$bench_bin/bench-rtime" -o "$f" "$@"
}

bench_time1() {
	local f=$1
	shift
	GOMAXPROCS=1 "$bench_bin/bench-rtime" -o "$f" taskset -c 0 "$@"
}

bench_cpu() { awk '{ s += $2 + $3 } END { printf "%.6f\n", s }' "$1"; }
bench_user() { awk '{ s += $2 } END { printf "%.6f\n", s }' "$1"; }
bench_sys() { awk '{ s += $3 } END { printf "%.6f\n", s }' "$1"; }
bench_wall() { awk '{ s += $1 } END { printf "%.6f\n", s }' "$1"; }
bench_cpu_best() { awk 'NR == 1 || $2 + $3 < m { m = $2 + $3 } END { printf "%.6f\n", m }' "$1"; }
bench_rss() { awk -v d="${2:-1}" '$4 > m { m = $4 } END { printf "%.*f\n", d, m / 1024 }' "$1"; }
bench_runs() { awk 'END { print NR }' "$1"; }
bench_mbps() { awk -v b="$1" -v s="$2" -v d="${3:-1}" 'BEGIN { if (s > 0) printf "%.*f\n", d, b / 1e6 / s; else print "-" }'; }

bench_bytes() {
	case $1 in
	*.zst) zstd -q -dc "$1" | wc -c ;;
	*.gz) zcat "$1" | wc -c ;;
	*) stat -c %s "$1" ;;
	esac
}

bench_result() {
	local label=$1 f=$2 bytes=${3:-}
	awk -v label="$label" -v bytes="$bytes" '
		{ w += $1; u += $2; s += $3; if ($4 > m) m = $4; n++ }
		END {
			runs = ""
			if (n > 1) runs = n " runs, "
			printf "%s: %s%.2f s wall, %.2f CPU s (user %.2f, sys %.2f), peak RSS %.1f MiB", label, runs, w, u + s, u, s, m / 1024
			if (bytes != "" && u + s > 0) printf ", %.1f MB per CPU-second", bytes / 1e6 / (u + s)
			printf "\n"
		}' "$f"
}

bench_row() {
	local c out="|"
	for c in "$@"; do out+=" $c |"; done
	echo "$out"
}

bench_machine() {
	echo "$(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
}
