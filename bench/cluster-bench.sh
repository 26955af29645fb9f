#!/usr/bin/env bash
# Benchmarks a fresh 3-node Kvorum cluster and, in the same run, this machine's ceiling for our
# stack (the bench's in-memory Vert.x server driven by the same client with the same settings),
# then prints one table with each workload's ratio to the ceiling, and each node's heap use.
#
#   bench/cluster-bench.sh                       # 100k records of 1 KiB, 30 s per workload, 64 in flight
#   DURATION=20s RECORDS=20000 bench/cluster-bench.sh
#
# Environment (defaults in brackets):
#   RECORDS [100000]  VALUE_SIZE [1024]  CONCURRENCY [64]  DURATION [30s]  WARMUP [5s]
#   DISTRIBUTION [uniform]  THREADS [min(4, cores)]  client event loops
#   WORKLOADS ["A:QUORUM B:QUORUM C:QUORUM W:QUORUM A:ONE A:ALL"]  workload:consistency, in order
#   BASE_PORT [18080]   nodes on BASE_PORT+1..3, the ceiling server on BASE_PORT+10
#   NODE_OPTS ["-Xmx256m -XX:+UseSerialGC"]  JVM options of the nodes and the ceiling server
#   NODE_ARGS [""]      extra `kvorum node` arguments, e.g. "--durability periodic"
#   NODE_EVENT_LOOPS [max(1, cores / 3)]  each node's eventLoops: the three nodes share the machine's
#                       cores, as with `bin/kvorum dev-cluster` (0: a lone node's default, one per core)
#   N1_OPTS [""]        extra JVM options for n1 only, e.g. -XX:StartFlightRecording=...
#   JFR [0]             1 records n1 with JFR during each cluster workload's measured phase, into
#                       the work directory as n1-<workload>.jfr (then KEEP=1; see bench/jfr-top.sh)
#   SETTLE [60]         seconds to wait at most, after the load and between workloads, for the nodes
#                       to go idle (writes acknowledged at QUORUM still reach the third replica later)
#   ASYNC_PROFILER [""]  path of async-profiler's libasyncProfiler.so (Maven Central:
#                       tools.profiler:async-profiler): profiles n1's CPU during each cluster workload's
#                       measured phase into n1-<workload>.collapsed (then KEEP=1; see bench/profile-top.sh)
#   PROFILER_EVENT ["event=cpu,interval=1ms"]  what async-profiler samples, e.g. "event=alloc" for
#                       allocations (the collapsed counts are then sampled allocations)
#   CLIENT_OPTS ["-Xmx1g"]  JVM options of the load generator
#   RUN_ARGS [""]       extra `bench run` arguments for every measured workload (cluster and ceiling),
#                       e.g. "--rate 5000": the server CPU per operation then says what an operation
#                       costs at that load rather than at saturation (docs/benchmarks.md)
#   KEEP [0]            1 keeps the temporary directory (logs, JSON results, jstat samples, and each
#                       node's /metrics before and after every cluster workload: n<i>-<workload>.metrics.{before,after},
#                       with the process's minor page faults and CPU ticks from /proc)
#
# Every process it starts is stopped on exit, including on Ctrl-C and on errors.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_JAR="$ROOT/coordinator/target/kvorum.jar"
BENCH_JAR="$ROOT/bench/target/kvorum-bench.jar"

RECORDS="${RECORDS:-100000}"
VALUE_SIZE="${VALUE_SIZE:-1024}"
CONCURRENCY="${CONCURRENCY:-64}"
DURATION="${DURATION:-30s}"
WARMUP="${WARMUP:-5s}"
DISTRIBUTION="${DISTRIBUTION:-uniform}"
THREADS="${THREADS:-}"
WORKLOADS="${WORKLOADS:-A:QUORUM B:QUORUM C:QUORUM W:QUORUM A:ONE A:ALL}"
BASE_PORT="${BASE_PORT:-18080}"
NODE_OPTS="${NODE_OPTS:--Xmx256m -XX:+UseSerialGC}"
NODE_ARGS="${NODE_ARGS:-}"
CORES="$(nproc 2>/dev/null || echo 1)"
NODE_EVENT_LOOPS="${NODE_EVENT_LOOPS:-$((CORES / 3 > 0 ? CORES / 3 : 1))}"
N1_OPTS="${N1_OPTS:-}"
CLIENT_OPTS="${CLIENT_OPTS:--Xmx1g}"
KEEP="${KEEP:-0}"
JFR="${JFR:-0}"
SETTLE="${SETTLE:-60}"
ASYNC_PROFILER="${ASYNC_PROFILER:-}"
PROFILER_EVENT="${PROFILER_EVENT:-event=cpu,interval=1ms}"
RUN_ARGS="${RUN_ARGS:-}"
[ "$JFR" = 1 ] && KEEP=1
[ -n "$ASYNC_PROFILER" ] && KEEP=1

