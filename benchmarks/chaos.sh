#!/usr/bin/env bash
# The fault campaign of issue 8, long mode: --runs runs (default 20) of three broker processes, two
# exactly-once `tlsmon run` instances and two `tlsmon ship` processes under seeded SIGKILLs, SIGSTOPs
# and wiped state, each counted against its input. Writes benchmarks/results/chaos.md (machine,
# command, one row per run, every fault); each run's process logs stay in streams/target/chaos-campaign/.
#
#   benchmarks/chaos.sh [--runs 20] [--seed N] [--singles 5] [--wipes 2] [--pauses 2] [--doubles 3] [--rate 150]
#                       [--report FILE]
#
# Exit 0 when every run lost and duplicated nothing and committed the reference's alerts, else 1.
# About 4-7 minutes a run on 2 cores. Everything listens on 127.0.0.1 only.
# MVN_FLAGS (default -o) is passed to Maven; the build is the reactor's, nothing is installed in ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

runs=20
seed=$(date +%s)
report="$root/benchmarks/results/chaos.md"
plan=(--singles 5 --wipes 2 --pauses 2 --doubles 3)
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --report) report=$(realpath -m "$2"); shift 2 ;;
    --singles|--wipes|--pauses|--doubles|--rate) extra+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "chaos.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

# shellcheck disable=SC2086
mvn -B -q ${MVN_FLAGS--o} -pl streams -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/chaos-classpath.txt -Dmdep.includeScope=test
cd streams   # the workload reads the fixtures at ../core/src/test/resources/fixtures
cp="target/test-classes:target/classes:$(cat target/chaos-classpath.txt)"
exec java -Xmx1g -cp "$cp" io.tlsmon.it.chaos.ChaosCampaign --runs "$runs" --seed "$seed" \
    "${plan[@]}" "${extra[@]}" --dir target/chaos-campaign --report "$report" \
    --command "benchmarks/chaos.sh --runs $runs --seed $seed ${extra[*]}   # at commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- . || echo ' with local changes')"
