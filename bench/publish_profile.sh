#!/usr/bin/env bash
# Where the CPU time of `dtrust publish` goes (issue 4 (b)): RUNS publishes of TAGS staged
# changes to a local notary-server (TLS, 127.0.0.1 only), each sampled by `perf record`, and
# the samples split by the code they landed in.
#
#   bash bench/publish_profile.sh                 20 publishes (about 30 s)
#   bash bench/publish_profile.sh --runs 40 --out profile.md
#
# Every sample is charged to the function it interrupted (no call graphs). dtrust links
# Botan, OpenSSL and LevelDB statically, so the split goes by symbol name: "Botan::...",
# "leveldb::...", dtrust's namespaces (tuf, notary, trustcache, cli) with the header-only
# nlohmann and Boost code they instantiate, libstdc++ ("std::..."), and OpenSSL for the
# binary's remaining C symbols (the only C library linked in). The kernel, glibc and the
# loader come from perf's object names. Milliseconds are the shares applied to the process's
# CPU time measured without perf (getrusage, same publishes), because sampling slows a run.
# Expects a build in $DTRUST_BUILD_DIR (default: build/). Needs notary-server, openssl, curl,
# python3 and perf (Debian: linux-perf) allowed to sample the user's own processes.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${DTRUST_BUILD_DIR:-$ROOT/build}
DTRUST=$BUILD/cli/dtrust
RUNS=20
TAGS=100
OUT=""
while (($#)); do
  case "$1" in
    --runs) RUNS="$2"; shift ;;
    --tags) TAGS="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "publish_profile.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
for tool in notary-server openssl curl python3 perf "$DTRUST"; do
  command -v "$tool" >/dev/null || { echo "publish_profile.sh: $tool not found" >&2; exit 1; }
done

source "$ROOT/bench/lib.sh"
bench_setup dtrust-bench-profile
export NOTARY_ROOT_PASSPHRASE=bench-root NOTARY_TARGETS_PASSPHRASE=bench-targets \
  NOTARY_SNAPSHOT_PASSPHRASE=bench-snapshot
bench_start_server

DT=(-s "$URL" --tlscacert "$CA" -d "$WORK/dtrust")
GUN=localhost:5000/bench/profile
stage() {  # stage RUN: TAGS changes with digests new in this run
  bench_tag_list "$1" "$TAGS" "$WORK/list"
  "$DTRUST" add "${DT[@]}" "$GUN" --from-file "$WORK/list" </dev/null >/dev/null
}
stage 0
"$DTRUST" init "${DT[@]}" "$GUN" </dev/null >/dev/null
perf record -q -o "$WORK/probe.data" true 2>/dev/null ||
  { echo "publish_profile.sh: perf cannot sample here (see kernel.perf_event_paranoid)" >&2; exit 1; }

# Odd runs are sampled, even runs are timed without perf: "CPU_MS" per line.
for ((i = 1; i <= 2 * RUNS; i++)); do
  stage "$i"
  if ((i % 2)); then
    perf record -q -F 20000 -o "$WORK/perf.$i" "$DTRUST" publish "${DT[@]}" "$GUN" \
      </dev/null >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
  else
    python3 - "$DTRUST" publish "${DT[@]}" "$GUN" >>"$WORK/cpu" <<'PY'
import resource, subprocess, sys
def children_cpu_ms():  # the interpreter's own start-up may already have run a child
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (r.ru_utime + r.ru_stime) * 1000
before = children_cpu_ms()
subprocess.run(sys.argv[1:], check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
print(f"{children_cpu_ms() - before:.3f}")
PY
  fi
done
for ((i = 1; i <= 2 * RUNS; i += 2)); do
  perf script -F ip,sym,dso -i "$WORK/perf.$i" 2>/dev/null
done >"$WORK/samples"

report() {
  python3 - "$WORK/samples" "$WORK/cpu" "$RUNS" "$TAGS" <<'PY'
import collections, re, statistics, sys
samples, cpu_file, runs, tags = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
cpu = [float(x) for x in open(cpu_file)]
own = ("tuf::", "notary::", "trustcache::", "cli::")
def part(symbol, dso):
    if "kernel" in dso: return "Linux kernel (system calls, page faults, scheduling)"
    if "ld-linux" in dso or "libc.so" in dso or "libm.so" in dso: return "glibc and the loader"
    if "Botan" in symbol: return "Botan"
    if "leveldb" in symbol: return "LevelDB"
    if symbol.startswith(own) or "nlohmann" in symbol or "boost::" in symbol:
        return "dtrust (with nlohmann, Boost.Asio/Beast)"
    if symbol.startswith(("std::", "__gnu_cxx", "operator new", "operator delete", "__cxa")):
        return "libstdc++"
    if "::" in symbol: return "other C++"
    return "OpenSSL"
counts = collections.Counter()
for line in open(samples):
    m = re.match(r"\s*[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$", line)
    if m: counts[part(m.group(1), m.group(2))] += 1
total = sum(counts.values())
mean_cpu = statistics.mean(cpu)
print(f"CPU time of one `dtrust publish` of {tags} staged changes, by where it is spent:")
print(f"{runs} publishes sampled at 20 kHz ({total} samples), {len(cpu)} timed without perf:")
print(f"{mean_cpu:.1f} ± {statistics.stdev(cpu) if len(cpu) > 1 else 0:.1f} ms CPU per publish.")
print()
print("| code | share | ms per publish |")
print("|---|---:|---:|")
for name, n in counts.most_common():
    print(f"| {name} | {100 * n / total:.1f}% | {mean_cpu * n / total:.2f} |")
PY
}
[[ -n $OUT ]] || OUT=$ROOT/bench/results-publish-profile-$(date -u +%Y%m%dT%H%M%SZ).md
report | tee "$OUT"
