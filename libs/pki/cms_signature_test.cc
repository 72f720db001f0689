#include "libs/pki/cms_signature.h"

#include <openssl/cms.h>

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/pki/certificate_authority.h"
#include "libs/pki/test_certificates.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::pki {
namespace {

using ::lienthong::pki::testing::AgencyLeaf;
using ::lienthong::pki::testing::LeafNotAfter;
using ::lienthong::pki::testing::TestCa;
using ::lienthong::pki::testing::TestNow;
using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;

constexpr absl::string_view kDocument =
    "Báo cáo số 12/BC-UBND: tình hình kinh tế - xã hội tháng 6/2025\n";

void ExpectRefused(const absl::StatusOr<VerifiedSignature>& verified,
                   absl::StatusCode code, absl::string_view reason) {
  EXPECT_THAT(verified, StatusCodeIs(code));
  EXPECT_EQ(ErrorReason(verified.status()), reason);
}

// The digest and signature algorithms of the one SignerInfo in `der`.
std::pair<int, int> SignerAlgorithms(const std::string& der) {
  const unsigned char* cursor =
      reinterpret_cast<const unsigned char*>(der.data());
  OpenSslPtr<CMS_ContentInfo, CMS_ContentInfo_free> cms(
      d2i_CMS_ContentInfo(nullptr, &cursor, static_cast<long>(der.size())));
  if (cms == nullptr) return {NID_undef, NID_undef};
  CMS_SignerInfo* signer =
      sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms.get()), 0);
  X509_ALGOR* digest = nullptr;
  X509_ALGOR* signature = nullptr;
  CMS_SignerInfo_get0_algs(signer, nullptr, nullptr, &digest, &signature);
  const ASN1_OBJECT* digest_oid = nullptr;
  const ASN1_OBJECT* signature_oid = nullptr;
  X509_ALGOR_get0(&digest_oid, nullptr, nullptr, digest);
  X509_ALGOR_get0(&signature_oid, nullptr, nullptr, signature);
  return {OBJ_obj2nid(digest_oid), OBJ_obj2nid(signature_oid)};
}

class CmsSignatureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority ca, TestCa("Test CA"));
    LT_ASSERT_OK_AND_ASSIGN(std::string ca_pem, ca.CertificatePem());
    LT_ASSERT_OK_AND_ASSIGN(CertificateVerifier verifier,
                            CertificateVerifier::Create({ca_pem}));
    ca_.emplace(std::move(ca));
    verifier_.emplace(std::move(verifier));
  }

  // A certificate of `ca` for AgencyLeaf(key_type) and a signature by it.
  void SignWith(KeyType key_type, bool rsa_pss = false) {
    LT_ASSERT_OK_AND_ASSIGN(IssuedCertificate issued,
                            ca_->Issue(AgencyLeaf(key_type)));
    LT_ASSERT_OK_AND_ASSIGN(signer_der_,
                            CertificateToDer(issued.certificate.get()));
    LT_ASSERT_OK_AND_ASSIGN(signature_,
                            SignDetached(kDocument, issued.key.get(),
                                         issued.certificate.get(), {rsa_pss}));
    signer_ = std::move(issued);
  }

  absl::optional<CertificateAuthority> ca_;
  absl::optional<CertificateVerifier> verifier_;
  IssuedCertificate signer_;
  std::string signer_der_;
  std::string signature_;
};

struct Algorithm {
  const char* name;
  KeyType key_type;
  bool rsa_pss;
  int digest_nid;
  int signature_nid;
};

class CmsSignatureAlgorithmTest
    : public CmsSignatureTest,
      public ::testing::WithParamInterface<Algorithm> {};

TEST_P(CmsSignatureAlgorithmTest, RoundTripsAndNamesTheSigner) {
  ASSERT_NO_FATAL_FAILURE(SignWith(GetParam().key_type, GetParam().rsa_pss));
  EXPECT_EQ(SignerAlgorithms(signature_),
            std::make_pair(GetParam().digest_nid, GetParam().signature_nid));
  LT_ASSERT_OK_AND_ASSIGN(
      VerifiedSignature verified,
      VerifyDetached(signature_, kDocument, *verifier_, TestNow()));
  EXPECT_EQ(verified.signer,
            (Identity{"H26.1.15", "operator", "CN=UBND phường Hồng Hà"}));
  EXPECT_EQ(verified.signer_certificate_der, signer_der_);
  EXPECT_THAT(
      VerifyDetached(signature_, kDocument, signer_der_, *verifier_, TestNow()),
      IsOk());
}

TEST_P(CmsSignatureAlgorithmTest, RefusesTamperedContent) {
  ASSERT_NO_FATAL_FAILURE(SignWith(GetParam().key_type, GetParam().rsa_pss));
  std::string tampered(kDocument);
  tampered[0] ^= 1;
  ExpectRefused(VerifyDetached(signature_, tampered, *verifier_, TestNow()),
                absl::StatusCode::kFailedPrecondition, "SIGNATURE_INVALID");
}

TEST_P(CmsSignatureAlgorithmTest, RefusesTamperedSignatureValue) {
  ASSERT_NO_FATAL_FAILURE(SignWith(GetParam().key_type, GetParam().rsa_pss));
  // The SignerInfo's signature value ends the DER.
  signature_.back() ^= 1;
  ExpectRefused(VerifyDetached(signature_, kDocument, *verifier_, TestNow()),
                absl::StatusCode::kFailedPrecondition, "SIGNATURE_INVALID");
}

