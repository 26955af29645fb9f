#!/usr/bin/env bash
# Aggregates the CPU samples (jdk.ExecutionSample) of a JFR recording, for Java 17 where
# `jfr view hot-methods` does not exist yet.
#
#   bench/jfr-top.sh recording.jfr [top-n] [thread-filter]
#
# Prints: the top frames (the method on top of the stack: where the CPU is spent), the same
# grouped by package, and the top Kvorum methods counted inclusively (anywhere in the stack: what
# the CPU is spent for). thread-filter is a regular expression on the thread name, e.g. eventloop.
set -euo pipefail

if [ $# -lt 1 ] || [ ! -f "$1" ]; then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
FILE=$1
TOP=${2:-25}
THREADS=${3:-.}

jfr print --events jdk.ExecutionSample --stack-depth 64 "$FILE" | awk -v top="$TOP" -v threads="$THREADS" '
  function clean(f) { sub(/^[ \t]+/, "", f); sub(/[ \t]+line:.*$/, "", f); return f }
  function pkg(f,   p, n, i, out) {
    sub(/\(.*$/, "", f); n = split(f, p, "."); out = p[1]
    for (i = 2; i <= n - 2 && i <= 3; i++) out = out "." p[i]
    return out
  }
  /sampledThread = / { keep = ($0 ~ threads) }
  /stackTrace = \[/ { if (keep) { instack = 1; depth = 0; delete seen; total++ } ; next }
  instack && /^[ \t]*\]/ { instack = 0; next }
  instack && /\.\.\.$/ { next }
  instack {
    f = clean($0)
    if (depth == 0) { self[f]++; bypkg[pkg(f)]++ }
    if (f ~ /^io\.kvorum\./ && !(f in seen)) { seen[f] = 1; incl[f]++ }
    depth++
  }
  END {
    if (total == 0) { print "no execution samples (thread filter: " threads ")"; exit }
    printf "%d execution samples (thread filter: %s)\n\n", total, threads
    print "== top frames (self)"
    for (f in self) printf "%7d %5.1f%%  %s\n", self[f], 100 * self[f] / total, f | "sort -rn | head -" top
    close("sort -rn | head -" top)
    print "\n== self time by package"
    for (p in bypkg) printf "%7d %5.1f%%  %s\n", bypkg[p], 100 * bypkg[p] / total, p | "sort -rn | head -" top
    close("sort -rn | head -" top)
    print "\n== Kvorum methods, inclusive (on the stack)"
    for (f in incl) printf "%7d %5.1f%%  %s\n", incl[f], 100 * incl[f] / total, f | "sort -rn | head -" top
    close("sort -rn | head -" top)
  }'
