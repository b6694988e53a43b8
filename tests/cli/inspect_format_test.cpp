// Byte-exact docker trust inspect output for hand-built models (docker-trust-cli.md §2.2,
// §2.3). The expected texts are the spec's captures from docker 28.2.2.
#include <catch2/catch.hpp>

#include "inspect_format.h"

using cli::RepoTrust;
using cli::SignedTagRow;
using cli::SignerInfo;

namespace {

const std::string kD1 = "c43cdd5556d8328015f9de480d98549511268265e17e29b1f9992c323f710e99";
const std::string kD2 = "653a9ade3c456a51acaf860fb08610700e8bd937964a86ade4c1acc8d8037060";
const std::string kD3 = "8dadd464a6282739b71c42949314b1b97e0a043c32e196a155bb277658ea9c14";
const std::string kD4 = "e3d25596e19b727f3415d84679b55d3c23797fa2b8a116e9285b87f0be72eb4d";
const std::string kAlice = "a2f8ac94f7608b304258485125c04051e57916ae481af8a34b30fc81cd1257b4";
const std::string kBob = "1f415396d1b612a6a87feefa55945679bed0e998e5d54d8ada19e80716b7c081";

RepoTrust targetsonly(std::string name) {
  RepoTrust r;
  r.name = std::move(name);
  r.signed_tags = {{"1.9", kD1, {}}, {"1.10", kD2, {}}, {"latest", kD3, {}}, {"v1", kD3, {}}};
  r.root_key_ids = {"9a9c3fbdd2ac8f156fe821b541f97caa937de4ee0e57c557da72fecb9ae915fc"};
  r.targets_key_ids = {"4459cfa3c6f148b45e96365913529a8c10e1504845ea23ebf5271f83f735598a"};
  return r;
}

RepoTrust withsigner(std::string name) {
  RepoTrust r;
  r.name = std::move(name);
  r.signed_tags = {{"latest", kD4, {}},
                   {"v1", kD3, {"alice"}},
                   {"v2", kD2, {"alice", "bob"}},
                   {"v3", kD4, {}},
                   {"v10", kD1, {"bob"}}};
  // Walk order of the delegations: alice before bob (targets.json order).
  r.signers = {{"alice", {kAlice}}, {"bob", {kBob}}};
  r.root_key_ids = {"f469c5d409730259781f84729a304c39884a46841848656d7c16a8603b678a1b"};
  r.targets_key_ids = {"6d611beb1e61c7fad09727de762a7fc470b72d5eec090d7e2d0293fbb937468c"};
  return r;
}

// `text` left-aligned in a column of `width` (what the tabwriter makes of a cell).
std::string pad(const std::string& text, std::size_t width) {
  return text + std::string(width - text.size(), ' ');
}

const char* const kTargetsOnlyJson = R"J([
    {
        "Name": "localhost:5000/test/targetsonly",
        "SignedTags": [
            {
                "SignedTag": "1.9",
                "Digest": "c43cdd5556d8328015f9de480d98549511268265e17e29b1f9992c323f710e99",
                "Signers": [
                    "Repo Admin"
                ]
            },
            {
                "SignedTag": "1.10",
                "Digest": "653a9ade3c456a51acaf860fb08610700e8bd937964a86ade4c1acc8d8037060",
                "Signers": [
                    "Repo Admin"
                ]
            },
            {
                "SignedTag": "latest",
                "Digest": "8dadd464a6282739b71c42949314b1b97e0a043c32e196a155bb277658ea9c14",
                "Signers": [
                    "Repo Admin"
                ]
            },
            {
                "SignedTag": "v1",
                "Digest": "8dadd464a6282739b71c42949314b1b97e0a043c32e196a155bb277658ea9c14",
                "Signers": [
                    "Repo Admin"
                ]
            }
        ],
        "Signers": [],
        "AdministrativeKeys": [
            {
                "Name": "Root",
                "Keys": [
                    {
                        "ID": "9a9c3fbdd2ac8f156fe821b541f97caa937de4ee0e57c557da72fecb9ae915fc"
                    }
                ]
            },
            {
                "Name": "Repository",
                "Keys": [
                    {
                        "ID": "4459cfa3c6f148b45e96365913529a8c10e1504845ea23ebf5271f83f735598a"
                    }
                ]
            }
        ]
    }
]
)J";

