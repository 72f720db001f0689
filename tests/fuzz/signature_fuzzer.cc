// Signatures and certificates from outside: detached CMS signatures sent with
// documents, client and signer certificates (DER and PEM), CRLs. Parsing never
// crashes, nothing but this run's own signer ever verifies, and what it signs
// verifies over exactly the bytes it signed. The first byte picks the parser.

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "libs/pki/certificate_authority.h"
#include "libs/pki/certificate_verifier.h"
#include "libs/pki/cms_signature.h"
#include "libs/pki/identity.h"
#include "libs/pki/key_material.h"
#include "libs/pki/test_certificates.h"

namespace {

namespace pki = lienthong::pki;

// A CA and one signer, made once per run: the only certificate that can be
// trusted.
struct Trust {
  Trust() {
    absl::StatusOr<pki::CertificateAuthority> created =
        pki::testing::TestCa("Fuzz CA");
    if (!created.ok()) std::abort();
    ca.emplace(*std::move(created));
    absl::StatusOr<pki::IssuedCertificate> issued =
        ca->Issue(pki::testing::AgencyLeaf());
    if (!issued.ok()) std::abort();
    signer.emplace(*std::move(issued));
    absl::StatusOr<std::string> der =
        pki::CertificateToDer(signer->certificate.get());
    absl::StatusOr<std::string> ca_pem = ca->CertificatePem();
    if (!der.ok() || !ca_pem.ok()) std::abort();
    signer_der = *der;
    absl::StatusOr<pki::CertificateVerifier> made =
        pki::CertificateVerifier::Create({*ca_pem});
    if (!made.ok()) std::abort();
    verifier.emplace(*std::move(made));
    this->ca_pem = *ca_pem;
  }
  std::optional<pki::CertificateAuthority> ca;
  std::optional<pki::IssuedCertificate> signer;
  std::optional<pki::CertificateVerifier> verifier;
  std::string signer_der;
  std::string ca_pem;
};

const Trust& TheTrust() {
  static const Trust* trust = new Trust();
  return *trust;
}

// A signature that verifies must be the run's signer's.
void CheckVerified(const absl::StatusOr<pki::VerifiedSignature>& verified) {
  if (verified.ok() &&
      (verified->signer_certificate_der != TheTrust().signer_der ||
       verified->signer.agency_code != "H26.1.15")) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const Trust& trust = TheTrust();
  const absl::string_view input(reinterpret_cast<const char*>(data) + 1,
                                size - 1);
  const absl::Time now = pki::testing::TestNow();
  switch (data[0] % 4) {
    case 0: {  // a detached signature received over fixed content
      CheckVerified(
          pki::VerifyDetached(input, "noi dung", *trust.verifier, now));
      CheckVerified(pki::VerifyDetached(input, "noi dung", trust.signer_der,
                                        *trust.verifier, now));
      break;
    }
    case 1: {  // content signed here verifies, and only over itself
      absl::StatusOr<std::string> signature = pki::SignDetached(
          input, trust.signer->key.get(), trust.signer->certificate.get());
      if (!signature.ok()) std::abort();
      absl::StatusOr<pki::VerifiedSignature> verified =
          pki::VerifyDetached(*signature, input, *trust.verifier, now);
      if (!verified.ok()) std::abort();
      CheckVerified(verified);
      const std::string other = std::string(input) + "x";
      if (pki::VerifyDetached(*signature, other, *trust.verifier, now).ok()) {
        std::abort();
      }
      break;
    }
    case 2: {  // a certificate in DER, as a client or signer presents it
      absl::StatusOr<pki::Certificate> certificate =
          pki::ParseCertificateDer(input);
      if (!certificate.ok()) break;
      (void)pki::IdentityFromCertificate(certificate->get());
      (void)pki::SubjectString(certificate->get());
      absl::StatusOr<pki::Identity> trusted =
          trust.verifier->Verify(certificate->get(), now);
      absl::StatusOr<std::string> der =
          pki::CertificateToDer(certificate->get());
      if (trusted.ok() && (!der.ok() || *der != trust.signer_der)) {
        std::abort();
      }
      break;
    }
    default: {  // PEM certificates and CRLs, as files an operator provides
      (void)pki::ParseCertificatesPem(input);
      (void)pki::ParseCrlsPem(input);
      (void)pki::CertificateVerifier::Create({trust.ca_pem},
                                             {std::string(input)});
      break;
    }
  }
  return 0;
}
