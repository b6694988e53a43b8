#!/usr/bin/env bash
# The speed benchmark of issue 3: dtrust against the Go notary client and `docker trust
# inspect`, on one notary-server (TLS, 127.0.0.1 only), in the same run.
#
#   bash bench/run.sh            sizes 1, 100, 1000, 10000 (about 6 minutes on 2 cores)
#   bash bench/run.sh --quick    sizes 1 and 100 (about 1.5 minutes)
#   bash bench/run.sh --sizes "1000 10000" --out results.md
#
# Expects a build in $DTRUST_BUILD_DIR (default: build/) with the targets `dtrust` and
# `dtrust-bench-populate`; installs nothing except GNU time when it is missing and we are root.
# Needs hyperfine, notary-server, notary, docker (CLI only, no daemon), openssl, curl, python3.
# See bench/README.md for what is measured and how.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${DTRUST_BUILD_DIR:-$ROOT/build}
DTRUST=$BUILD/cli/dtrust
POPULATE=$BUILD/bench/dtrust-bench-populate
SIZES="1 100 1000 10000"
OUT=""
while (($#)); do
  case "$1" in
    --quick) SIZES="1 100" ;;
    --sizes) SIZES="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
SHAPES="plain docker"
REGISTRY=localhost:5000  # only a name: docker trust never contacts the image's registry

for tool in hyperfine notary-server notary docker openssl curl python3 "$DTRUST" "$POPULATE"; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found" >&2; exit 1; }
done
if [[ ! -x /usr/bin/time ]]; then
  if [[ $(id -u) == 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
  fi
fi
HAVE_TIME=0
[[ -x /usr/bin/time ]] && HAVE_TIME=1

source "$ROOT/bench/lib.sh"
bench_setup dtrust-bench
[[ -n $OUT ]] || OUT=$ROOT/bench/results-$(date -u +%Y%m%dT%H%M%SZ).md

# ---- TLS and notary-server on a free loopback port (bench/lib.sh) ---------------------------
bench_start_server

# docker: the CA where docker looks for it (it skips verification for a loopback registry
# anyway), one config dir per cache state.
docker_config() {  # docker_config DIR
  mkdir -p "$1/tls/localhost:$PORT"
  cp "$CA" "$1/tls/localhost:$PORT/ca.crt"
}

# ---- dtrust's online mode --------------------------------------------------------------------
DTRUST_ONLINE=1
if ! "$DTRUST" lookup --help 2>&1 | grep -q -- '--server'; then
  DTRUST_ONLINE=0
  echo "dtrust online commands not available: measuring notary and docker only" >&2
fi

# ---- measurement -----------------------------------------------------------------------------
RESULTS=$WORK/results.tsv  # tool op size shape state mean_ms sd_ms requests peak_kib
: >"$RESULTS"
requests_logged() { grep -c '"msg":"response completed"' "$LOG" || true; }

runs_for() {  # runs_for SIZE -> "warmup runs"
  case "$1" in
    10000) echo "1 10" ;;
    1000) echo "2 10" ;;
    *) echo "3 20" ;;
  esac
}

# measure TOOL OP SIZE SHAPE STATE PREPARE EXPECT -- CMD...
# One instrumented run (after PREPARE) counts the server's requests and the peak RSS and checks
# that stdout contains EXPECT; then hyperfine times the command (PREPARE before every run).
measure() {
  local tool=$1 op=$2 size=$3 shape=$4 state=$5 prepare=$6 expect=$7
  shift 8
  local name="$tool $op $shape-$size $state"
  bash -c "$prepare"
  local before after peak="" out=$WORK/out.txt
  before=$(requests_logged)
  if ((HAVE_TIME)); then
    if ! /usr/bin/time -f %M -o "$WORK/rss" "$@" >"$out" 2>"$WORK/err.txt"; then
      echo "  $name: FAILED ($(head -c 300 "$WORK/err.txt"))" >&2
      return 0
    fi
    peak=$(tail -1 "$WORK/rss")
  elif ! "$@" >"$out" 2>"$WORK/err.txt"; then
    echo "  $name: FAILED ($(head -c 300 "$WORK/err.txt"))" >&2
    return 0
  fi
  after=$(requests_logged)
  if [[ -n $expect ]] && ! grep -q -- "$expect" "$out"; then
    echo "  $name: output lacks $expect" >&2
    return 0
  fi
  read -r warmup runs < <(runs_for "$size")
  local -a prep=()
  [[ $prepare == : ]] || prep=(--prepare "$prepare")
  hyperfine -N --style none --warmup "$warmup" --runs "$runs" "${prep[@]}" \
    --export-csv "$WORK/h.csv" -- "$(printf '%q ' "$@")" >/dev/null 2>&1 || {
    echo "  $name: hyperfine failed" >&2
    return 0
  }
  local mean sd
  IFS=, read -r mean sd < <(awk -F, 'NR==2 {printf "%.1f,%.1f\n", $2*1000, $3*1000}' "$WORK/h.csv")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$op" "$size" "$shape" "$state" \
    "$mean" "$sd" "$((after - before))" "$peak" >>"$RESULTS"
  printf '  %-38s %9s ms ± %-7s %3s requests  %6s KiB\n' "$name" "$mean" "$sd" \
    "$((after - before))" "${peak:-n/a}" >&2
}

