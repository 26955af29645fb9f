#!/usr/bin/env bash
# What one client operation cost the cluster, in counts rather than time: from the /metrics
# snapshots that `KEEP=1 bench/cluster-bench.sh` saves around each cluster workload
# (n<i>-<workload>.metrics.before and .after), summed over the nodes and divided by the client
# requests the nodes served in between (warm-up and measured phase). Unlike throughput, these
# barely move from one run of a build to the next, so they show what a change removes.
#
#   bench/per-op.sh WORK-DIRECTORY [WORKLOAD-LEVEL]     e.g. bench/per-op.sh /tmp/kvorum-bench.Ab12Cd A-QUORUM
#
# Prints: client operations; heap allocated per operation (jvm_gc_memory_allocated_bytes_total);
# young collections per 1,000 operations and their pause per operation; replica batches per
# operation and messages per batch, for the read and the write lane (kvorum_replica_batch_messages);
# storage commits per operation and writes per commit (kvorum_storage_commit_batch); the nodes' minor
# page faults and CPU time per operation (from /proc, added to the snapshots by cluster-bench.sh).
set -euo pipefail

if [ $# -lt 1 ] || [ ! -d "$1" ]; then
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
DIR=$1
WL=${2:-A-QUORUM}
shopt -s nullglob
befores=("$DIR"/n*-"$WL".metrics.before)
if [ ${#befores[@]} -eq 0 ]; then
  echo "per-op: no $DIR/n*-$WL.metrics.before (run cluster-bench.sh with KEEP=1)" >&2
  exit 1
fi

for before in "${befores[@]}"; do
  after=${before%.before}.after
  awk -v sign=-1 '!/^#/ && NF { print sign, $0 }' "$before"
  awk -v sign=1 '!/^#/ && NF { print sign, $0 }' "$after"
done | awk -v hz="$(getconf CLK_TCK)" '
  {
    sign = $1; value = $NF; name = $2
    for (i = 3; i < NF; i++) name = name " " $i
    if (name ~ /^kvorum_client_requests_seconds_count\{/) ops += sign * value
    else if (name ~ /^jvm_gc_memory_allocated_bytes_total\{/) alloc += sign * value
    else if (name ~ /^jvm_gc_pause_seconds_count\{action="end of minor/) ygc += sign * value
    else if (name ~ /^jvm_gc_pause_seconds_sum\{action="end of minor/) ygct += sign * value
    else if (name ~ /^kvorum_replica_batch_messages_count\{lane="read"/) rb += sign * value
    else if (name ~ /^kvorum_replica_batch_messages_sum\{lane="read"/) rm += sign * value
    else if (name ~ /^kvorum_replica_batch_messages_count\{lane="write"/) wb += sign * value
    else if (name ~ /^kvorum_replica_batch_messages_sum\{lane="write"/) wm += sign * value
    else if (name ~ /^kvorum_storage_commit_batch_count\{/) commits += sign * value
    else if (name ~ /^kvorum_storage_commit_batch_sum\{/) committed += sign * value
    else if (name == "bench_process_minor_faults_total") { faults += sign * value; proc = 1 }
    else if (name == "bench_process_cpu_ticks_total") ticks += sign * value
  }
  function per(a, b) { return b > 0 ? a / b : 0 }
  END {
    if (ops <= 0) { print "per-op: no client requests between the snapshots" > "/dev/stderr"; exit 1 }
    printf "client operations          %d\n", ops
    printf "heap allocated per op      %.1f KiB\n", alloc / ops / 1024
    printf "young GCs per 1,000 ops    %.3f (%.1f us of pause per op)\n", ygc / ops * 1000, ygct / ops * 1e6
    printf "read batches per op        %.3f (%.2f messages each)\n", rb / ops, per(rm, rb)
    printf "write batches per op       %.3f (%.2f messages each)\n", wb / ops, per(wm, wb)
    printf "storage commits per op     %.3f (%.2f writes each)\n", commits / ops, per(committed, commits)
    if (!proc) exit
    printf "minor page faults per op   %.3f\n", faults / ops
    printf "node CPU per op            %.1f us (warm-up included)\n", ticks / hz / ops * 1e6
  }'
