#!/usr/bin/env bash
# Smoke test of the tlsmon container images, run by .ci/run: builds the Debian JRE base
# (docker/build-base.sh, cached) and the Jib image tar (mvn -Pimage), starts a private dockerd (own
# data and exec roots and socket under a temp dir, no bridge, no iptables; stopped on exit), loads
# the image and runs it with --network none:
#   - the image's user, volume and port;
#   - tlsmon classify over a fixture mounted read-only: the attempts are the rows of its expected.tsv;
#   - tlsmon demo (in-process broker): exits 0, raises alerts, and gives the attempts and alerts that
#     tlsmon classify gives in the same image over the same logs (one engine, two adapters);
#   - tlsmon run without a token refuses a wildcard bind; with a token file it turns healthy (the
#     probe script), answers 401 without the token and 200 with it, and writes its state on the volume;
#   - docker/Dockerfile, built on the same base, passes the same run check with its own HEALTHCHECK.
# Prints the image size and the time from `docker run` to the demo's first alert.
#
# Also validates docker/compose.yaml (docker-compose config, yamllint, docker/check_compose.py).
# Exit 0 when every check passed, or when this machine lacks the tools or root (skipped, saying
# why); 1 when a check failed. TLSMON_SMOKE_MVN_FLAGS adds Maven flags (e.g. -o).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cd "$repo"

say() { echo "docker smoke: $*"; }
passed=0
failed=0
failures=()
pass() { passed=$((passed + 1)); say "ok: $*"; }
fail() { failed=$((failed + 1)); failures+=("$*"); say "FAILED: $*"; }
summary() {
  echo "docker-smoke: $passed passed, $failed failed"
  if [ "$failed" -gt 0 ]; then
    printf 'docker smoke: failed: %s\n' "${failures[@]}" >&2
    exit 1
  fi
}
# The checks that ran still count when the image part is skipped.
skip() { say "SKIPPED: $*"; summary; exit 0; }

# --- docker/compose.yaml: it cannot start here (its images would be pulled), so it is validated --
if command -v docker-compose >/dev/null; then
  compose_out=$(mktemp)
  # config resolves the secret's file: an empty stand-in, not the token docker/up.sh may have made
  if TLSMON_API_TOKEN_FILE="$compose_out" docker-compose -f docker/compose.yaml config >"$compose_out.yaml" 2>"$compose_out.err"; then
    pass "docker-compose $(docker-compose version --short) config accepts docker/compose.yaml"
    if python3 docker/check_compose.py "$compose_out.yaml" >"$compose_out.check"; then
      pass "$(tail -1 "$compose_out.check")"
    else
      fail "$(grep FAILED "$compose_out.check" | head -10)"
    fi
  else
    fail "docker-compose config: $(cat "$compose_out.err")"
  fi
  rm -f "$compose_out" "$compose_out.yaml" "$compose_out.err" "$compose_out.check"
elif python3 -c 'import yaml' 2>/dev/null; then
  if python3 docker/check_compose.py >/tmp/tlsmon-compose-check.$$; then pass "$(tail -1 /tmp/tlsmon-compose-check.$$)"; else fail "$(grep FAILED /tmp/tlsmon-compose-check.$$ | head -10)"; fi
  rm -f /tmp/tlsmon-compose-check.$$
  say "docker-compose not found: the compose file was checked without compose's own validation"
fi
if command -v yamllint >/dev/null; then
  if yamllint -d '{extends: default, rules: {line-length: {max: 120}, document-start: disable}}' docker/compose.yaml >/dev/null; then
    pass "yamllint accepts docker/compose.yaml"
  else
    fail "yamllint: $(yamllint -f parsable -d '{extends: default, rules: {line-length: {max: 120}, document-start: disable}}' docker/compose.yaml | head -5)"
  fi
fi

if [ "$(id -u)" -ne 0 ]; then
  skip "needs root (debootstrap, dockerd)"
fi
for tool in debootstrap umoci skopeo dockerd jq mvn; do
  command -v "$tool" >/dev/null || skip "$tool not found (bash .ci/install-docker.sh installs the image tools)"
done
# The client of the same release as the daemon, when the machine has another one first on PATH.
if [ -x /usr/bin/docker ]; then DOCKER_BIN=/usr/bin/docker; else DOCKER_BIN=$(command -v docker || true); fi
[ -n "$DOCKER_BIN" ] || skip "no docker client (package docker.io)"

work=$(mktemp -d /tmp/tlsmon-smoke.XXXXXX)
sock="$work/docker.sock"
dockerd_pid=
containers=()

