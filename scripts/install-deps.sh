#!/usr/bin/env bash
# Installs everything dtrust needs to build and test on Debian 12 (run as root).
# Build: CMake, Ninja, g++, Botan 2, Boost (Asio/Beast), OpenSSL, nlohmann/json, LevelDB (+snappy,
# which LevelDB's CMake config links), Catch2 v2.
# Test peers: notary (notary-server, notary-signer, Go notary client), docker-registry, openssl.
# Benchmarks: hyperfine.
set -euo pipefail
packages=(
  cmake ninja-build g++ pkg-config
  libbotan-2-dev libboost-dev libssl-dev nlohmann-json3-dev libleveldb-dev libsnappy-dev catch2
  notary docker-registry openssl ca-certificates python3
  hyperfine
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
