#!/usr/bin/env bash
# measure.sh — the load measurements of docs/performance.md, end to end.
#
# Builds maillon and maillon-load, starts "maillon serve --demo" on SQLite
# and on PostgreSQL, runs maillon-load against it in each scenario, and
# writes one JSON result per run (plus CPU accounting) to $OUT.
#
#   bash cmd/maillon-load/measure.sh                  # everything
#   SCENARIOS="sqlite-warn-home" bash cmd/maillon-load/measure.sh
#
# Environment: OUT (results directory, default /tmp/maillon-perf),
# DURATION (30s), WARMUP (5s), CLIENTS (32), PG_ADMIN (PostgreSQL admin
# URL, default postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable;
# the script drops and creates the database maillon_bench there, PG_URL),
# QUIET_WAIT (seconds to wait for an idle machine before each run, 900),
# RETRIES (runs per scenario when other processes used the CPU, 3).
#
# The server and the load tool share the machine. Before each run the
# script waits until the machine is idle, and it records how much CPU
# other processes used during the run ("foreign"; interrupt time, mostly
# loopback TCP, is counted apart): a run where they used more than 5 % of
# the machine is repeated, and the quietest is kept.
set -euo pipefail

cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/maillon-perf}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-5s}
CLIENTS=${CLIENTS:-32}
PG_ADMIN=${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
PG_DB=maillon_bench
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/$PG_DB?sslmode=disable}
QUIET_WAIT=${QUIET_WAIT:-900}
RETRIES=${RETRIES:-3}
PORT=${PORT:-18181}
ALL="startup-sqlite startup-postgres sqlite-warn-home sqlite-info-home sqlite-warn-mix sqlite-info-mix pinned-sqlite-warn-home postgres-warn-home postgres-info-home postgres-warn-mix postgres-info-mix"
SCENARIOS=${SCENARIOS:-$ALL}
HZ=$(getconf CLK_TCK)

mkdir -p "$OUT"
BIN=$OUT/bin
mkdir -p "$BIN"
go build -o "$BIN/maillon" ./cmd/maillon
go build -o "$BIN/maillon-load" ./cmd/maillon-load