dk() { "$DOCKER_BIN" --host "unix://$sock" "$@"; }

cleanup() {
  local c
  # best effort to the end: a step that finds nothing to undo must not stop the rest (set -e)
  set +e
  if [ -n "$dockerd_pid" ]; then
    for c in "${containers[@]}"; do dk rm -f "$c" >/dev/null 2>&1 || true; done
    kill "$dockerd_pid" 2>/dev/null || true
    # dockerd unmounts its layers and stops its containerd on the way out: wait for it before rm
    for _ in $(seq 1 30); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$dockerd_pid" 2>/dev/null || true
  fi
  # anything still mounted under the temp dir (an interrupted dockerd) must not be deleted through
  grep -o " $work/[^ ]*" /proc/self/mounts 2>/dev/null | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
  rm -rf "$work"
  # the status of the run, not of the clean-up
  exit "$exit_status"
}
trap 'exit_status=$?; cleanup' EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# --- build -----------------------------------------------------------------------------------
t0=$(now)
set +e
base_tar=$(bash docker/build-base.sh 2>"$work/base.log")
rc=$?
set -e
if [ $rc -eq 3 ]; then
  cat "$work/base.log" >&2
  skip "the base image cannot be built on this machine (above)"
elif [ $rc -ne 0 ]; then
  cat "$work/base.log" >&2
  fail "docker/build-base.sh exited $rc"
  summary
fi
sed 's/^/  /' "$work/base.log"
t1=$(now)
say "base image: $(secs "$t0" "$t1") s"

# shellcheck disable=SC2086
if ! mvn -B -q ${TLSMON_SMOKE_MVN_FLAGS:-} -Pimage -DskipTests package -pl streams -am >"$work/mvn.log" 2>&1; then
  tail -50 "$work/mvn.log" >&2
  fail "mvn -Pimage package"
  summary
fi
image_tar=streams/target/jib-image.tar
t2=$(now)
say "Jib image tar: $(secs "$t1" "$t2") s, $(du -m "$image_tar" | cut -f1) MB ($image_tar)"

# --- a private daemon --------------------------------------------------------------------------
mkdir -p "$work/data" "$work/exec"
dockerd --data-root "$work/data" --exec-root "$work/exec" --host "unix://$sock" --pidfile "$work/dockerd.pid" \
  --iptables=false --ip6tables=false --bridge=none >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
for _ in $(seq 1 60); do
  dk version >/dev/null 2>&1 && break
  kill -0 "$dockerd_pid" 2>/dev/null || break
  sleep 0.5
done
if ! dk version >/dev/null 2>&1; then
  tail -30 "$work/dockerd.log" >&2
  fail "the private dockerd did not start"
  summary
fi
t3=$(now)
say "dockerd $(dk version -f '{{.Server.Version}}') ready in $(secs "$t2" "$t3") s, storage driver $(dk info -f '{{.Driver}}')"

image=$(dk load -q -i "$image_tar" | sed -n 's/^Loaded image: //p' | tail -1)
[ -n "$image" ] || { fail "docker load gave no image name"; summary; }
base_image=$(dk load -q -i "$base_tar" | sed -n 's/^Loaded image: //p' | tail -1)
image_mb=$(( $(dk image inspect -f '{{.Size}}' "$image") / 1000000 ))
base_mb=$(( $(dk image inspect -f '{{.Size}}' "$base_image") / 1000000 ))
say "image $image: $image_mb MB (base $base_image: $base_mb MB, application layers: $((image_mb - base_mb)) MB)"

# --- the image's configuration ------------------------------------------------------------------
cfg=$(dk image inspect -f '{{json .Config}}' "$image")
uid=$(dk run --rm --network none --entrypoint id "$image" -u)
if [ "$uid" != 0 ] && [ "$(jq -r .User <<<"$cfg")" = "10001:10001" ] && [ "$uid" = 10001 ]; then
  pass "runs as uid $uid, not root"
else
  fail "image user: config $(jq -r .User <<<"$cfg"), id -u $uid"
fi
if jq -e '.Volumes | keys == ["/var/lib/tlsmon"]' <<<"$cfg" >/dev/null && jq -e '.ExposedPorts | has("8080/tcp")' <<<"$cfg" >/dev/null; then
  pass "one volume /var/lib/tlsmon, port 8080 exposed"
else
  fail "volumes $(jq -c .Volumes <<<"$cfg"), ports $(jq -c .ExposedPorts <<<"$cfg")"
fi

