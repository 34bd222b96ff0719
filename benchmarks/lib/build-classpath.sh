# Sourced by benchmarks/e2e.sh and benchmarks/memory.sh: builds what the benchmark harness needs and
# sets BENCH_CP to a classpath whose project classes are a private copy, so that a rebuild of this
# checkout while a benchmark runs cannot change the running JVM. Needs: BENCH_ROOT (the checkout).
#
# Maven builds the reactor only (-pl streams -am): the project's own modules are taken from their
# target/ folders, never from ~/.m2, and nothing is installed there (no `mvn install`: snapshot jars
# in ~/.m2 would be picked up by other checkouts). MVN_ARGS adds Maven arguments (e.g. MVN_ARGS=-o).

bench_build() {
  local root="$BENCH_ROOT"
  BENCH_WORK="$(mktemp -d "${TMPDIR:-/tmp}/tlsmon-bench.XXXXXX")"
  trap 'rm -rf "$BENCH_WORK"' EXIT
  echo "building: mvn -B -q ${MVN_ARGS:-} -pl streams -am test-compile dependency:build-classpath (in $root)" >&2
  # shellcheck disable=SC2086
  (cd "$root" && mvn -B -q ${MVN_ARGS:-} -pl streams -am test-compile dependency:build-classpath \
      -Dmdep.outputFile="$BENCH_WORK/deps.txt" -Dmdep.includeScope=test) >&2
  [ -s "$BENCH_WORK/deps.txt" ] || { echo "the build wrote no classpath ($BENCH_WORK/deps.txt)" >&2; exit 1; }
  local deps m kind
  deps="$(cat "$BENCH_WORK/deps.txt")"
  for m in schemas core ingest streams; do
    for kind in classes test-classes; do
      if [ -d "$root/$m/target/$kind" ]; then
        mkdir -p "$BENCH_WORK/$m"
        cp -R "$root/$m/target/$kind" "$BENCH_WORK/$m/$kind"
        deps="${deps//"$root/$m/target/$kind"/"$BENCH_WORK/$m/$kind"}"
      fi
    done
  done
  BENCH_CP="$BENCH_WORK/streams/test-classes:$BENCH_WORK/streams/classes:$deps"
  export BENCH_CP BENCH_WORK
}

# What the results files record about the machine and the moment of the run (on stdout). No pipe
# into head: under pipefail a writer killed by SIGPIPE would end the script.
bench_machine_info() {
  local root="$BENCH_ROOT" dirty=""
  [ -n "$(git -C "$root" status --porcelain 2>/dev/null || true)" ] && dirty=" (with uncommitted changes)"
  echo "---- machine ($(date -u '+%Y-%m-%d %H:%M:%S UTC'))"
  echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$dirty on $(git -C "$root" rev-parse --abbrev-ref HEAD 2>/dev/null || echo '?')"
  echo "nproc: $(nproc)"
  free -h
  lscpu | sed -n '1,15p'
  java -version 2>&1
  echo "uptime:$(uptime)"
  echo "----"
}