const char* const kWithSignerJson = R"J([
    {
        "Name": "localhost:5000/test/withsigner",
        "SignedTags": [
            {
                "SignedTag": "latest",
                "Digest": "e3d25596e19b727f3415d84679b55d3c23797fa2b8a116e9285b87f0be72eb4d",
                "Signers": [
                    "Repo Admin"
                ]
            },
            {
                "SignedTag": "v1",
                "Digest": "8dadd464a6282739b71c42949314b1b97e0a043c32e196a155bb277658ea9c14",
                "Signers": [
                    "alice"
                ]
            },
            {
                "SignedTag": "v2",
                "Digest": "653a9ade3c456a51acaf860fb08610700e8bd937964a86ade4c1acc8d8037060",
                "Signers": [
                    "alice",
                    "bob"
                ]
            },
            {
                "SignedTag": "v3",
                "Digest": "e3d25596e19b727f3415d84679b55d3c23797fa2b8a116e9285b87f0be72eb4d",
                "Signers": [
                    "Repo Admin"
                ]
            },
            {
                "SignedTag": "v10",
                "Digest": "c43cdd5556d8328015f9de480d98549511268265e17e29b1f9992c323f710e99",
                "Signers": [
                    "bob"
                ]
            }
        ],
        "Signers": [
            {
                "Name": "bob",
                "Keys": [
                    {
                        "ID": "1f415396d1b612a6a87feefa55945679bed0e998e5d54d8ada19e80716b7c081"
                    }
                ]
            },
            {
                "Name": "alice",
                "Keys": [
                    {
                        "ID": "a2f8ac94f7608b304258485125c04051e57916ae481af8a34b30fc81cd1257b4"
                    }
                ]
            }
        ],
        "AdministrativeKeys": [
            {
                "Name": "Root",
                "Keys": [
                    {
                        "ID": "f469c5d409730259781f84729a304c39884a46841848656d7c16a8603b678a1b"
                    }
                ]
            },
            {
                "Name": "Repository",
                "Keys": [
                    {
                        "ID": "6d611beb1e61c7fad09727de762a7fc470b72d5eec090d7e2d0293fbb937468c"
                    }
                ]
            }
        ]
    }
]
)J";

const char* const kTargetsOnlyPretty =
    "\n"
    "Signatures for localhost:5000/test/targetsonly\n"
    "\n"
    "SIGNED TAG   DIGEST                                                             SIGNERS\n"
    "1.9          c43cdd5556d8328015f9de480d98549511268265e17e29b1f9992c323f710e99   (Repo Admin)\n"
    "1.10         653a9ade3c456a51acaf860fb08610700e8bd937964a86ade4c1acc8d8037060   (Repo Admin)\n"
    "latest       8dadd464a6282739b71c42949314b1b97e0a043c32e196a155bb277658ea9c14   (Repo Admin)\n"
    "v1           8dadd464a6282739b71c42949314b1b97e0a043c32e196a155bb277658ea9c14   (Repo Admin)\n"
    "\n"
    "Administrative keys for localhost:5000/test/targetsonly\n"
    "\n"
    "  Repository Key:\t4459cfa3c6f148b45e96365913529a8c10e1504845ea23ebf5271f83f735598a\n"
    "  Root Key:\t9a9c3fbdd2ac8f156fe821b541f97caa937de4ee0e57c557da72fecb9ae915fc\n";

const char* const kWithSignerPretty =
    "\n"
    "Signatures for localhost:5000/test/withsigner\n"
    "\n"
    "SIGNED TAG   DIGEST                                                             SIGNERS\n"
    "latest       e3d25596e19b727f3415d84679b55d3c23797fa2b8a116e9285b87f0be72eb4d   (Repo Admin)\n"
    "v1           8dadd464a6282739b71c42949314b1b97e0a043c32e196a155bb277658ea9c14   alice\n"
    "v2           653a9ade3c456a51acaf860fb08610700e8bd937964a86ade4c1acc8d8037060   alice, bob\n"
    "v3           e3d25596e19b727f3415d84679b55d3c23797fa2b8a116e9285b87f0be72eb4d   (Repo Admin)\n"
    "v10          c43cdd5556d8328015f9de480d98549511268265e17e29b1f9992c323f710e99   bob\n"
    "\n"
    "List of signers and their keys for localhost:5000/test/withsigner\n"
    "\n"
    "SIGNER    KEYS\n"
    "alice     a2f8ac94f760\n"
    "bob       1f415396d1b6\n"
    "\n"
    "Administrative keys for localhost:5000/test/withsigner\n"
    "\n"
    "  Repository Key:\t6d611beb1e61c7fad09727de762a7fc470b72d5eec090d7e2d0293fbb937468c\n"
    "  Root Key:\tf469c5d409730259781f84729a304c39884a46841848656d7c16a8603b678a1b\n";

}  // namespace

