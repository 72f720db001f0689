#ifndef SERVICES_DOCUMENTS_DOCUMENT_FIXTURE_H_
#define SERVICES_DOCUMENTS_DOCUMENT_FIXTURE_H_

// A complete document exchange for tests and the benchmark: SQLite and file
// stores in a directory, a provincial CA with a certificate per agency, the
// platform's receipt key, a fake clock, and the gRPC service over it all.

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/clock/clock.h"
#include "libs/pki/certificate_authority.h"
#include "libs/pki/certificate_verifier.h"
#include "libs/server/authorizer.h"
#include "lienthong/documents/v1/document.pb.h"
#include "services/documents/document_exchange.h"
#include "services/documents/document_service.h"
#include "services/documents/file_attachment_store.h"
#include "services/documents/receipt.h"
#include "services/documents/sqlite_document_store.h"

namespace lienthong::documents {

class DocumentFixture {
 public:
  // The registered agencies: the province's people's committee and three
  // communes of it.
  static constexpr const char* kProvince = "000.00.00.H26";
  static constexpr const char* kCommuneA = "000.01.01.H26";
  static constexpr const char* kCommuneB = "000.01.02.H26";
  static constexpr const char* kCommuneC = "000.01.03.H26";
  static constexpr const char* kCommuneD = "000.01.04.H26";
  static constexpr const char* kCommuneE = "000.01.05.H26";

  // Everything stored under `directory` (created if missing).
  static absl::StatusOr<std::unique_ptr<DocumentFixture>> Create(
      const std::string& directory, DocumentExchangeOptions options = {});

  // A new document from `from` to `to` with a full edXML header.
  v1::Document NewDocument(const std::string& from,
                           const std::vector<std::string>& to,
                           const std::string& subject) const;
  // Signs `document`'s canonical envelope with `agency`'s certificate.
  absl::Status Sign(v1::Document& document, const std::string& agency) const;
  // Issues `agency` a certificate (e.g. an agency the registry does not know).
  absl::Status AddCertificate(const std::string& agency);

  // While set, the agency check answers UNAVAILABLE, as a registry that
  // cannot be reached does.
  void SetRegistryUnavailable(bool unavailable) {
    registry_unavailable_ = unavailable;
  }
  FakeClock& clock() { return clock_; }
  // The platform's receipt-signing certificate, DER.
  const std::string& platform_certificate_der() const { return platform_der_; }
  const pki::CertificateVerifier& verifier() const { return *verifier_; }
  DocumentExchange& exchange() { return *exchange_; }
  DocumentServiceImpl& service() { return *service_; }
  FileAttachmentStore& attachments() { return *attachments_; }

 private:
  DocumentFixture() : clock_(absl::FromUnixSeconds(1751328000)) {}

  FakeClock clock_;  // 2025-07-01T00:00:00Z
  std::atomic<bool> registry_unavailable_{false};
  std::unique_ptr<pki::CertificateAuthority> ca_;
  std::map<std::string, pki::IssuedCertificate> agencies_;
  std::unique_ptr<pki::CertificateVerifier> verifier_;
  std::unique_ptr<ReceiptSigner> receipts_;
  std::string platform_der_;
  std::unique_ptr<SqliteDocumentStore> store_;
  std::unique_ptr<FileAttachmentStore> attachments_;
  std::unique_ptr<DocumentExchange> exchange_;
  std::unique_ptr<AllowAllAuthorizer> authorizer_;
  std::unique_ptr<DocumentServiceImpl> service_;
};

}  // namespace lienthong::documents

#endif  // SERVICES_DOCUMENTS_DOCUMENT_FIXTURE_H_
