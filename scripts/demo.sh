#!/usr/bin/env bash
# The main job on its embedded default.
#
# Offline: verify fixtures/delegations, a repository written by the real Go notary 0.7 client and
# notary-server (see fixtures/README.md), and show tampered, expired and wrongly pinned copies
# refused. Its server-signed timestamp lives 14 days, so the demo verifies "as of" the time the
# fixture was generated (dtrust says so on stderr).
#
# Online (when the Debian `notary` package is installed): a local notary-server on 127.0.0.1
# with in-memory storage; dtrust signs tags into a new repository with keys in a temporary trust
# dir (passphrases from DOCKER_CONTENT_TRUST_*_PASSPHRASE, no prompt: stdin is not read), the Go
# notary client reads what dtrust wrote, and a man-in-the-middle (scripts/tamper_proxy.py) serves
# a tampered targets.json and a replayed old timestamp, which dtrust refuses without touching its
# trust cache. Everything is removed on exit.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dtrust=${DTRUST:-$here/build/cli/dtrust}
set_dir=$here/fixtures/delegations
gun=$(sed -n 's/^  "gun": "\(.*\)",$/\1/p' "$set_dir/MANIFEST.json")
generated=$(sed -n 's/^  "generated_at": "\(.*\)",$/\1/p' "$set_dir/MANIFEST.json")
meta=$set_dir/tuf/$gun/metadata
# One minute after generation: inside every role's validity window.
at=$(date -u -d "$generated + 1 minute" +%Y-%m-%dT%H:%M:%SZ)

if [[ -t 1 ]]; then BOLD=$'\033[1m' PLAIN=$'\033[0m'; else BOLD='' PLAIN=''; fi
step() { printf '\n%s== %s%s\n' "$BOLD" "$*" "$PLAIN"; }

step "dtrust inspect --pretty: docker trust inspect's view of $gun"
"$dtrust" inspect --pretty --from "$meta" --at "$at" "$gun"

step "dtrust list: the Go notary CLI's table"
"$dtrust" list --from "$meta" --at "$at" "$gun"

step "dtrust lookup $gun both"
"$dtrust" lookup --from "$meta" --at "$at" "$gun" both

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

step "a tampered copy: one digest in targets/releases.json changed"
cp -r "$meta" "$work/tampered"
python3 - "$work/tampered/targets/releases.json" <<'PY'
import sys
path = sys.argv[1]
data = open(path, encoding="utf-8").read()
i = data.index('"sha256":"') + len('"sha256":"')
flipped = "B" if data[i] != "B" else "C"
open(path, "w", encoding="utf-8").write(data[:i] + flipped + data[i + 1:])
PY
if "$dtrust" inspect --from "$work/tampered" --at "$at" "$gun" >/dev/null; then
  echo "FAIL: tampered data was accepted" >&2
  exit 1
fi
"$dtrust" lookup --from "$work/tampered" --at "$at" "$gun" both || echo "(refused, exit $?)"

step "expired data: the same repository as of a year later"
"$dtrust" lookup --from "$meta" --at "$(date -u -d "$generated + 1 year" +%Y-%m-%dT%H:%M:%SZ)" \
  "$gun" both || echo "(refused, exit $?)"

step "a pinned root that does not match"
"$dtrust" lookup --from "$meta" --at "$at" \
  --root-key c15164663f80d58bf3d8d5a0cd08b8086cba02065feb00421fc2a5436c563210 "$gun" both ||
  echo "(refused, exit $?)"

# ---- Online: dtrust signs, the Go client reads, a man-in-the-middle is refused.
if ! command -v notary-server >/dev/null || ! command -v notary >/dev/null; then
  step "done (offline part only: install the Debian notary package for the online part)"
  exit 0
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
cat >"$work/server.json" <<JSON
{"server":{"http_addr":"127.0.0.1:$port"},"trust_service":{"type":"local"},
 "storage":{"backend":"memory"},"logging":{"level":"info"}}
JSON
notary-server -config "$work/server.json" >"$work/server.log" 2>&1 &
pids+=($!)
url=http://127.0.0.1:$port
# The man-in-the-middle: forwards to the server; its mode file says what it changes.
echo pass >"$work/proxy.mode"
python3 "$here/scripts/tamper_proxy.py" "$url" "$work/proxy.mode" "$work/proxy.port" \
  2>>"$work/proxy.log" &