TEST_CASE("inspect json: targets-only repository matches docker's capture", "[inspect][json]") {
  CHECK(cli::format_inspect_json({targetsonly("localhost:5000/test/targetsonly")}) ==
        kTargetsOnlyJson);
}

TEST_CASE("inspect json: signers sorted by name descending, tag signers in walk order",
          "[inspect][json]") {
  CHECK(cli::format_inspect_json({withsigner("localhost:5000/test/withsigner")}) ==
        kWithSignerJson);
}

TEST_CASE("inspect json: no arguments succeeded is an empty array", "[inspect][json]") {
  CHECK(cli::format_inspect_json({}) == "[]\n");
}

TEST_CASE("inspect json: several arguments are elements of one array", "[inspect][json]") {
  const std::string one = cli::format_inspect_json({targetsonly("a")});
  const std::string two = cli::format_inspect_json({withsigner("b")});
  // [ + elements joined by ",\n" + ]: the inner text of each single-element array.
  const std::string inner_one = one.substr(2, one.size() - 5);
  const std::string inner_two = two.substr(2, two.size() - 5);
  CHECK(cli::format_inspect_json({targetsonly("a"), withsigner("b")}) ==
        "[\n" + inner_one + ",\n" + inner_two + "\n]\n");
  CHECK(inner_one.starts_with("    {\n        \"Name\": \"a\",\n"));
  CHECK(inner_one.ends_with("\n    }"));
}

TEST_CASE("inspect json: empty repository and keyless signer (omitempty)", "[inspect][json]") {
  RepoTrust r;
  r.name = "localhost:5000/test/targetsonly:nonexistent";
  r.signers = {{"nokeys", {}}};
  r.root_key_ids = {"r1", "r0"};  // file order is kept in JSON
  CHECK(cli::format_inspect_json({r}) == R"J([
    {
        "Name": "localhost:5000/test/targetsonly:nonexistent",
        "SignedTags": [],
        "Signers": [
            {
                "Name": "nokeys"
            }
        ],
        "AdministrativeKeys": [
            {
                "Name": "Root",
                "Keys": [
                    {
                        "ID": "r1"
                    },
                    {
                        "ID": "r0"
                    }
                ]
            },
            {
                "Name": "Repository"
            }
        ]
    }
]
)J");
}

TEST_CASE("inspect json: names are escaped as Go's encoding/json does", "[inspect][json]") {
  RepoTrust r;
  r.name = "x";
  r.signed_tags = {{"a>b&&c<d", "00", {}}};
  const std::string json = cli::format_inspect_json({r});
  CHECK(json.find("\"SignedTag\": \"a\\u003eb\\u0026\\u0026c\\u003cd\",") != std::string::npos);
}

TEST_CASE("inspect pretty: targets-only repository matches docker's capture", "[inspect][pretty]") {
  CHECK(cli::format_inspect_pretty(targetsonly("localhost:5000/test/targetsonly")) ==
        kTargetsOnlyPretty);
}

TEST_CASE("inspect pretty: signer repository matches docker's capture", "[inspect][pretty]") {
  CHECK(cli::format_inspect_pretty(withsigner("localhost:5000/test/withsigner")) ==
        kWithSignerPretty);
}

