#include "services/documents/document_pki.h"

#include <utility>
#include <vector>

#include "libs/pki/pki_files.h"

namespace lienthong::documents {
absl::StatusOr<DocumentPki> LoadDocumentPki(const std::string& certs_dir) {
  absl::StatusOr<pki::PkiFiles> files =
      pki::LoadPkiFiles(certs_dir, "platform");
  if (!files.ok()) return files.status();
  std::vector<std::string> crls;
  if (!files->crl_pem.empty()) crls.push_back(files->crl_pem);
  absl::StatusOr<pki::CertificateVerifier> verifier =
      pki::CertificateVerifier::Create({files->ca_pem}, crls);
  if (!verifier.ok()) return verifier.status();
  absl::StatusOr<ReceiptSigner> receipts =
      ReceiptSigner::FromPem(files->key_pem, files->cert_pem);
  if (!receipts.ok()) return receipts.status();
  DocumentPki pki;
  pki.verifier =
      std::make_unique<pki::CertificateVerifier>(*std::move(verifier));
  pki.receipts = std::make_unique<ReceiptSigner>(*std::move(receipts));
  return pki;
}

}  // namespace lienthong::documents