INSTANTIATE_TEST_SUITE_P(
    AllAlgorithms, CmsSignatureAlgorithmTest,
    ::testing::Values(Algorithm{"Ed25519", KeyType::kEd25519, false, NID_sha512,
                                NID_ED25519},
                      Algorithm{"EcdsaP256", KeyType::kEcdsaP256, false,
                                NID_sha256, NID_ecdsa_with_SHA256},
                      Algorithm{"Rsa2048Pkcs1", KeyType::kRsa2048, false,
                                NID_sha256, NID_rsaEncryption},
                      Algorithm{"Rsa2048Pss", KeyType::kRsa2048, true,
                                NID_sha256, NID_rsassaPss}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(CmsSignatureTest, SignsEmptyContent) {
  LT_ASSERT_OK_AND_ASSIGN(IssuedCertificate issued, ca_->Issue(AgencyLeaf()));
  LT_ASSERT_OK_AND_ASSIGN(
      std::string signature,
      SignDetached("", issued.key.get(), issued.certificate.get()));
  EXPECT_THAT(VerifyDetached(signature, "", *verifier_, TestNow()), IsOk());
  ExpectRefused(VerifyDetached(signature, "x", *verifier_, TestNow()),
                absl::StatusCode::kFailedPrecondition, "SIGNATURE_INVALID");
}

TEST_F(CmsSignatureTest, RefusesMalformedSignatures) {
  ASSERT_NO_FATAL_FAILURE(SignWith(KeyType::kEcdsaP256));
  for (const std::string& bad :
       {std::string("garbage"), std::string(), signer_der_,
        signature_.substr(0, signature_.size() / 2), signature_ + "x"}) {
    ExpectRefused(VerifyDetached(bad, kDocument, *verifier_, TestNow()),
                  absl::StatusCode::kInvalidArgument, "SIGNATURE_MALFORMED");
  }
}

TEST_F(CmsSignatureTest, RefusesSignerOfAnotherCa) {
  LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority other, TestCa("Other CA"));
  LT_ASSERT_OK_AND_ASSIGN(IssuedCertificate issued, other.Issue(AgencyLeaf()));
  LT_ASSERT_OK_AND_ASSIGN(
      std::string signature,
      SignDetached(kDocument, issued.key.get(), issued.certificate.get()));
  ExpectRefused(VerifyDetached(signature, kDocument, *verifier_, TestNow()),
                absl::StatusCode::kFailedPrecondition, "CERTIFICATE_UNTRUSTED");
}

TEST_F(CmsSignatureTest, RefusesSignerExpiredAtVerificationTime) {
  ASSERT_NO_FATAL_FAILURE(SignWith(KeyType::kEcdsaP256));
  ExpectRefused(VerifyDetached(signature_, kDocument, *verifier_,
                               LeafNotAfter() + absl::Seconds(1)),
                absl::StatusCode::kFailedPrecondition, "CERTIFICATE_EXPIRED");
}

TEST_F(CmsSignatureTest, RefusesRevokedSigner) {
  ASSERT_NO_FATAL_FAILURE(SignWith(KeyType::kEcdsaP256));
  ASSERT_THAT(
      ca_->Revoke(CertificateSerialHex(signer_.certificate.get()), TestNow()),
      IsOk());
  LT_ASSERT_OK_AND_ASSIGN(std::string ca_pem, ca_->CertificatePem());
  LT_ASSERT_OK_AND_ASSIGN(std::string crl, ca_->Crl(TestNow()));
  LT_ASSERT_OK_AND_ASSIGN(CertificateVerifier with_crl,
                          CertificateVerifier::Create({ca_pem}, {crl}));
  ExpectRefused(VerifyDetached(signature_, kDocument, with_crl, TestNow()),
                absl::StatusCode::kFailedPrecondition, "CERTIFICATE_REVOKED");
}

TEST_F(CmsSignatureTest, RefusesUnexpectedSigner) {
  ASSERT_NO_FATAL_FAILURE(SignWith(KeyType::kEcdsaP256));
  LT_ASSERT_OK_AND_ASSIGN(IssuedCertificate other, ca_->Issue(AgencyLeaf()));
  LT_ASSERT_OK_AND_ASSIGN(std::string other_der,
                          CertificateToDer(other.certificate.get()));
  ExpectRefused(
      VerifyDetached(signature_, kDocument, other_der, *verifier_, TestNow()),
      absl::StatusCode::kFailedPrecondition, "SIGNER_CERTIFICATE_MISMATCH");
}

TEST_F(CmsSignatureTest, RefusesBadSigningInput) {
  LT_ASSERT_OK_AND_ASSIGN(IssuedCertificate ec, ca_->Issue(AgencyLeaf()));
  absl::StatusOr<std::string> pss = SignDetached(
      kDocument, ec.key.get(), ec.certificate.get(), {/*rsa_pss=*/true});
  EXPECT_THAT(pss, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(pss.status()), "SIGNATURE_OPTIONS_INVALID");

  LT_ASSERT_OK_AND_ASSIGN(IssuedCertificate other, ca_->Issue(AgencyLeaf()));
  absl::StatusOr<std::string> mismatched =
      SignDetached(kDocument, other.key.get(), ec.certificate.get());
  EXPECT_THAT(mismatched, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(mismatched.status()), "SIGNING_KEY_MISMATCH");
}

}  // namespace
}  // namespace lienthong::pki
