#include "libs/pki/pki_files.h"

#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/file/read_file.h"

namespace lienthong::pki {

absl::StatusOr<PkiFiles> ReadPkiFiles(const std::string& ca_path,
                                      const std::string& cert_path,
                                      const std::string& key_path,
                                      const std::string& crl_path) {
  PkiFiles files;
  files.crl_path = crl_path;
  for (auto [path, text] : {std::pair{&ca_path, &files.ca_pem},
                            {&cert_path, &files.cert_pem},
                            {&key_path, &files.key_pem},
                            {&crl_path, &files.crl_pem}}) {
    if (path == &crl_path &&
        (crl_path.empty() || !std::filesystem::exists(crl_path))) {
      continue;
    }
    absl::StatusOr<std::string> read = ReadFile(*path);
    if (!read.ok()) return read.status();
    *text = *std::move(read);
  }
  return files;
}

absl::StatusOr<PkiFiles> LoadPkiFiles(absl::string_view dir,
                                      absl::string_view name) {
  const std::filesystem::path base(std::string{dir});
  return ReadPkiFiles((base / "ca.pem").string(),
                      (base / absl::StrCat(name, ".pem")).string(),
                      (base / absl::StrCat(name, ".key")).string(),
                      (base / "crl.pem").string());
}

}  // namespace lienthong::pki
