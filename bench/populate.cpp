// dtrust-bench-populate: creates one repository with N tags on a Notary v1 server in a single
// publish, with dtrust's own builder (tuf/builder.h) and server API (notary/remote.h). The Go
// client would need one `notary addhash` + `publish` per tag, minutes for 10,000 tags; this
// takes well under a second.
//
// Shapes (what `bench/run.sh` measures):
//   plain   root + `targets` holding every tag + a client-signed snapshot (notary's default:
//           the server signs only the timestamp).
//   docker  what `docker trust signer add alice` + `docker trust sign` leave behind: `targets`
//           delegates to `targets/releases` and `targets/alice` (both paths [""], one shared
//           signer key), each listing every tag; `targets` itself lists none. The snapshot is
//           server-managed (docker's default): root lists the server's snapshot key and no
//           snapshot is uploaded.
//
// Tags are v1..vN. Each digest is sha256("<gun>:<tag>") and each size is derived from it, so a
// run is reproducible and `lookup` results can be checked by anyone.
//
// Optionally (--trust-dir) the private keys are written in notary's key-store layout
// (<dir>/private/<id>.key, PBES2-encrypted with --passphrase) so the Go notary client or docker
// could re-sign the repository. Reads need no keys.
//
// Benchmark tooling, not part of dtrust: errors go to stderr, exit 1.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "notary/http_client.h"
#include "notary/remote.h"
#include "trustcache/key_store.h"
#include "tuf/builder.h"
#include "tuf/crypto.h"
#include "tuf/keys.h"
#include "tuf/metadata.h"
#include "tuf/time.h"

namespace {

constexpr std::string_view kUsage =
    "Usage: dtrust-bench-populate -s URL [--tlscacert FILE] --gun GUN --tags N\n"
    "                             [--shape plain|docker] [--trust-dir DIR [--passphrase P]]\n";

constexpr std::string_view kSignerRole = "targets/alice";

struct Options {
  std::string server;
  std::string ca_file;
  std::string gun;
  int64_t tags = 0;
  std::string shape = "plain";
  std::string trust_dir;
  std::string passphrase = "bench-passphrase";
};

[[noreturn]] void fail(std::string_view message) {
  std::cerr << "dtrust-bench-populate: " << message << "\n";
  std::exit(1);
}

Options parse_args(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) fail(std::string(arg) + " needs a value");
      return argv[++i];
    };
    if (arg == "-s" || arg == "--server") {
      o.server = value();
    } else if (arg == "--tlscacert") {
      o.ca_file = value();
    } else if (arg == "--gun") {
      o.gun = value();
    } else if (arg == "--tags") {
      o.tags = std::stoll(value());
    } else if (arg == "--shape") {
      o.shape = value();
    } else if (arg == "--trust-dir") {
      o.trust_dir = value();
    } else if (arg == "--passphrase") {
      o.passphrase = value();
    } else if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      std::exit(0);
    } else {
      std::cerr << kUsage;
      fail("unknown argument " + std::string(arg));
    }
  }
  if (o.server.empty() || o.gun.empty() || o.tags < 1) {
    std::cerr << kUsage;
    fail("-s, --gun and --tags (>= 1) are required");
  }
  if (o.shape != "plain" && o.shape != "docker") fail("--shape must be plain or docker");
  return o;
}

template <class T>
T value_or_fail(tuf::Result<T> result, std::string_view what) {
  if (!result.ok()) fail(std::string(what) + ": " + result.error().message());
  return std::move(result).value();
}

tuf::Time now() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return tuf::Time::from_unix(
      std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count());
}

// The N tags, each with a reproducible digest and a size between 1 KiB and ~100 MiB.
std::map<std::string, tuf::FileMeta> make_tags(std::string_view gun, int64_t count) {
  std::map<std::string, tuf::FileMeta> out;
  for (int64_t i = 1; i <= count; ++i) {
    const std::string tag = "v" + std::to_string(i);
    const std::string digest = tuf::crypto::sha256(std::string(gun) + ":" + tag);
    uint64_t size = 0;
    for (int b = 0; b < 8; ++b) size = (size << 8) | static_cast<unsigned char>(digest[b]);
    tuf::FileMeta meta;
    meta.length = static_cast<int64_t>(1024 + size % (100u << 20));
    meta.hashes["sha256"] = digest;
    out.emplace(tag, std::move(meta));
  }
  return out;
}

