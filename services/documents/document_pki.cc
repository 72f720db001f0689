#include "services/documents/document_pki.h"

#include <filesystem>
#include <utility>
#include <vector>

#include "libs/file/read_file.h"

namespace lienthong::documents {
absl::StatusOr<DocumentPki> LoadDocumentPki(const std::string& certs_dir) {
  const std::filesystem::path dir(certs_dir);
  absl::StatusOr<std::string> ca = ReadFile((dir / "ca.pem").string());
  if (!ca.ok()) return ca.status();
  std::vector<std::string> crls;
  if (std::filesystem::exists(dir / "crl.pem")) {
    absl::StatusOr<std::string> crl = ReadFile((dir / "crl.pem").string());
    if (!crl.ok()) return crl.status();
    crls.push_back(*std::move(crl));
  }
  absl::StatusOr<pki::CertificateVerifier> verifier =
      pki::CertificateVerifier::Create({*ca}, crls);
  if (!verifier.ok()) return verifier.status();
  absl::StatusOr<std::string> key = ReadFile((dir / "platform.key").string());
  if (!key.ok()) return key.status();
  absl::StatusOr<std::string> cert = ReadFile((dir / "platform.pem").string());
  if (!cert.ok()) return cert.status();
  absl::StatusOr<ReceiptSigner> receipts = ReceiptSigner::FromPem(*key, *cert);
  if (!receipts.ok()) return receipts.status();
  DocumentPki pki;
  pki.verifier =
      std::make_unique<pki::CertificateVerifier>(*std::move(verifier));
  pki.receipts = std::make_unique<ReceiptSigner>(*std::move(receipts));
  return pki;
}

}  // namespace lienthong::documents
