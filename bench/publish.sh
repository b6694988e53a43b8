#!/usr/bin/env bash
# The publish benchmark of issue 4: dtrust against the Go notary client on one notary-server
# (TLS, 127.0.0.1 only), runs interleaved (dtrust, notary, dtrust, notary, ...).
#
#   bash bench/publish.sh               10 runs per tool and case (about 3 minutes on 2 cores)
#   bash bench/publish.sh --runs 5 --tags 100 --out results.md
#   bash bench/publish.sh --settle 6    (b): wait 6 s between staging and the timed publish
#
# (a) sign and publish TAGS tags:  dtrust add GUN --from-file LIST -p  (one process)
#                                  vs TAGS x `notary addhash` + one `notary publish`
# (b) publish TAGS staged changes: dtrust publish vs notary publish (each staged beforehand,
#                                  untimed, with its own tool's add)
# Every run publishes new digests for the same tags (a publish of unchanged targets is a no-op),
# to a repository each tool initialised itself (`init`, client-signed snapshot). Expects a build
# in $DTRUST_BUILD_DIR (default: build/). Needs notary-server, notary, openssl, curl, python3.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${DTRUST_BUILD_DIR:-$ROOT/build}
DTRUST=$BUILD/cli/dtrust
RUNS=10
TAGS=100
SETTLE=0
OUT=""
while (($#)); do
  case "$1" in
    --runs) RUNS="$2"; shift ;;
    --tags) TAGS="$2"; shift ;;
    --settle) SETTLE="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "publish.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[[ -n ${EPOCHREALTIME:-} ]] || { echo "publish.sh: needs bash 5 or later (\$EPOCHREALTIME)" >&2; exit 1; }
for tool in notary-server notary openssl curl python3 "$DTRUST"; do
  command -v "$tool" >/dev/null || { echo "publish.sh: $tool not found" >&2; exit 1; }
done
FROM_FILE=0
"$DTRUST" add --help 2>&1 | grep -q -- '--from-file' && FROM_FILE=1

source "$ROOT/bench/lib.sh"
bench_setup dtrust-bench-publish
export NOTARY_ROOT_PASSPHRASE=bench-root NOTARY_TARGETS_PASSPHRASE=bench-targets \
  NOTARY_SNAPSHOT_PASSPHRASE=bench-snapshot

# ---- TLS and notary-server on a free loopback port (bench/lib.sh) ---------------------------
bench_start_server

DT=(-s "$URL" --tlscacert "$CA" -d "$WORK/dtrust")
GO=(-s "$URL" --tlscacert "$CA" -d "$WORK/notary")
dtrust() { "$DTRUST" "$@" </dev/null; }
go_notary() { notary "$@" </dev/null; }
GUN_DT=localhost:5000/bench/publish-dtrust
GUN_GO=localhost:5000/bench/publish-notary

tag_list() { bench_tag_list "$1" "$TAGS" "$2"; }  # tag_list N FILE
stage_dtrust() {  # stage_dtrust LIST [-p]
  if ((FROM_FILE)); then
    dtrust add "${DT[@]}" "$GUN_DT" --from-file "$1" "${@:2}" >/dev/null
  else  # before --from-file: one process per tag
    while read -r name digest size; do
      dtrust add "${DT[@]}" "$GUN_DT" "$name" --digest "$digest" --size "$size" >/dev/null
    done <"$1"
    if [[ ${2:-} == -p ]]; then dtrust publish "${DT[@]}" "$GUN_DT" >/dev/null; fi
  fi
}
stage_notary() {  # stage_notary LIST
  while read -r name digest size; do
    go_notary "${GO[@]}" addhash "$GUN_GO" "$name" "$size" --sha256 "${digest#sha256:}" >/dev/null
  done <"$1"
}

notary_stage_and_publish() {  # notary_stage_and_publish LIST
  stage_notary "$1"
  go_notary "${GO[@]}" publish "$GUN_GO" >/dev/null
}

# Both repositories exist before the first timed run (each tool's own init, untimed).
tag_list 0 "$WORK/list"
stage_dtrust "$WORK/list"
dtrust init "${DT[@]}" "$GUN_DT" >/dev/null
stage_notary "$WORK/list"
go_notary "${GO[@]}" init "$GUN_GO" -p >/dev/null

# Microseconds elapsed running "$@" (which must succeed), appended to the file $1. The clock is
# bash's own $EPOCHREALTIME: reading it through `date` forked twice per run and added about
# 1.5 ms to every measurement of either tool.
timed() {
  local file=$1 start end
  shift
  start=${EPOCHREALTIME/[.,]/}
  if ! "$@" >"$WORK/out" 2>"$WORK/err"; then
    echo "publish.sh: FAILED: $* ($(head -c 300 "$WORK/err"))" >&2
    exit 1
  fi
  end=${EPOCHREALTIME/[.,]/}
  echo "$((end - start))" >>"$file"
}
# The server must now serve LIST's digests for the tool's repository (checked with the Go client,
# whichever tool published).
check_served() {  # check_served GUN LIST
  local found
  found=$(notary -s "$URL" --tlscacert "$CA" -d "$WORK/check" list "$1" </dev/null |
    awk 'NR > 2 { print $1, "sha256:" $2, $3 }' | sort | comm -12 - <(sort "$2") | wc -l)
  if ((found != TAGS)); then
    echo "publish.sh: $1 serves $found of the $TAGS expected digests" >&2
    exit 1
  fi
}

