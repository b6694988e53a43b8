#!/usr/bin/env bash
# The main job on its embedded default: verify real notary-made trust data offline with dtrust,
# then show that tampered and rolled-back copies are refused.
#
# The data is fixtures/delegations: a repository written by the real Go notary 0.7 client and
# notary-server (see fixtures/README.md). Its server-signed timestamp lives 14 days, so the
# demo verifies "as of" the time the fixture was generated (dtrust says so on stderr).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dtrust=${DTRUST:-$here/build/cli/dtrust}
set_dir=$here/fixtures/delegations
gun=$(sed -n 's/^  "gun": "\(.*\)",$/\1/p' "$set_dir/MANIFEST.json")
generated=$(sed -n 's/^  "generated_at": "\(.*\)",$/\1/p' "$set_dir/MANIFEST.json")
meta=$set_dir/tuf/$gun/metadata
# One minute after generation: inside every role's validity window.
at=$(date -u -d "$generated + 1 minute" +%Y-%m-%dT%H:%M:%SZ)

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "dtrust inspect --pretty: docker trust inspect's view of $gun"
"$dtrust" inspect --pretty --from "$meta" --at "$at" "$gun"

step "dtrust list: the Go notary CLI's table"
"$dtrust" list --from "$meta" --at "$at" "$gun"

step "dtrust lookup $gun both"
"$dtrust" lookup --from "$meta" --at "$at" "$gun" both

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

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

# ---- Online: a local notary-server (loopback, in-memory storage), data published by the Go
# notary client, verified by dtrust through its trust cache.
if command -v notary-server >/dev/null && command -v notary >/dev/null; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat >"$work/server.json" <<JSON
{"server":{"http_addr":"127.0.0.1:$port"},"trust_service":{"type":"local"},
 "storage":{"backend":"memory"},"logging":{"level":"info"}}
JSON
  notary-server -config "$work/server.json" >"$work/server.log" 2>&1 &
  server_pid=$!
  trap 'kill $server_pid 2>/dev/null || true; rm -rf "$work"' EXIT
  for _ in $(seq 100); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/_notary_server/health')" \
      2>/dev/null && break
    sleep 0.05
  done
  url=http://127.0.0.1:$port
  online=example.com/demo/app
  export NOTARY_ROOT_PASSPHRASE=demo-passphrase NOTARY_TARGETS_PASSPHRASE=demo-passphrase \
    NOTARY_SNAPSHOT_PASSPHRASE=demo-passphrase
  go_notary() { notary -s "$url" -d "$work/notary" "$@" </dev/null >/dev/null 2>&1; }
  step "the Go notary client publishes $online (v1, v2) to a local notary-server on $url"
  go_notary init "$online" -p
  for tag in v1 v2; do
    content="manifest $tag"
    go_notary addhash "$online" "$tag" "${#content}" --sha256 \
      "$(printf '%s' "$content" | sha256sum | cut -d' ' -f1)"
  done
  go_notary publish "$online"
  requests() { grep -c 'response completed' "$work/server.log"; }

  step "dtrust list -s $url $online (cold: root, timestamp, snapshot, targets)"
  "$dtrust" list -s "$url" -d "$work/dtrust" "$online"

  step "dtrust resolve: tags to trusted digests, as DOCKER_CONTENT_TRUST=1 docker pull did"
  "$dtrust" resolve -s "$url" -d "$work/dtrust" "$online:v1" "$online:v2"

  before=$(requests)
  "$dtrust" lookup -s "$url" -d "$work/dtrust" "$online" v2 >/dev/null
  step "a warm dtrust lookup cost $(( $(requests) - before )) HTTP request (the timestamp)"

  step "the server is gone: dtrust lookup --offline answers from the trust cache"
  kill $server_pid
  "$dtrust" lookup --offline -d "$work/dtrust" "$online" v1
fi

step "done: good data verified, bad data refused"
