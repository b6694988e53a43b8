#include "inspect_format.h"

#include <algorithm>
#include <ostream>
#include <sstream>

#include "go_json.h"
#include "natural_sort.h"
#include "tabwriter.h"

namespace cli {
namespace {

constexpr std::string_view kRepoAdmin = "Repo Admin";
constexpr std::size_t kShortKeyId = 12;

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return items;
}

// Writes Go's MarshalIndent layout (prefix "", indent 4 spaces) for the fixed inspect schema.
// Writes to `sink` in pieces of about kSpillBytes: a 10,000-tag repository's JSON is 2.4 MB,
// which as one string (grown by doubling) was a cold `inspect`'s largest allocation.
class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& sink) : sink_(sink) {}
  ~JsonWriter() { spill(0); }

  void begin(char bracket) {
    out_ += bracket;
    ++depth_;
    first_ = true;
  }
  void end(char bracket) {
    --depth_;
    if (!first_) newline();  // a non-empty container closes on its own line
    out_ += bracket;
    first_ = false;
  }
  // Starts an element of the current container (with its key inside an object).
  void element(std::string_view key = {}) {
    spill(kSpillBytes);
    if (!first_) out_ += ',';
    newline();
    first_ = false;
    if (!key.empty()) out_ += go_json_quote(key) + ": ";
  }
  void string(std::string_view value) { out_ += go_json_quote(value); }
  void string_member(std::string_view key, std::string_view value) {
    element(key);
    string(value);
  }
  void string_array_member(std::string_view key, const std::vector<std::string>& values) {
    element(key);
    begin('[');
    for (const std::string& v : values) {
      element();
      string(v);
    }
    end(']');
  }
  // Docker's trustSigner {Name, Keys[{ID}]}, both omitempty.
  void signer(std::string_view name, const std::vector<std::string>& key_ids) {
    element();
    begin('{');
    if (!name.empty()) string_member("Name", name);
    if (!key_ids.empty()) {
      element("Keys");
      begin('[');
      for (const std::string& id : key_ids) {
        element();
        begin('{');
        string_member("ID", id);
        end('}');
      }
      end(']');
    }
    end('}');
  }

 private:
  void newline() {
    out_ += '\n';
    out_.append(static_cast<std::size_t>(depth_) * 4, ' ');
  }

  // Hands the text so far to the sink once it holds at least `threshold` bytes.
  void spill(std::size_t threshold) {
    if (out_.size() < threshold || out_.empty()) return;
    sink_.write(out_.data(), static_cast<std::streamsize>(out_.size()));
    out_.clear();
  }

  static constexpr std::size_t kSpillBytes = 64 * 1024;
  std::ostream& sink_;
  std::string out_;
  int depth_ = 0;
  bool first_ = true;
};

void write_repo(JsonWriter& json, const RepoTrust& repo) {
  json.element();
  json.begin('{');
  json.string_member("Name", repo.name);
  json.element("SignedTags");
  json.begin('[');
  for (const SignedTagRow& row : repo.signed_tags) {
    json.element();
    json.begin('{');
    json.string_member("SignedTag", row.tag);
    json.string_member("Digest", row.digest);
    json.string_array_member("Signers", row.signers.empty()
                                            ? std::vector<std::string>{std::string(kRepoAdmin)}
                                            : row.signers);
    json.end('}');
  }
  json.end(']');
  std::vector<SignerInfo> signers = repo.signers;
  std::stable_sort(signers.begin(), signers.end(),
                   [](const SignerInfo& a, const SignerInfo& b) { return a.name > b.name; });
  json.element("Signers");
  json.begin('[');
  for (const SignerInfo& s : signers) json.signer(s.name, s.key_ids);
  json.end(']');
  json.element("AdministrativeKeys");
  json.begin('[');
  json.signer("Root", repo.root_key_ids);
  json.signer("Repository", repo.targets_key_ids);
  json.end(']');
  json.end('}');
}

std::string signature_table(const std::vector<SignedTagRow>& rows) {
  TabWriter table(/*min_width=*/10, /*padding=*/3, CellWidth::kDockerColumns);
  table.add_line({"SIGNED TAG", "DIGEST", "SIGNERS"});
  for (const SignedTagRow& row : rows) {
    const std::string signers =
        row.signers.empty() ? "(" + std::string(kRepoAdmin) + ")" : join(sorted(row.signers), ", ");
    table.add_line({row.tag, row.digest, signers});
  }
  return table.render();
}

std::string signer_table(std::vector<SignerInfo> signers) {
  std::stable_sort(signers.begin(), signers.end(), [](const SignerInfo& a, const SignerInfo& b) {
    return natural_less(a.name, b.name);
  });
  TabWriter table(/*min_width=*/10, /*padding=*/3, CellWidth::kDockerColumns);
  table.add_line({"SIGNER", "KEYS"});
  for (const SignerInfo& s : signers) {
    std::vector<std::string> keys;
    for (const std::string& id : sorted(s.key_ids)) keys.push_back(id.substr(0, kShortKeyId));
    table.add_line({s.name, join(keys, ", ")});
  }
  return table.render();
}

}  // namespace

void write_inspect_json(const std::vector<RepoTrust>& repos, std::ostream& out) {
  if (repos.empty()) {
    out << "[]\n";
    return;
  }
  {
    JsonWriter json(out);
    json.begin('[');
    for (const RepoTrust& repo : repos) write_repo(json, repo);
    json.end(']');
  }
  out << "\n";
}

std::string format_inspect_json(const std::vector<RepoTrust>& repos) {
  std::ostringstream out;
  write_inspect_json(repos, out);
  return std::move(out).str();
}

std::string format_inspect_pretty(const RepoTrust& repo) {
  std::string out;
  if (repo.signed_tags.empty()) {
    out += "\nNo signatures for " + repo.name + "\n\n";
  } else {
    out += "\nSignatures for " + repo.name + "\n\n" + signature_table(repo.signed_tags);
  }
  if (!repo.signers.empty()) {
    out +=
        "\nList of signers and their keys for " + repo.name + "\n\n" + signer_table(repo.signers);
  }
  out += "\nAdministrative keys for " + repo.name + "\n\n";
  out += "  Repository Key:\t" + join(sorted(repo.targets_key_ids), ", ") + "\n";
  out += "  Root Key:\t" + join(sorted(repo.root_key_ids), ", ") + "\n";
  return out;
}

}  // namespace cli
