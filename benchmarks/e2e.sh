#!/usr/bin/env bash
# End-to-end benchmark of tlsmon: in one JVM, against an in-process KRaft broker, N generated mail-log
# lines through Kafka's ConsumerPerformance, a minimal Kafka Streams app (the Streams floor) and the
# tlsmon topology, under each guarantee. The last line of stdout is
#   ratio-to-consumer X ratio-to-streams-floor Y
#
#   benchmarks/e2e.sh [--lines 1000000] [--partitions 1] [--threads 1] \
#                     [--guarantee at_least_once,exactly_once_v2] [--commit-interval-ms 100|default] \
#                     [--warmup-lines 100000] [--consumer-runs 3] [--seed 42] [--set key=value,...] \
#                     [--timeout-minutes 60]
#
# Environment: JAVA_OPTS (default -Xmx2g) for the benchmark JVM, MVN_ARGS for Maven (e.g. -o).
# Builds with Maven first (reactor only, nothing installed to ~/.m2). See benchmarks/README.md.
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
echo "command: benchmarks/e2e.sh $*"
echo "java ${JAVA_OPTS:--Xmx2g} -cp <classpath> io.tlsmon.bench.EndToEndBenchmark $*"
set +e
# shellcheck disable=SC2086
java ${JAVA_OPTS:--Xmx2g} -cp "$BENCH_CP" io.tlsmon.bench.EndToEndBenchmark "$@"
rc=$?
set -e
exit $rc
}
main "$@"
exit