for size in $SIZES; do
  for shape in $SHAPES; do
    gun=$REGISTRY/bench/$shape-$size
    tag=v$size
    digest=$(printf '%s' "$gun:$tag" | sha256sum | cut -d' ' -f1)
    echo "== $gun" >&2
    "$POPULATE" -s "$URL" --tlscacert "$CA" --gun "$gun" --tags "$size" --shape "$shape" >&2

    nd=$WORK/notary-$shape-$size       # Go notary's trust dir
    dc=$WORK/docker-$shape-$size       # DOCKER_CONFIG for docker
    td=$WORK/dtrust-$shape-$size       # dtrust's trust dir (list/lookup)
    tc=$WORK/dtrust-docker-$shape-$size  # DOCKER_CONFIG for dtrust inspect
    docker_config "$dc"
    docker_config "$tc"
    notary=(notary -s "$URL" --tlscacert "$CA" -d "$nd")
    dtrust=("$DTRUST")

    for state in cold warm; do
      if [[ $state == cold ]]; then
        wipe_n="rm -rf '$nd'" wipe_d="rm -rf '$dc/trust'" wipe_t="rm -rf '$td'"
        wipe_c="rm -rf '$tc/trust'"
      else
        # Warm: the first (instrumented) run fills the cache; hyperfine keeps it.
        wipe_n=: wipe_d=: wipe_t=: wipe_c=:
        "${notary[@]}" list "$gun" >/dev/null 2>&1 || true
        DOCKER_CONFIG=$dc docker trust inspect "$gun" >/dev/null 2>&1 || true
      fi
      measure notary list "$size" "$shape" "$state" "$wipe_n" "$tag" -- "${notary[@]}" list "$gun"
      measure notary lookup "$size" "$shape" "$state" "$wipe_n" "$digest" -- \
        "${notary[@]}" lookup "$gun" "$tag"
      measure docker inspect "$size" "$shape" "$state" "$wipe_d" "\"$tag\"" -- \
        env DOCKER_CONFIG="$dc" DOCKER_CONTENT_TRUST_SERVER="$URL" docker trust inspect "$gun"
      if ((DTRUST_ONLINE)); then
        if [[ $state == warm ]]; then
          "$DTRUST" list -s "$URL" --tlscacert "$CA" -d "$td" "$gun" >/dev/null 2>&1 || true
          DOCKER_CONFIG=$tc DOCKER_CONTENT_TRUST_SERVER=$URL "$DTRUST" inspect "$gun" \
            >/dev/null 2>&1 || true
        fi
        measure dtrust list "$size" "$shape" "$state" "$wipe_t" "$tag" -- \
          "$DTRUST" list -s "$URL" --tlscacert "$CA" -d "$td" "$gun"
        measure dtrust lookup "$size" "$shape" "$state" "$wipe_t" "$digest" -- \
          "$DTRUST" lookup -s "$URL" --tlscacert "$CA" -d "$td" "$gun" "$tag"
        measure dtrust inspect "$size" "$shape" "$state" "$wipe_c" "\"$tag\"" -- \
          env DOCKER_CONFIG="$tc" DOCKER_CONTENT_TRUST_SERVER="$URL" "$DTRUST" inspect "$gun"
      fi
    done
  done
done

# ---- report ----------------------------------------------------------------------------------
"$ROOT/bench/report.sh" "$RESULTS" "$DTRUST_ONLINE" | tee "$OUT"
cp "$RESULTS" "${OUT%.md}.tsv"
echo "results: $OUT (raw: ${OUT%.md}.tsv)" >&2