# --- classify over a fixture: its expected.tsv is the contract -----------------------------------
fixture=core/src/test/resources/fixtures/postfix
mapfile -t logs < <(cd "$fixture" && ls -- *.log)
set +e
dk run --rm --network none -v "$repo/$fixture:/logs:ro" "$image" classify --output jsonl "${logs[@]/#//logs/}" \
  >"$work/classify.jsonl" 2>"$work/classify.err"
rc=$?
set -e
jq -r 'select(.record=="attempt") | [(.evidence[0].file | split("/") | last), .sourceKind, .outcome] | @tsv' \
  "$work/classify.jsonl" | sort >"$work/classify.tsv"
grep -v -e '^#' -e '^file	' "$fixture/expected.tsv" | cut -f1-3 | sort >"$work/expected.tsv"
if [ $rc -eq 0 ] && diff -u "$work/expected.tsv" "$work/classify.tsv" >"$work/classify.diff"; then
  pass "classify in the container: $(wc -l <"$work/classify.tsv") attempts over ${#logs[@]} files, the rows of $fixture/expected.tsv"
else
  fail "classify in the container (exit $rc): $(tail -1 "$work/classify.err"); diff against expected.tsv: $(head -20 "$work/classify.diff")"
fi

# --- demo: the live path on the in-process broker -------------------------------------------------
demo_logs=streams/src/main/resources/demo
containers+=(tlsmon-smoke-demo)
first_alert=
t_run=$(now)
set +e
dk run --rm --network none --name tlsmon-smoke-demo "$image" demo --output jsonl --duration 150s \
    2>"$work/demo.err" | while IFS= read -r line; do
  printf '%s\n' "$line" >>"$work/demo.jsonl"
  if [ ! -e "$work/first-alert" ] && [[ $line == *'"record":"alert"'* ]]; then
    now >"$work/first-alert"
  fi
done
rc=${PIPESTATUS[0]}
set -e
t_end=$(now)
[ -e "$work/first-alert" ] && first_alert=$(secs "$t_run" "$(cat "$work/first-alert")")
touch "$work/demo.jsonl"
demo_attempts=$(jq -c 'select(.record=="attempt")' "$work/demo.jsonl" | wc -l)
demo_raised=$(jq -c 'select(.record=="alert" and .type=="RAISED")' "$work/demo.jsonl" | wc -l)
in_jvm=$(sed -n 's/.*first alert after \([0-9.]* s\).*/\1/p' "$work/demo.err" | tail -1)
if [ $rc -eq 0 ] && [ "$demo_raised" -gt 0 ]; then
  pass "demo in the container: exit 0, $demo_attempts attempts, $demo_raised alerts raised; first alert $first_alert s after docker run (${in_jvm:-?} after the JVM started), run $(secs "$t_run" "$t_end") s"
else
  fail "demo in the container: exit $rc, $demo_raised alerts raised: $(tail -5 "$work/demo.err")"
fi
# The same logs offline, in the same image: what the live path must agree with.
dk run --rm --network none -v "$repo/$demo_logs:/demo:ro" "$image" classify --output jsonl /demo \
  >"$work/demo-classify.jsonl" 2>/dev/null || true
# Not the server (nor the outbound sender, server|connector): the demo names its replayed logs'
# hosts (ex01, mx2) as a shipper would, where classify reads them off the lines.
key='select(.record=="attempt") | [.sourceKind, .direction, .startTime, .outcome, (.remoteIp // "-"), (.tlsVersion // "-"), (.probableCause // "-")] | @tsv'
alerts='select(.record=="alert") | [.rule, .type, .direction, .outcome, (if .direction == "inbound" then .sender else "-" end)] | @tsv'
if diff <(jq -r "$key" "$work/demo-classify.jsonl" | sort) <(jq -r "$key" "$work/demo.jsonl" | sort) >"$work/demo-attempts.diff" \
   && diff <(jq -r "$alerts" "$work/demo-classify.jsonl" | sort) <(jq -r "$alerts" "$work/demo.jsonl" | sort) >"$work/demo-alerts.diff"; then
  pass "demo's attempts and alerts are classify's over the same logs ($(jq -r "$alerts" "$work/demo.jsonl" | cut -f1,2 | sort | uniq -c | awk '{printf "%s%s %s:%s", (NR>1?", ":""), $1, $2, $3}'))"
else
  fail "demo and classify disagree (< classify, > demo): $(cat "$work/demo-attempts.diff" "$work/demo-alerts.diff" 2>/dev/null | head -20)"
fi

# --- run: refused without a token, healthy with one ------------------------------------------------
set +e
refusal=$(dk run --rm --network none "$image" run 2>&1 >/dev/null)
rc=$?
set -e
if [ $rc -eq 2 ] && [[ $refusal == *tlsmon.http.token* ]]; then
  pass "tlsmon run without a token refuses the image's wildcard bind (exit 2, names tlsmon.http.token)"
