#!/usr/bin/env bash
# Summarises a collapsed-stacks CPU profile (async-profiler's `collapsed` output: one line per
# distinct stack, frames separated by ';', then the sample count).
#
#   bench/profile-top.sh profile.collapsed [top-n] [frame-filter]
#
# Prints the top frames (self: where the CPU is spent), the same grouped by package, the threads,
# and the top Kvorum methods counted inclusively (anywhere in the stack: what the CPU is spent
# for). frame-filter is a regular expression a stack must contain to be counted, e.g. GroupCommit.
set -euo pipefail

if [ $# -lt 1 ] || [ ! -f "$1" ]; then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
FILE=$1
TOP=${2:-25}
FILTER=${3:-.}

awk -v top="$TOP" -v filter="$FILTER" '
  function pkg(f,   p, n, i, out) {
    if (f ~ /_\[k\]$/) return "(kernel)"
    if (f !~ /[\/]/) return "(JVM and native)"
    sub(/\(.*$/, "", f); sub(/_\[.\]$/, "", f); n = split(f, p, /[.\/]/); out = p[1]
    for (i = 2; i <= n - 2 && i <= 3; i++) out = out "." p[i]
    return out
  }
  {
    n = $NF; stack = $0; sub(/ [0-9]+$/, "", stack)
    if (stack !~ filter) next
    total += n
    k = split(stack, fr, ";")
    self[fr[k]] += n; bypkg[pkg(fr[k])] += n
    thread = fr[1]; sub(/ tid=.*$/, "", thread); gsub(/[0-9]+/, "#", thread); threads[thread] += n
    delete seen
    for (i = 1; i <= k; i++) if (fr[i] ~ /io[.\/]kvorum/ && !(fr[i] in seen)) { seen[fr[i]] = 1; incl[fr[i]] += n }
  }
  function show(title, arr,   i, j, key, cnt, m, t) {
    print "\n== " title
    m = 0; for (key in arr) { m++; keys[m] = key }
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (arr[keys[j]] > arr[keys[i]]) { t = keys[i]; keys[i] = keys[j]; keys[j] = t }
    for (i = 1; i <= m && i <= top; i++) printf "%7d %5.1f%%  %s\n", arr[keys[i]], 100 * arr[keys[i]] / total, keys[i]
    delete keys
  }
  END {
    printf "%d samples (filter: %s)\n", total, filter
    show("top frames (self)", self)
    show("self time by package", bypkg)
    show("threads", threads)
    show("Kvorum methods, inclusive (on the stack)", incl)
  }' "$FILE"