tuf::SigningKey signing_key(const tuf::crypto::PrivateKey& key) {
  return tuf::SigningKey{tuf::public_key_of(key).id(), key};
}

void store_key(const trustcache::KeyStore& store, const tuf::crypto::PrivateKey& key,
               std::string_view role, const Options& o) {
  value_or_fail(store.store(key, role, o.gun, o.passphrase),
                "storing the " + std::string(role) + " key");
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_args(argc, argv);
  const bool docker = o.shape == "docker";
  const tuf::Time t = now();
  const auto started = std::chrono::steady_clock::now();

  notary::HttpOptions http_options;
  http_options.use_proxy_env = false;
  if (!o.ca_file.empty()) http_options.tls.ca_files = {o.ca_file};
  notary::HttpClient http(http_options);
  notary::Remote remote(http, nullptr, o.server, o.gun);

  // Keys: root (certificate), targets, snapshot (local for plain), signer (docker).
  const auto root_key = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  const auto targets_key = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  const auto snapshot_key = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  const auto signer_key = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  const tuf::PublicKey root_public =
      value_or_fail(tuf::make_root_certificate_key(root_key, o.gun, t), "root certificate");
  const tuf::PublicKey timestamp_public =
      value_or_fail(remote.get_server_key("timestamp"), "GET timestamp.key");
  const tuf::PublicKey snapshot_public =
      docker ? value_or_fail(remote.get_server_key("snapshot"), "GET snapshot.key")
             : tuf::public_key_of(snapshot_key);

  const tuf::Root root = tuf::new_root(root_public, tuf::public_key_of(targets_key),
                                       snapshot_public, timestamp_public, t);
  const std::string root_bytes =
      tuf::sign_role(root, {tuf::SigningKey{root_public.id(), root_key}});

  std::vector<notary::RoleFile> files = {{"root", root_bytes}};
  auto tags = make_tags(o.gun, o.tags);
  tuf::Targets targets = tuf::new_targets(t);
  if (docker) {
    const tuf::PublicKey signer_public = tuf::public_key_of(signer_key);
    targets.delegations.keys.emplace(signer_public.id(), signer_public);
    for (std::string_view name : {tuf::kReleasesRole, kSignerRole}) {
      targets.delegations.roles.push_back(
          tuf::DelegatedRole{std::string(name), {signer_public.id()}, {""}, 1});
      tuf::Targets delegated = tuf::new_targets(t);
      delegated.targets = tags;
      files.push_back({std::string(name), tuf::sign_role(delegated, {signing_key(signer_key)})});
    }
  } else {
    targets.targets = std::move(tags);
  }
  const std::string targets_bytes = tuf::sign_role(targets, {signing_key(targets_key)});
  files.insert(files.begin() + 1, notary::RoleFile{"targets", targets_bytes});

  if (!docker) {
    std::vector<std::pair<std::string, std::string>> listed;
    for (const auto& f : files) listed.emplace_back(f.role, f.bytes);
    const tuf::Snapshot snapshot = tuf::make_snapshot(listed, 1, t);
    files.push_back({"snapshot", tuf::sign_role(snapshot, {signing_key(snapshot_key)})});
  }

  const tuf::Status published = remote.publish(files);
  if (!published.ok()) fail("publish: " + published.error().message());

  if (!o.trust_dir.empty()) {
    const trustcache::KeyStore store{std::filesystem::path(o.trust_dir)};
    store_key(store, root_key, "root", o);
    store_key(store, targets_key, "targets", o);
    if (docker) {
      store_key(store, signer_key, "alice", o);
    } else {
      store_key(store, snapshot_key, "snapshot", o);
    }
  }

  std::size_t bytes = 0;
  for (const auto& f : files) bytes += f.bytes.size();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  std::cout << o.gun << ": " << o.tags << " tags (" << o.shape << "), " << files.size()
            << " files, " << bytes << " bytes, " << remote.requests() << " requests, " << ms
            << " ms\n";
  return 0;
}
