#ifndef SERVICES_DOCUMENTS_DOCUMENT_PKI_H_
#define SERVICES_DOCUMENTS_DOCUMENT_PKI_H_

// The keys and trust the document exchange runs with, from a directory laid
// out as lt-certs writes it: ca.pem (the provincial CA, trusted for signers),
// crl.pem (optional: revoked certificates), platform.pem and platform.key
// (the platform's receipt-signing pair).

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "libs/pki/certificate_verifier.h"
#include "services/documents/receipt.h"

namespace lienthong::documents {

struct DocumentPki {
  std::unique_ptr<pki::CertificateVerifier> verifier;
  std::unique_ptr<ReceiptSigner> receipts;
};

// Loads the files of `certs_dir`; NOT_FOUND (FILE_UNREADABLE) naming a
// missing file.
absl::StatusOr<DocumentPki> LoadDocumentPki(const std::string& certs_dir);

}  // namespace lienthong::documents

#endif  // SERVICES_DOCUMENTS_DOCUMENT_PKI_H_
