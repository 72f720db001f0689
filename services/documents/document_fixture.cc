#include "services/documents/document_fixture.h"

#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/pki/cms_signature.h"
#include "libs/pki/key_material.h"
#include "libs/server/authorizer.h"
#include "services/documents/edxml_package.h"

namespace lienthong::documents {

absl::StatusOr<std::unique_ptr<DocumentFixture>> DocumentFixture::Create(
    const std::string& directory, DocumentExchangeOptions options) {
  std::filesystem::create_directories(directory);
  std::unique_ptr<DocumentFixture> fixture(new DocumentFixture());
  const absl::Time now = fixture->clock_.Now();
  absl::StatusOr<pki::CertificateAuthority> ca =
      pki::CertificateAuthority::Create(
          "Tỉnh Hà Tĩnh CA", pki::KeyType::kEcdsaP256,
          now - absl::Hours(24 * 365), now + absl::Hours(24 * 365 * 5));
  if (!ca.ok()) return ca.status();
  fixture->ca_ = std::make_unique<pki::CertificateAuthority>(*std::move(ca));
  for (const char* agency :
       {kProvince, kCommuneA, kCommuneB, kCommuneC, kCommuneD, kCommuneE}) {
    if (absl::Status added = fixture->AddCertificate(agency); !added.ok()) {
      return added;
    }
  }
  absl::StatusOr<std::string> ca_pem = fixture->ca_->CertificatePem();
  if (!ca_pem.ok()) return ca_pem.status();
  absl::StatusOr<pki::CertificateVerifier> verifier =
      pki::CertificateVerifier::Create({*ca_pem});
  if (!verifier.ok()) return verifier.status();
  fixture->verifier_ =
      std::make_unique<pki::CertificateVerifier>(*std::move(verifier));
  // The platform's receipt key is one more certificate of the same CA.
  pki::LeafSpec platform;
  platform.common_name = "lienthong platform";
  platform.agency_code = kProvince;
  platform.role = "system";
  platform.not_before = now - absl::Hours(24);
  platform.not_after = now + absl::Hours(24 * 365 * 3);
  absl::StatusOr<pki::IssuedCertificate> issued = fixture->ca_->Issue(platform);
  if (!issued.ok()) return issued.status();
  absl::StatusOr<std::string> platform_der =
      pki::CertificateToDer(issued->certificate.get());
  if (!platform_der.ok()) return platform_der.status();
  fixture->platform_der_ = *std::move(platform_der);
  absl::StatusOr<std::string> key_pem = pki::PrivateKeyToPem(issued->key.get());
  if (!key_pem.ok()) return key_pem.status();
  absl::StatusOr<std::string> cert_pem =
      pki::CertificateToPem(issued->certificate.get());
  if (!cert_pem.ok()) return cert_pem.status();
  absl::StatusOr<ReceiptSigner> signer =
      ReceiptSigner::FromPem(*key_pem, *cert_pem);
  if (!signer.ok()) return signer.status();
  fixture->receipts_ = std::make_unique<ReceiptSigner>(*std::move(signer));

  absl::StatusOr<std::unique_ptr<SqliteDocumentStore>> store =
      SqliteDocumentStore::Open(directory + "/documents.db");
  if (!store.ok()) return store.status();
  fixture->store_ = *std::move(store);
  absl::StatusOr<std::unique_ptr<FileAttachmentStore>> attachments =
      FileAttachmentStore::Create(directory + "/attachments");
  if (!attachments.ok()) return attachments.status();
  fixture->attachments_ = *std::move(attachments);
  fixture->exchange_ = std::make_unique<DocumentExchange>(
      fixture->store_.get(), fixture->attachments_.get(),
      fixture->verifier_.get(), fixture->receipts_.get(),
      [unavailable = &fixture->registry_unavailable_](const std::string& code) {
        if (unavailable->load()) {
          return absl::UnavailableError("registry unreachable");
        }
        for (const char* known : {kProvince, kCommuneA, kCommuneB, kCommuneC,
                                  kCommuneD, kCommuneE}) {
          if (code == known) return absl::OkStatus();
        }
        return absl::NotFoundError(absl::StrCat("agencies/", code));
      },
      &fixture->clock_, std::move(options));
  fixture->authorizer_ = std::make_unique<AllowAllAuthorizer>();
  fixture->service_ = std::make_unique<DocumentServiceImpl>(
      fixture->exchange_.get(), fixture->authorizer_.get(),
      absl::Milliseconds(100));
  return fixture;
}

absl::Status DocumentFixture::AddCertificate(const std::string& agency) {
  pki::LeafSpec spec;
  spec.common_name = absl::StrCat("Văn thư ", agency);
  spec.agency_code = agency;
  spec.role = "system";
  spec.key_type = pki::KeyType::kEd25519;
  spec.not_before = clock_.Now() - absl::Hours(24);
  spec.not_after = clock_.Now() + absl::Hours(24 * 365 * 2);
  absl::StatusOr<pki::IssuedCertificate> issued = ca_->Issue(spec);
  if (!issued.ok()) return issued.status();
  agencies_.insert_or_assign(agency, *std::move(issued));
  return absl::OkStatus();
}

v1::Document DocumentFixture::NewDocument(const std::string& from,
                                          const std::vector<std::string>& to,
                                          const std::string& subject) const {
  v1::Document document;
  v1::MessageHeader& header = *document.mutable_header();
  header.mutable_from()->set_organ_id(from);
  header.mutable_from()->set_organ_name("Ủy ban nhân dân tỉnh Hà Tĩnh");
  for (const std::string& code : to) {
    v1::Organization* recipient = header.add_to();
    recipient->set_organ_id(code);
    recipient->set_organ_name(absl::StrCat("UBND ", code));
  }
  header.mutable_code()->set_code_number("09");
  header.mutable_code()->set_code_notation("KH-UBND");
  header.mutable_promulgation_info()->set_place("Hà Tĩnh");
  header.mutable_promulgation_info()->set_promulgation_date("2025/07/01");
  header.mutable_document_type()->set_type(1);
  header.mutable_document_type()->set_type_name("Kế hoạch");
  header.set_subject(subject);
  header.mutable_signer_info()->set_competence("TM. Ủy ban nhân dân");
  header.mutable_signer_info()->set_position("Chủ tịch");
  header.mutable_signer_info()->set_full_name("Nguyễn Văn A");
  header.set_document_id(absl::StrCat(from, ",2025/07/01,09/KH-UBND"));
  document.set_business_type(v1::BUSINESS_TYPE_NEW);
  return document;
}

absl::Status DocumentFixture::Sign(v1::Document& document,
                                   const std::string& agency) const {
  auto it = agencies_.find(agency);
  if (it == agencies_.end()) return absl::NotFoundError(agency);
  document.clear_signature();
  absl::StatusOr<std::string> canonical = CanonicalEnvelope(document);
  if (!canonical.ok()) return canonical.status();
  absl::StatusOr<std::string> signature = pki::SignDetached(
      *canonical, it->second.key.get(), it->second.certificate.get());
  if (!signature.ok()) return signature.status();
  absl::StatusOr<std::string> der =
      pki::CertificateToDer(it->second.certificate.get());
  if (!der.ok()) return der.status();
  document.mutable_signature()->set_signature(*std::move(signature));
  document.mutable_signature()->set_signer_certificate(*std::move(der));
  return absl::OkStatus();
}

}  // namespace lienthong::documents