TEST_CASE("inspect pretty: long cells widen their column; keys sorted and cut to 12",
          "[inspect][pretty]") {
  RepoTrust r;
  r.name = "x";
  r.signed_tags = {{"a-very-long-tag-name-1.2.3", kD3, {"b", "averyveryverylongsignername"}},
                   {"x", kD2, {"b"}}};
  r.signers = {{"b", {kBob}}, {"averyveryverylongsignername", {kAlice}}, {"multi", {kAlice, kBob}}};
  r.root_key_ids = {"rb", "ra"};
  r.targets_key_ids = {"t"};
  CHECK(cli::format_inspect_pretty(r) ==
        "\nSignatures for x\n\n" + pad("SIGNED TAG", 29) + pad("DIGEST", 67) + "SIGNERS\n" +
            pad("a-very-long-tag-name-1.2.3", 29) + pad(kD3, 67) +
            "averyveryverylongsignername, b\n" + pad("x", 29) + pad(kD2, 67) + "b\n" +
            "\nList of signers and their keys for x\n\n"
            "SIGNER                        KEYS\n"
            "averyveryverylongsignername   a2f8ac94f760\n"
            "b                             1f415396d1b6\n"
            "multi                         1f415396d1b6, a2f8ac94f760\n"
            "\nAdministrative keys for x\n\n"
            "  Repository Key:\tt\n"
            "  Root Key:\tra, rb\n");
}

TEST_CASE("inspect pretty: signer table in natural order, JSON in descending bytes",
          "[inspect][pretty]") {
  RepoTrust r;
  r.name = "x";
  r.signed_tags = {{"t1", kD1, {"zed", "amy"}}};
  r.signers = {{"zed", {"z"}}, {"amy", {"a"}}, {"s10", {"c"}}, {"s9", {"b"}}};
  const std::string pretty = cli::format_inspect_pretty(r);
  CHECK(pretty.find("t1           " + kD1 + "   amy, zed\n") != std::string::npos);
  CHECK(pretty.find("SIGNER    KEYS\namy       a\ns9        b\ns10       c\nzed       z\n") !=
        std::string::npos);
  const std::string json = cli::format_inspect_json({r});
  const auto zed = json.find("\"Name\": \"zed\"");
  const auto s9 = json.find("\"Name\": \"s9\"");
  const auto s10 = json.find("\"Name\": \"s10\"");
  const auto amy = json.find("\"Name\": \"amy\"");
  CHECK(zed < s9);
  CHECK(s9 < s10);  // bytes: "s9" > "s10"
  CHECK(s10 < amy);
  CHECK(json.find("\"Signers\": [\n                    \"zed\",\n                    \"amy\"\n") !=
        std::string::npos);
}

TEST_CASE("inspect pretty: no signatures, with and without signers", "[inspect][pretty]") {
  RepoTrust empty;
  empty.name = "localhost:5000/test/empty";
  empty.root_key_ids = {"1b452b1135966def69fc0565394544f1bb61a21e5547ea8b685536a2d706c3bf"};
  empty.targets_key_ids = {"3e0b1a5934d308e1e65d78eb2bba3a189e7a90b05fef05c1a425623bd701e352"};
  CHECK(cli::format_inspect_pretty(empty) ==
        "\nNo signatures for localhost:5000/test/empty\n\n"
        "\nAdministrative keys for localhost:5000/test/empty\n\n"
        "  Repository Key:\t3e0b1a5934d308e1e65d78eb2bba3a189e7a90b05fef05c1a425623bd701e352\n"
        "  Root Key:\t1b452b1135966def69fc0565394544f1bb61a21e5547ea8b685536a2d706c3bf\n");

  RepoTrust unreleased = withsigner("localhost:5000/test/withsigner:unreleased");
  unreleased.signed_tags.clear();
  CHECK(cli::format_inspect_pretty(unreleased) ==
        "\nNo signatures for localhost:5000/test/withsigner:unreleased\n\n"
        "\nList of signers and their keys for localhost:5000/test/withsigner:unreleased\n\n"
        "SIGNER    KEYS\n"
        "alice     a2f8ac94f760\n"
        "bob       1f415396d1b6\n"
        "\nAdministrative keys for localhost:5000/test/withsigner:unreleased\n\n"
        "  Repository Key:\t6d611beb1e61c7fad09727de762a7fc470b72d5eec090d7e2d0293fbb937468c\n"
        "  Root Key:\tf469c5d409730259781f84729a304c39884a46841848656d7c16a8603b678a1b\n");
}