# The server's side of one timed publish, from its log after line $1: "GETS POST_MS", the number
# of GETs and the time the server took to handle the POST (its http.response.duration).
server_side() {  # server_side LINE
  tail -n +"$(($1 + 1))" "$LOG" | python3 -c '
import json, re, sys
gets, post_ms = 0, 0.0
for line in sys.stdin:
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if e.get("msg") != "response completed":
        continue
    m = re.fullmatch(r"([0-9.]+)(ms|µs|s)", e.get("http.response.duration", ""))
    ms = float(m.group(1)) * {"ms": 1, "µs": 0.001, "s": 1000}[m.group(2)] if m else 0.0
    if e.get("http.request.method") == "GET":
        gets += 1
    elif e.get("http.request.method") == "POST":
        post_ms += ms
print(gets, f"{post_ms:.2f}")'
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "publish.sh: $RUNS interleaved runs of each case, $TAGS tags, dtrust add --from-file: $(
  ((FROM_FILE)) && echo yes || echo 'no (one dtrust add per tag)')" >&2
run=0
for ((i = 1; i <= RUNS; i++)); do
  # (a) stage and publish in one go
  run=$((run + 1)); tag_list "$run" "$WORK/list"
  timed "$WORK/a-dtrust" stage_dtrust "$WORK/list" -p
  check_served "$GUN_DT" "$WORK/list"
  timed "$WORK/a-notary" notary_stage_and_publish "$WORK/list"
  check_served "$GUN_GO" "$WORK/list"
  # (b) only the publish of staged changes
  run=$((run + 1)); tag_list "$run" "$WORK/list"
  stage_dtrust "$WORK/list"
  sleep "$SETTLE"
  log_from=$(wc -l <"$LOG")
  timed "$WORK/b-dtrust" "$DTRUST" publish "${DT[@]}" "$GUN_DT"
  server_side "$log_from" >>"$WORK/b-dtrust-server"
  check_served "$GUN_DT" "$WORK/list"
  stage_notary "$WORK/list"
  sleep "$SETTLE"
  log_from=$(wc -l <"$LOG")
  timed "$WORK/b-notary" notary "${GO[@]}" publish "$GUN_GO"
  server_side "$log_from" >>"$WORK/b-notary-server"
  check_served "$GUN_GO" "$WORK/list"
  echo "  run $i of $RUNS done" >&2
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

stats() {  # stats FILE -> "mean sd" in ms
  python3 - "$1" <<'PY'
import statistics, sys
v = [int(x) / 1000 for x in open(sys.argv[1])]
print(f"{statistics.mean(v):.1f} {statistics.stdev(v) if len(v) > 1 else 0:.1f}")
PY
}
report() {
  local a_dt_m a_dt_s a_go_m a_go_s b_dt_m b_dt_s b_go_m b_go_s
  read -r a_dt_m a_dt_s <<<"$(stats "$WORK/a-dtrust")"
  read -r a_go_m a_go_s <<<"$(stats "$WORK/a-notary")"
  read -r b_dt_m b_dt_s <<<"$(stats "$WORK/b-dtrust")"
  read -r b_go_m b_go_s <<<"$(stats "$WORK/b-notary")"
  local a_x b_x
  a_x=$(python3 -c "print(f'{$a_go_m / $a_dt_m:.1f}')")
  b_x=$(python3 -c "print(f'{$b_go_m / $b_dt_m:.1f}')")
  local a_cmd="\`dtrust add GUN --from-file LIST -p\`"
  ((FROM_FILE)) || a_cmd="$TAGS × \`dtrust add\` + \`dtrust publish\`"
  echo "Publish benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $TAGS tags, $RUNS interleaved runs per row;"
  echo "$(nproc) cores, load average $load_before before and $load_after after; times are mean ± sd;"
  echo "(b) waited ${SETTLE} s between staging and the timed publish."
  echo
  echo "| case | dtrust | ms | Go notary | ms | speed-up | target |"
  echo "|---|---|---:|---|---:|---:|---|"
  echo "| (a) sign + publish $TAGS tags | $a_cmd | $a_dt_m ± $a_dt_s | $TAGS × \`notary addhash\` + \`notary publish\` | $a_go_m ± $a_go_s | ${a_x}× | ≥ 20×: $(python3 -c "print('met' if $a_x >= 20 else 'NOT met')") |"
  echo "| (b) publish $TAGS staged changes | \`dtrust publish\` | $b_dt_m ± $b_dt_s | \`notary publish\` | $b_go_m ± $b_go_s | ${b_x}× | ≥ 3×: $(python3 -c "print('met' if $b_x >= 3 else 'NOT met')") |"
  echo
  echo "Server side of (b), from notary-server's log (mean per publish): GET requests; time the"
  echo "server took to handle the POST (part of the client's wall time above)."
  echo
  echo "| client | GETs | server POST ms |"
  echo "|---|---:|---:|"
  for tool in dtrust notary; do
    python3 - "$WORK/b-$tool-server" "$tool" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
gets = statistics.mean(int(r[0]) for r in rows)
post = [float(r[1]) for r in rows]
sd = statistics.stdev(post) if len(post) > 1 else 0
print(f"| {sys.argv[2]} | {gets:.1f} | {statistics.mean(post):.1f} ± {sd:.1f} |")
PY
  done
}
[[ -n $OUT ]] || OUT=$ROOT/bench/results-publish-$(date -u +%Y%m%dT%H%M%SZ).md
report | tee "$OUT"