else
  fail "tlsmon run without a token: exit $rc: $(tail -3 <<<"$refusal")"
fi

mkdir -m 700 "$work/secrets"
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/secrets/api-token"
# readable by the container's user: the 0700 folder above keeps it from other users of this host
chmod 644 "$work/secrets/api-token"
token=$(cat "$work/secrets/api-token")

# GET inside the container (no network, no curl in the image): bash's /dev/tcp, as the probe does.
http_status() { # container path [token]
  local auth=""
  [ -n "${3:-}" ] && auth="Authorization: Bearer $3\r\n"
  dk exec "$1" bash -c "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET $2 HTTP/1.1\r\nHost: localhost\r\n${auth}Connection: close\r\n\r\n' >&3 && read -r _ s _ <&3 && echo \$s" 2>/dev/null || echo none
}

run_check() { # label image [docker run flags...]
  local label=$1 img=$2 name="tlsmon-smoke-run-$RANDOM" started healthy_at status deadline
  shift 2
  containers+=("$name")
  started=$(now)
  dk run -d --name "$name" --network none \
    -v "$work/secrets/api-token:/run/secrets/tlsmon-api-token:ro" \
    -e TLSMON_HTTP_TOKEN_FILE=/run/secrets/tlsmon-api-token -e TLSMON_HTTP_ADVERTISED_HOST=localhost \
    --mount "type=volume,src=$name-state,dst=/var/lib/tlsmon" "$@" "$img" run >/dev/null
  deadline=$(( $(date +%s) + 150 ))
  status=starting
  while [ "$(date +%s)" -lt "$deadline" ]; do
    status=$(dk inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.Status}}' "$name" 2>/dev/null || echo "gone gone")
    case $status in healthy*|unhealthy*|*exited*|*dead*|gone*) break ;; esac
    sleep 1
  done
  healthy_at=$(now)
  if [[ $status != healthy* ]]; then
    fail "$label: tlsmon run is '$status' after $(secs "$started" "$healthy_at") s: $(dk logs "$name" 2>&1 | tail -5)"
    return
  fi
  local anon authed state
  anon=$(http_status "$name" /api/summary)
  authed=$(http_status "$name" /api/summary "$token")
  state=$(dk exec "$name" bash -c 'ls -d /var/lib/tlsmon/streams/*/ 2>/dev/null | head -1; stat -c %u /var/lib/tlsmon/streams' | tr '\n' ' ')
  if [ "$anon" = 401 ] && [ "$authed" = 200 ] && [[ $state == /var/lib/tlsmon/streams/*" 10001 " ]]; then
    pass "$label: tlsmon run healthy after $(secs "$started" "$healthy_at") s; /api/summary 401 without the token, 200 with it; state in ${state%% *} owned by 10001"
  else
    fail "$label: /api/summary without token $anon, with token $authed; state: $state"
  fi
  dk stop -t 30 "$name" >/dev/null || true
}

run_check "Jib image" "$image" --health-cmd /opt/tlsmon/bin/tlsmon-healthcheck --health-interval 2s --health-retries 60

# --- docker/Dockerfile on the same base -----------------------------------------------------------
t_build=$(now)
if dk build -q --network none --build-arg "BASE=$base_image" -f docker/Dockerfile -t tlsmon-dockerfile:smoke . >"$work/build.log" 2>&1; then
  say "docker build of docker/Dockerfile on $base_image: $(secs "$t_build" "$(now)") s, $(( $(dk image inspect -f '{{.Size}}' tlsmon-dockerfile:smoke) / 1000000 )) MB"
  hc=$(dk image inspect -f '{{json .Config.Healthcheck.Test}}' tlsmon-dockerfile:smoke)
  if [[ $hc == *tlsmon-healthcheck* ]] && [ "$(dk run --rm --network none --entrypoint id tlsmon-dockerfile:smoke -u)" = 10001 ]; then
    pass "Dockerfile image: HEALTHCHECK $hc, runs as 10001"
  else
    fail "Dockerfile image: HEALTHCHECK $hc"
  fi
  # its own HEALTHCHECK, with a shorter interval only so that the smoke test waits less
  run_check "Dockerfile image" tlsmon-dockerfile:smoke --health-interval 2s --health-retries 60
else
  fail "docker build -f docker/Dockerfile: $(tail -5 "$work/build.log")"
fi

say "image size $image_mb MB; first demo alert $first_alert s after docker run; total $(secs "$t0" "$(now)") s"
summary