log() { echo "cluster-bench: $*" >&2; }

if [ ! -f "$NODE_JAR" ]; then
  log "building $NODE_JAR ..."
  (cd "$ROOT" && mvn -q -B -pl coordinator -am package -DskipTests)
fi
if [ ! -f "$BENCH_JAR" ]; then
  log "building $BENCH_JAR ..."
  (cd "$ROOT" && mvn -q -B -pl bench -am package -DskipTests)
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kvorum-bench.XXXXXX")"
# run copies, so a rebuild during the run cannot change or break what runs
cp "$NODE_JAR" "$WORK/kvorum.jar"
cp "$BENCH_JAR" "$WORK/kvorum-bench.jar"
NODE_JAR="$WORK/kvorum.jar"
BENCH_JAR="$WORK/kvorum-bench.jar"
PIDS=()       # every process started here: nodes, samplers, the ceiling server, the client
NODE_PIDS=()

stop_pids() { # pid... : TERM, wait up to 15 s, then KILL
  local pid deadline=$((SECONDS + 15))
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ ${#PIDS[@]} -gt 0 ]; then stop_pids "${PIDS[@]}"; fi
  if [ "$KEEP" = 1 ] || [ $rc -ne 0 ]; then
    log "kept $WORK (logs, results)"
  else
    rm -rf "$WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_http() { # url timeout_seconds
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

bench() { # label nodes cpu-pids extra-args... : one `bench run`; with cpu-pids ("1 2 3"), their CPU ticks
  # over the measured phase go to $WORK/<label>.cpu
  local label=$1 nodes=$2 cpu_pids=$3 client before
  shift 3
  log "== $label =="
  # shellcheck disable=SC2086
  java $CLIENT_OPTS -jar "$BENCH_JAR" run --nodes "$nodes" --records "$RECORDS" --value-size "$VALUE_SIZE" \
    --concurrency "$CONCURRENCY" --distribution "$DISTRIBUTION" ${THREADS:+--threads "$THREADS"} "$@" \
    >"$WORK/$label.txt" &
  client=$!
  PIDS+=("$client")
  if [ -n "$cpu_pids" ]; then
    sleep "$(seconds_of "$WARMUP")"
    # shellcheck disable=SC2086
    before=$(cpu_ticks $cpu_pids)
  fi
  wait "$client"
  # shellcheck disable=SC2086
  [ -z "$cpu_pids" ] || echo $(($(cpu_ticks $cpu_pids) - before)) >"$WORK/$label.cpu"
  unset 'PIDS[${#PIDS[@]}-1]'
  cat "$WORK/$label.txt"
}

run_workloads() { # prefix nodes pid...
  local prefix=$1 nodes=$2 spec workload level
  shift 2
  for spec in $WORKLOADS; do
    workload=${spec%%:*}
    level=${spec##*:}
    if [ "$prefix" = ceiling ] && [ -f "$WORK/ceiling-$workload.json" ]; then continue; fi
    local name="$prefix-$workload-$level"
    [ "$prefix" = ceiling ] && name="ceiling-$workload"
    settle "$@"
    if [ "$JFR" = 1 ] && [ "$prefix" = cluster ]; then
      jcmd "$1" JFR.start name="$name" delay="$(with_unit "$WARMUP")" duration="$(with_unit "$DURATION")" filename="$WORK/n1-$workload-$level.jfr" \
        >/dev/null
    fi
    if [ -n "$ASYNC_PROFILER" ] && [ "$prefix" = cluster ]; then
      # attach once the warm-up is over; the profiler stops itself and writes its file after DURATION
      # (one quoted argument: jcmd would split the agent's options at '=' otherwise)
      (sleep "$(seconds_of "$WARMUP")" && jcmd "$1" "JVMTI.agent_load $ASYNC_PROFILER \"start,$PROFILER_EVENT,threads,timeout=$(seconds_of "$DURATION" | cut -d. -f1),collapsed,file=$WORK/n1-$workload-$level.collapsed\"" \
        >/dev/null 2>&1) &
    fi
    if [ "$prefix" = cluster ]; then snapshot_metrics "$nodes" "$workload-$level" before; fi
    # shellcheck disable=SC2086 # RUN_ARGS: several words
    bench "$name" "$nodes" "$*" --workload "$workload" --read-consistency "$level" --write-consistency "$level" \
      --duration "$DURATION" --warmup "$WARMUP" --json "$WORK/$name.json" $RUN_ARGS
    if [ "$prefix" = cluster ]; then snapshot_metrics "$nodes" "$workload-$level" after; fi
  done
}

snapshot_metrics() { # nodes label before|after : each node's /metrics into the work directory (KEEP=1 only),
  # followed by two lines from its /proc/<pid>/stat: minor page faults and CPU ticks (user + system)
  local i=0 node f
  [ "$KEEP" = 1 ] || return 0
  for node in ${1//,/ }; do
    i=$((i + 1))
    curl -fsS "http://$node/metrics" >"$WORK/n$i-$2.metrics.$3" 2>/dev/null || true
    if read -r -a f <"/proc/${NODE_PIDS[$((i - 1))]}/stat" 2>/dev/null; then
      printf 'bench_process_minor_faults_total %s\nbench_process_cpu_ticks_total %s\n' "${f[9]}" \
        "$((f[13] + f[14]))" >>"$WORK/n$i-$2.metrics.$3"
    fi
  done
}

seconds_of() { # 5s, 500ms, 2m, 5 -> seconds (may be fractional)
  awk -v t="$1" 'BEGIN { f = 1; if (t ~ /ms$/) f = 0.001; else if (t ~ /m$/) f = 60; sub(/[a-z]+$/, "", t); print t * f }'
}

with_unit() { [[ $1 =~ ^[0-9]+$ ]] && echo "${1}s" || echo "$1"; }

cpu_ticks() { # pid... : user+system clock ticks so far, summed
  local pid total=0 f
  for pid in "$@"; do
    read -r -a f <"/proc/$pid/stat" || continue
    total=$((total + f[13] + f[14]))
  done
  echo "$total"
}

settle() { # pid... : wait (at most SETTLE s) until they use less than 10% of one core together
  local hz start=$SECONDS a b
  hz=$(getconf CLK_TCK)
  while [ $((SECONDS - start)) -lt "$SETTLE" ]; do
    a=$(cpu_ticks "$@")
    sleep 1
    b=$(cpu_ticks "$@")
    [ $((b - a)) -lt $((hz / 10 + 1)) ] && break
  done
  log "settled in $((SECONDS - start)) s"
}

total_count() { # result.json -> the measured operation count ("total" object)
  awk '/"total" *: *\{/ { t = 1 } t && /"count"/ { gsub(/[^0-9]/, ""); print; exit }' "$1"
}

heap_mib() { # jstat-file: "max used MiB, max committed MiB" over the samples (S0U+S1U+EU+OU, S0C+S1C+EC+OC)
  awk '$1 == "S0C" { for (i = 1; i <= NF; i++) col[$i] = i; next }
       col["OU"] && $1 ~ /^[0-9.]+$/ {
         u = $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]
         c = $col["S0C"] + $col["S1C"] + $col["EC"] + $col["OC"]
         if (u > mu) mu = u; if (c > mc) mc = c }
       END { printf "%.0f %.0f", mu / 1024, mc / 1024 }' "$1"
}

# ---- the cluster -------------------------------------------------------------------------------
for p in $((BASE_PORT + 1)) $((BASE_PORT + 2)) $((BASE_PORT + 3)) $((BASE_PORT + 10)); do
  port_free "$p" || { log "port $p is in use; set BASE_PORT"; exit 1; }
done
MEMBERS="n1@127.0.0.1:$((BASE_PORT + 1)),n2@127.0.0.1:$((BASE_PORT + 2)),n3@127.0.0.1:$((BASE_PORT + 3))"
NODES="127.0.0.1:$((BASE_PORT + 1)),127.0.0.1:$((BASE_PORT + 2)),127.0.0.1:$((BASE_PORT + 3))"
log "work directory $WORK"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
for i in 1 2 3; do
  extra=""
  [ "$i" = 1 ] && extra="$N1_OPTS"
  # shellcheck disable=SC2086
  java $NODE_OPTS $extra -jar "$NODE_JAR" node --id "n$i" --host 127.0.0.1 --port "$((BASE_PORT + i))" \
    --data-dir "$WORK/n$i" --members "$MEMBERS" --set "eventLoops=$NODE_EVENT_LOOPS" $NODE_ARGS >"$WORK/n$i.log" 2>&1 &
  PIDS+=($!)
  NODE_PIDS+=($!)
done
for i in 1 2 3; do
  wait_http "http://127.0.0.1:$((BASE_PORT + i))/ready" 60 || { log "n$i not ready; see $WORK/n$i.log"; exit 1; }
done
for i in 1 2 3; do
  jstat -gc "${NODE_PIDS[$((i - 1))]}" 1000 >"$WORK/n$i.jstat" 2>/dev/null &
  PIDS+=($!)
done
log "cluster up: $NODES"

bench cluster-load "$NODES" "" --load --operations 0 --write-consistency QUORUM --json "$WORK/cluster-load.json"
run_workloads cluster "$NODES" "${NODE_PIDS[@]}"

HEAP="$WORK/heap.txt"
printf '| node | heap used max (MiB) | heap committed max (MiB) | live after full GC (MiB) | RSS (MiB) |\n' >"$HEAP"
printf '|------|---------------------|--------------------------|--------------------------|-----------|\n' >>"$HEAP"
for i in 1 2 3; do
  pid=${NODE_PIDS[$((i - 1))]}
  read -r used committed <<<"$(heap_mib "$WORK/n$i.jstat")"
  jcmd "$pid" GC.run >/dev/null 2>&1 || true
  live=$(jstat -gc "$pid" | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        { printf "%.0f", ($col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]) / 1024 }')
  rss=$(ps -o rss= -p "$pid" | awk '{ printf "%.0f", $1 / 1024 }')
  printf '| n%s   | %19s | %24s | %24s | %9s |\n' "$i" "$used" "$committed" "$live" "$rss" >>"$HEAP"
done
log "stopping the cluster"
stop_pids "${PIDS[@]}"
PIDS=()

# ---- the ceiling -------------------------------------------------------------------------------
CEILING="127.0.0.1:$((BASE_PORT + 10))"
# shellcheck disable=SC2086
java $NODE_OPTS -jar "$BENCH_JAR" ceiling --port "$((BASE_PORT + 10))" >"$WORK/ceiling.log" 2>&1 &
PIDS+=($!)
wait_http "http://$CEILING/health" 30 || { log "ceiling server did not start; see $WORK/ceiling.log"; exit 1; }
bench ceiling-load "$CEILING" "" --load --operations 0 --json "$WORK/ceiling-load.json"
run_workloads ceiling "$CEILING" "${PIDS[@]}"
stop_pids "${PIDS[@]}"
PIDS=()

# ---- the table ---------------------------------------------------------------------------------
rows=()
for spec in $WORKLOADS; do
  workload=${spec%%:*}
  level=${spec##*:}
  rows+=("$workload $level=$WORK/cluster-$workload-$level.json,$WORK/ceiling-$workload.json")
done
echo
echo "Kvorum, 3 nodes on $CORES cores ($NODE_EVENT_LOOPS event loop(s) each), $RECORDS records of $VALUE_SIZE B, $CONCURRENCY in flight, $DURATION per workload" \
  "after $WARMUP warm-up, $DISTRIBUTION keys; ceiling = bench ceiling server, same client and settings"
echo "Load average (1/5/15 min) before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
# shellcheck disable=SC2086
java $CLIENT_OPTS -jar "$BENCH_JAR" report "${rows[@]}" | tee "$WORK/table.md"
echo
echo "Server CPU per operation (user + system time of the three nodes, or of the ceiling server, during the"
echo "measured phase, divided by the operations it completed; less sensitive to other load on the machine):"
echo
printf '| workload   | server cores busy | server CPU us/op | ceiling CPU us/op | cost vs ceiling |\n'
printf '|------------|-------------------|------------------|-------------------|-----------------|\n'
HZ=$(getconf CLK_TCK)
for spec in $WORKLOADS; do
  workload=${spec%%:*}
  level=${spec##*:}
  c="$WORK/cluster-$workload-$level"
  k="$WORK/ceiling-$workload"
  awk -v hz="$HZ" -v label="$workload $level" -v ct="$(cat "$c.cpu")" -v kt="$(cat "$k.cpu")" \
      -v cn="$(total_count "$c.json")" -v kn="$(total_count "$k.json")" -v secs="$(seconds_of "$DURATION")" 'BEGIN {
    cu = cn > 0 ? ct / hz / cn * 1e6 : 0; ku = kn > 0 ? kt / hz / kn * 1e6 : 0
    r = (ku > 0) ? cu / ku : 0
    printf "| %-10s | %17.2f | %16.0f | %17.0f | %14.1fx |\n", label, ct / hz / secs, cu, ku, r }'
done
echo
echo "Node heap (-Xmx from NODE_OPTS: $NODE_OPTS), sampled every second by jstat over the whole cluster run:"
echo
cat "$HEAP"