pids+=($!)
for _ in $(seq 200); do
  [[ -s $work/proxy.port ]] &&
    python3 -c "import urllib.request; urllib.request.urlopen('$url/_notary_server/health')" \
      2>/dev/null && break
  sleep 0.05
done
proxy=http://127.0.0.1:$(cat "$work/proxy.port")

repo=example.com/demo/signed
digest_of() { printf 'sha256:%s' "$(printf 'manifest %s' "$1" | sha256sum | cut -d' ' -f1)"; }
size_of() { local content="manifest $1"; echo "${#content}"; }
# The signer: keys in their own temporary trust dir, passphrases from the environment.
export DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE=demo-root-passphrase
export DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE=demo-repository-passphrase
sign() { "$dtrust" sign -s "$url" -d "$work/signer" --digest "$(digest_of "$1")" \
  --size "$(size_of "$1")" "$repo:$1" </dev/null; }
# The reader: another trust dir (its own trust cache), reading through the proxy.
reader() { "$dtrust" "$1" -s "$proxy" -d "$work/reader" "${@:2}"; }

step "dtrust sign: $repo:v1 into a new repository on the local notary-server $url"
sign v1
# A reader sees v1; the proxy keeps this (soon old) timestamp for the replay below.
reader resolve "$repo:v1" >/dev/null
step "dtrust sign: $repo:v2"
sign v2

step "dtrust inspect --pretty $repo (a reader through the proxy, which passes everything)"
reader inspect --pretty "$repo"

step "the Go notary client reads what dtrust wrote: notary list $repo"
notary -s "$url" -d "$work/notary" list "$repo" </dev/null

step "dtrust resolve: tags to trusted digests, as DOCKER_CONTENT_TRUST=1 docker pull did"
reader resolve "$repo:v1" "$repo:v2"

cache_sum() {  # the reader's trust cache files (LevelDB's text LOG files aside)
  (cd "$work/reader/dtrust-cache" && find . -type f ! -name 'LOG*' -print0 | sort -z |
    xargs -0 sha256sum) | sha256sum | cut -c1-16
}
attack() {  # attack MODE COMMAND...: the command must fail and leave the trust cache unchanged
  local mode=$1 before after rc=0
  shift
  echo "$mode" >"$work/proxy.mode"
  : >"$work/proxy.log"
  before=$(cache_sum)
  "$@" >/dev/null 2>"$work/err" || rc=$?
  echo pass >"$work/proxy.mode"
  after=$(cache_sum)
  sort -u "$work/proxy.log"
  cat "$work/err"
  if ((rc == 0)) || [[ $before != "$after" ]]; then
    echo "FAIL: the attack was accepted (exit $rc) or the trust cache changed" >&2
    exit 1
  fi
  echo "(refused, exit $rc; trust cache unchanged: $before)"
}

step "a rolled-back response: the proxy replays the timestamp it served before v2 was signed"
attack replay reader resolve "$repo:v2"

step "dtrust add + publish (notary's staging commands) signs v3 with the same keys"
export NOTARY_TARGETS_PASSPHRASE=$DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE
"$dtrust" add -s "$url" -d "$work/signer" "$repo" v3 --digest "$(digest_of v3)" \
  --size "$(size_of v3)"
"$dtrust" publish -s "$url" -d "$work/signer" "$repo" </dev/null

step "a tampered response: the proxy flips one digit of a digest in the new targets.json"
attack tamper reader resolve "$repo:v3"

step "the Go notary client signs v4 with the keys dtrust made (the same trust dir)"
go_notary() { notary -s "$url" -d "$work/signer" "$@" </dev/null; }
go_notary addhash "$repo" v4 "$(size_of v4)" --sha256 "$(digest_of v4 | cut -d: -f2)"
go_notary publish "$repo"

step "the proxy passes the real responses again: v3 and v4 resolve"
reader resolve "$repo:v3" "$repo:v4"
requests() { grep -c 'response completed' "$work/server.log"; }
before=$(requests)
reader lookup "$repo" v3 >/dev/null
step "a warm dtrust lookup cost $(($(requests) - before)) HTTP request (the timestamp)"

step "the server is gone: dtrust lookup --offline answers from the trust cache"
kill "${pids[0]}"
"$dtrust" lookup --offline -d "$work/reader" "$repo" v2

step "done: dtrust signed, good data verified, tampered and rolled-back data refused"
