# Shared by bench/run.sh, bench/publish.sh and bench/publish_profile.sh (sourced, not run): an
# isolated environment, a throw-away TLS CA with a certificate for localhost / 127.0.0.1, and a
# notary-server (TLS, in-memory storage, local signing) on a free loopback port. Everything
# lives under $WORK.
#
#   bench_setup PREFIX     WORK=$(mktemp -d /tmp/PREFIX.XXXXXX), HOME inside it, proxies and
#                          docker/notary variables unset, the server stopped and WORK removed
#                          on exit
#   bench_start_server     sets CA, PORT, URL, LOG and SERVER_PID, or exits 1 with the log
#   bench_tag_list RUN TAGS FILE
#                          "vI sha256:<hex> SIZE" for I = 1..TAGS into FILE, digests new in
#                          every RUN (the publish benchmarks)

bench_cleanup() {
  if [[ -n ${SERVER_PID:-} ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}

bench_setup() {
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  SERVER_PID=""
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  export HOME=$WORK/home  # nothing reads or writes the user's ~/.notary or ~/.docker
  mkdir -p "$HOME"
  unset DOCKER_CONFIG DOCKER_CONTENT_TRUST_SERVER NOTARY_AUTH http_proxy https_proxy \
    HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
}

bench_make_tls() {
  local tls=$WORK/tls
  mkdir -p "$tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=dtrust-bench-ca -keyout "$tls/ca.key" -out "$tls/ca.crt" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign,cRLSign 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
    -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$tls/ext"
  openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" \
    -CAcreateserial -days 2 -extfile "$tls/ext" -out "$tls/server.crt" 2>/dev/null
  CA=$tls/ca.crt
}

bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# One attempt: the server answers its health check within 5 s, or it is stopped.
bench_try_server() {
  PORT=$(bench_free_port)
  cat >"$WORK/server.json" <<JSON
{"server": {"http_addr": "127.0.0.1:$PORT",
            "tls_cert_file": "$WORK/tls/server.crt", "tls_key_file": "$WORK/tls/server.key"},
 "trust_service": {"type": "local"},
 "storage": {"backend": "memory"},
 "logging": {"level": "info"}}
JSON
  : >"$LOG"
  notary-server -config "$WORK/server.json" >>"$LOG" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 500); do
    if curl -sf --cacert "$CA" "https://localhost:$PORT/_notary_server/health" >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.01
  done
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  return 1
}

bench_start_server() {
  bench_make_tls
  LOG=$WORK/server.log
  for _ in 1 2 3 4 5; do
    if bench_try_server; then
      URL=https://localhost:$PORT
      return 0
    fi
  done
  echo "bench: notary-server did not start" >&2
  cat "$LOG" >&2
  exit 1
}

bench_tag_list() {
  python3 - "$1" "$2" >"$3" <<'PY'
import hashlib, sys
run, tags = int(sys.argv[1]), int(sys.argv[2])
for i in range(1, tags + 1):
    content = f"run {run} tag v{i}".encode()
    print(f"v{i} sha256:{hashlib.sha256(content).hexdigest()} {100 + i}")
PY
}
