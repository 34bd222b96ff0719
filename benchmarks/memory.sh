#!/usr/bin/env bash
# Memory run of tlsmon: a workload of many distinct senders (default 1,000,000, one Postfix session
# each) through the tlsmon topology in its own JVM with a fixed -Xmx and tlsmon.rocksdb.memory.bytes;
# reports that JVM's peak RSS (VmHWM) against heap + RocksDB bound. The last line of stdout is
#   peak-rss-mib X bound-mib Y heap-max-mib H rocksdb-bound-mib R
#
#   benchmarks/memory.sh [--senders 1000000] [--app-heap 512m] [--rocksdb-bytes 67108864] \
#                        [--partitions 1] [--threads 1] [--guarantee at_least_once] \
#                        [--commit-interval-ms default] [--session-gap-ms 10] [--child-jvm-opts '...'] \
#                        [--set key=value,...] [--timeout-minutes 90]
#
# Environment: JAVA_OPTS (default -Xmx2g) for the JVM of the broker and the load generator (not
# measured), MVN_ARGS for Maven. The measured app JVM inherits the environment (e.g. MALLOC_ARENA_MAX).
set -euo pipefail
# The whole script is one function, read before any of it runs: editing or checking out this file
# while a benchmark runs cannot change what the running shell does next.
main() {
case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
esac
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=benchmarks/lib/build-classpath.sh
source "$BENCH_ROOT/benchmarks/lib/build-classpath.sh"
bench_build
bench_machine_info
echo "command: benchmarks/memory.sh $*"
echo "java ${JAVA_OPTS:--Xmx2g} -cp <classpath> io.tlsmon.bench.MemoryBenchmark $*"
set +e
# shellcheck disable=SC2086
java ${JAVA_OPTS:--Xmx2g} -cp "$BENCH_CP" io.tlsmon.bench.MemoryBenchmark "$@"
rc=$?
set -e
exit $rc
}
main "$@"
exit