# machine jiffies: process time (user, nice, system), interrupts (irq and
# softirq: loopback TCP is largely softirq, charged to no process), steal
# (taken by the hypervisor) and the total
stat_cpu() { awk '/^cpu /{print $2+$3+$4, $7+$8, $9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }
# CPU jiffies of a process (0 if gone)
proc_cpu() { awk '{print $14+$15+$16+$17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# "pid jiffies" of each PostgreSQL backend serving $PG_DB
pg_snap() {
	local p
	for p in $(pgrep -f "postgres: .* $PG_DB " || true); do
		echo "$p $(proc_cpu "$p")"
	done
}
# CPU jiffies the backends used between two snapshots; a backend born in
# between counts in full (one that ended in between is lost: the load tool
# lets requests finish, so the server's connections stay open)
pg_delta() {
	awk 'NR == FNR { before[$1] = $2; next } { sum += $2 - before[$1] } END { print sum + 0 }' <(echo "$1") <(echo "$2")
}

wait_quiet() {
	local t0 i1 a1 i2 a2 busy1 busy2 idle
	t0=$(date +%s)
	while :; do
		read -r busy1 _ _ a1 < <(stat_cpu)
		sleep 3
		read -r busy2 _ _ a2 < <(stat_cpu)
		idle=$((100 - 100 * (busy2 - busy1) / (a2 - a1)))
		if [ "$idle" -ge 90 ]; then return 0; fi
		if [ $(($(date +%s) - t0)) -ge "$QUIET_WAIT" ]; then
			echo "  machine still busy (idle ${idle} %), measuring anyway" >&2
			return 0
		fi
	done
}

SERVER_PID=
stop_server() {
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
		SERVER_PID=
	fi
}
trap stop_server EXIT

# start_server DB LEVEL [taskset CPU list]
start_server() {
	local db=$1 level=$2 cpus=${3:-}
	local cmd=("$BIN/maillon" serve --demo --db "$db" --addr "127.0.0.1:$PORT" --log-level "$level")
	if [ -n "$cpus" ]; then cmd=(taskset -c "$cpus" "${cmd[@]}"); fi
	"${cmd[@]}" 2>>"$OUT/serve-$level.log" &
	SERVER_PID=$!
	for _ in $(seq 600); do
		if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then return 0; fi
		sleep 0.05
	done
	echo "server did not start" >&2
	exit 1
}

fresh_databases() {
	rm -f /tmp/maillon-bench.db /tmp/maillon-bench.db-wal /tmp/maillon-bench.db-shm
	dropdb --if-exists -h 127.0.0.1 -U postgres "$PG_DB"
	createdb -h 127.0.0.1 -U postgres "$PG_DB"
}

# run_one NAME ENGINE LEVEL PATHS [server CPUs] [load CPUs]
run_one() {
	local name=$1 engine=$2 level=$3 paths=$4 scpus=${5:-} lcpus=${6:-}
	local db=sqlite:/tmp/maillon-bench.db
	[ "$engine" = postgres ] && db=$PG_URL
	local best_foreign=999999 attempt
	for attempt in $(seq "$RETRIES"); do
		start_server "$db" "$level" "$scpus"
		wait_quiet
		local load=("$BIN/maillon-load" --url "http://127.0.0.1:$PORT" --clients "$CLIENTS" \
			--duration "$DURATION" --warmup "$WARMUP" --paths "$paths" --json)
		if [ -n "$lcpus" ]; then load=(taskset -c "$lcpus" "${load[@]}"); fi
		local b1 i1 st1 a1 s1 p1 b2 i2 st2 a2 s2 p2 t1 t2
		read -r b1 i1 st1 a1 < <(stat_cpu)
		s1=$(proc_cpu "$SERVER_PID")
		p1=$(pg_snap)
		t1=$(date +%s.%N)
		# GNU time is not everywhere: the load tool's CPU comes from bash's
		# times for children, read before and after.
		local c1 c2
		c1=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
		"${load[@]}" >"$OUT/$name.try.json"
		read -r b2 i2 st2 a2 < <(stat_cpu)
		s2=$(proc_cpu "$SERVER_PID")
		p2=$(pg_snap)
		t2=$(date +%s.%N)
		c2=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
		stop_server
		local server=$((s2 - s1)) loadcpu=$((c2 - c1)) pg=$(pg_delta "$p1" "$p2") busy=$((b2 - b1)) all=$((a2 - a1))
		local irq=$((i2 - i1)) steal=$((st2 - st1))
		local foreign=$((busy - server - loadcpu - pg))
		if [ "$foreign" -lt 0 ]; then foreign=0; fi
		# percentages of the whole machine over the run (login included)
		local pct_foreign=$((100 * foreign / all))
		jq --arg name "$name" --arg engine "$engine" --arg level "$level" --arg scpus "$scpus" --arg lcpus "$lcpus" \
			--argjson server "$server" --argjson load "$loadcpu" --argjson pg "$pg" --argjson foreign "$foreign" \
			--argjson irq "$irq" --argjson steal "$steal" --argjson all "$all" --argjson hz "$HZ" --argjson wall "$(echo "$t2 - $t1" | bc)" --argjson attempt "$attempt" \
			'. + {scenario: $name, engine: $engine, log_level: $level, server_cpus: $scpus, load_cpus: $lcpus, attempt: $attempt,
			cpu_s: {server: ($server/$hz), load_tool: ($load/$hz), postgres: ($pg/$hz), foreign: ($foreign/$hz), irq: ($irq/$hz), steal: ($steal/$hz), machine: ($all/$hz)},
			wall_s: $wall}' "$OUT/$name.try.json" >"$OUT/$name.$attempt.json"
		printf '  %-26s try %d: %8.1f req/s  p99 %6.2f ms  errors %d  foreign %d %%\n' "$name" "$attempt" \
			"$(jq .overall.requests_per_second "$OUT/$name.$attempt.json")" "$(jq .overall.p99_ms "$OUT/$name.$attempt.json")" \
			"$(jq .overall.errors "$OUT/$name.$attempt.json")" "$pct_foreign"
		if [ "$foreign" -lt "$best_foreign" ]; then
			best_foreign=$foreign
			cp "$OUT/$name.$attempt.json" "$OUT/$name.json"
		fi
		if [ "$pct_foreign" -le 5 ]; then break; fi
	done
	rm -f "$OUT/$name.try.json"
}

# startup NAME DB: ten starts on an existing database (the first call
# creates it with the demo dataset). Records the server's own figure
# (startup=… on the "listening" log line, from the start of "serve" to
# listening) and, from outside, the time from exec to the first answer of
# /healthz.
startup() {
	local name=$1 db=$2 i t0 t1
	start_server "$db" info # migrates and loads the demo dataset if empty
	stop_server
	: >"$OUT/$name.txt"
	for i in $(seq 10); do
		wait_quiet
		t0=$(date +%s%N)
		"$BIN/maillon" serve --db "$db" --addr "127.0.0.1:$PORT" --log-level info 2>"$OUT/$name.log" &
		SERVER_PID=$!
		until curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do sleep 0.005; done
		t1=$(date +%s%N)
		stop_server
		printf '%s healthz_after_ms=%d\n' "$(grep -o 'startup=[^ ]*' "$OUT/$name.log")" $(((t1 - t0) / 1000000)) | tee -a "$OUT/$name.txt"
	done
}

fresh_databases
for s in $SCENARIOS; do
	case $s in
	sqlite-warn-home) run_one "$s" sqlite warn / ;;
	sqlite-info-home) run_one "$s" sqlite info / ;;
	sqlite-warn-mix) run_one "$s" sqlite warn /,/account ;;
	sqlite-info-mix) run_one "$s" sqlite info /,/account ;;
	startup-sqlite) startup "$s" sqlite:/tmp/maillon-bench.db ;;
	startup-postgres) startup "$s" "$PG_URL" ;;
	pinned-sqlite-warn-home) run_one "$s" sqlite warn / 0 1 ;;
	postgres-warn-home) run_one "$s" postgres warn / ;;
	postgres-info-home) run_one "$s" postgres info / ;;
	postgres-warn-mix) run_one "$s" postgres warn /,/account ;;
	postgres-info-mix) run_one "$s" postgres info /,/account ;;
	*) echo "unknown scenario $s" >&2; exit 2 ;;
	esac
done

# Summary table (Markdown) of the kept runs.
{
	echo "| scenario | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | server CPU s | load tool CPU s | PostgreSQL CPU s | irq+softirq s | other processes CPU s | machine CPU s |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	for s in $SCENARIOS; do
		[ -f "$OUT/$s.json" ] || continue
		jq -r '"| \(.scenario) | \(.overall.requests_per_second|floor) | \(.overall.p50_ms*100|round/100) | \(.overall.p95_ms*100|round/100) | \(.overall.p99_ms*100|round/100) | \(.overall.max_ms*10|round/10) | \(.overall.errors) | \(.cpu_s.server) | \(.cpu_s.load_tool) | \(.cpu_s.postgres) | \(.cpu_s.irq) | \(.cpu_s.foreign) | \(.cpu_s.machine) |"' "$OUT/$s.json"
	done
} | tee "$OUT/summary.md"
