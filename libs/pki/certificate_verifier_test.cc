#include "libs/pki/certificate_verifier.h"

#include <string>
#include <vector>

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
using ::lienthong::pki::testing::LeafNotBefore;
using ::lienthong::pki::testing::TestCa;
using ::lienthong::pki::testing::TestNow;
using ::lienthong::testing::IsOk;
using ::lienthong::testing::IsOkAndHolds;
using ::lienthong::testing::StatusCodeIs;
using ::testing::Eq;
using ::testing::HasSubstr;

void ExpectRefused(const absl::StatusOr<Identity>& identity,
                   absl::StatusCode code, absl::string_view reason) {
  EXPECT_THAT(identity, StatusCodeIs(code));
  EXPECT_EQ(ErrorReason(identity.status()), reason);
}

class CertificateVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority ca, TestCa("Test CA"));
    LT_ASSERT_OK_AND_ASSIGN(ca_pem_, ca.CertificatePem());
    LT_ASSERT_OK_AND_ASSIGN(IssuedCertificate leaf, ca.Issue(AgencyLeaf()));
    LT_ASSERT_OK_AND_ASSIGN(leaf_der_,
                            CertificateToDer(leaf.certificate.get()));
    leaf_serial_ = CertificateSerialHex(leaf.certificate.get());
    ca_.emplace(std::move(ca));
  }

  absl::optional<CertificateAuthority> ca_;
  std::string ca_pem_;
  std::string leaf_der_;
  std::string leaf_serial_;
};

TEST_F(CertificateVerifierTest, TrustedLeafYieldsItsIdentity) {
  LT_ASSERT_OK_AND_ASSIGN(CertificateVerifier verifier,
                          CertificateVerifier::Create({ca_pem_}));
  EXPECT_THAT(verifier.Verify(leaf_der_, TestNow()),
              IsOkAndHolds(Eq(
                  Identity{"H26.1.15", "operator", "CN=UBND phường Hồng Hà"})));
}

TEST_F(CertificateVerifierTest, RefusesLeafOfAnotherCa) {
  LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority other, TestCa("Other CA"));
  LT_ASSERT_OK_AND_ASSIGN(std::string other_pem, other.CertificatePem());
  LT_ASSERT_OK_AND_ASSIGN(CertificateVerifier verifier,
                          CertificateVerifier::Create({other_pem}));
  absl::StatusOr<Identity> identity = verifier.Verify(leaf_der_, TestNow());
  ExpectRefused(identity, absl::StatusCode::kFailedPrecondition,
                "CERTIFICATE_UNTRUSTED");
  EXPECT_THAT(identity.status().message(),
              HasSubstr("unable to get local issuer certificate"));
  EXPECT_EQ(ErrorMetadata(identity.status())["depth"], "0");
}

TEST_F(CertificateVerifierTest, TrustsEveryCaOfABundle) {
  LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority other, TestCa("Other CA"));
  LT_ASSERT_OK_AND_ASSIGN(std::string other_pem, other.CertificatePem());
  LT_ASSERT_OK_AND_ASSIGN(CertificateVerifier verifier,
                          CertificateVerifier::Create({other_pem + ca_pem_}));
  EXPECT_THAT(verifier.Verify(leaf_der_, TestNow()), IsOk());
}

TEST_F(CertificateVerifierTest, RefusesExpiredAndNotYetValidLeaves) {
  LT_ASSERT_OK_AND_ASSIGN(CertificateVerifier verifier,
                          CertificateVerifier::Create({ca_pem_}));
  ExpectRefused(verifier.Verify(leaf_der_, LeafNotAfter() + absl::Hours(24)),
                absl::StatusCode::kFailedPrecondition, "CERTIFICATE_EXPIRED");
  ExpectRefused(verifier.Verify(leaf_der_, LeafNotBefore() - absl::Hours(24)),
                absl::StatusCode::kFailedPrecondition,
                "CERTIFICATE_NOT_YET_VALID");
}

TEST_F(CertificateVerifierTest, RefusesRevokedLeafAndAcceptsOthers) {
  LT_ASSERT_OK_AND_ASSIGN(std::string clean_crl, ca_->Crl(TestNow()));
  LT_ASSERT_OK_AND_ASSIGN(CertificateVerifier clean,
                          CertificateVerifier::Create({ca_pem_}, {clean_crl}));
  EXPECT_THAT(clean.Verify(leaf_der_, TestNow()), IsOk());

  ASSERT_THAT(ca_->Revoke(leaf_serial_, TestNow()), IsOk());
  LT_ASSERT_OK_AND_ASSIGN(std::string crl, ca_->Crl(TestNow()));
  LT_ASSERT_OK_AND_ASSIGN(CertificateVerifier verifier,
                          CertificateVerifier::Create({ca_pem_}, {crl}));
  ExpectRefused(verifier.Verify(leaf_der_, TestNow()),
                absl::StatusCode::kFailedPrecondition, "CERTIFICATE_REVOKED");
}

TEST_F(CertificateVerifierTest, RefusesWhenTheCrlIsStale) {
  LT_ASSERT_OK_AND_ASSIGN(std::string crl,
                          ca_->Crl(TestNow(), absl::Hours(24)));
  LT_ASSERT_OK_AND_ASSIGN(CertificateVerifier verifier,
                          CertificateVerifier::Create({ca_pem_}, {crl}));
  absl::StatusOr<Identity> identity =
      verifier.Verify(leaf_der_, TestNow() + absl::Hours(48));
  ExpectRefused(identity, absl::StatusCode::kFailedPrecondition,
                "CERTIFICATE_UNTRUSTED");
  EXPECT_THAT(identity.status().message(), HasSubstr("CRL has expired"));
}

TEST_F(CertificateVerifierTest, RefusesTrustedCertificateWithoutAgency) {
  LeafSpec spec = AgencyLeaf();
  spec.agency_code = "";
  LT_ASSERT_OK_AND_ASSIGN(IssuedCertificate leaf, ca_->Issue(spec));
  LT_ASSERT_OK_AND_ASSIGN(std::string der,
                          CertificateToDer(leaf.certificate.get()));
  LT_ASSERT_OK_AND_ASSIGN(CertificateVerifier verifier,
                          CertificateVerifier::Create({ca_pem_}));
  ExpectRefused(verifier.Verify(der, TestNow()),
                absl::StatusCode::kPermissionDenied,
                "CERTIFICATE_WITHOUT_AGENCY");
}

TEST_F(CertificateVerifierTest, RefusesMalformedInput) {
  LT_ASSERT_OK_AND_ASSIGN(CertificateVerifier verifier,
                          CertificateVerifier::Create({ca_pem_}));
  ExpectRefused(verifier.Verify("garbage", TestNow()),
                absl::StatusCode::kInvalidArgument, "CERTIFICATE_MALFORMED");

  auto expect_create_refused = [](absl::StatusOr<CertificateVerifier> created,
                                  absl::string_view reason) {
    EXPECT_THAT(created, StatusCodeIs(absl::StatusCode::kInvalidArgument));
    EXPECT_EQ(ErrorReason(created.status()), reason);
  };
  expect_create_refused(CertificateVerifier::Create({}), "NO_TRUSTED_CA");
  expect_create_refused(CertificateVerifier::Create({"not pem"}),
                        "CERTIFICATE_MALFORMED");
  expect_create_refused(CertificateVerifier::Create({ca_pem_}, {"not pem"}),
                        "CRL_MALFORMED");
}

}  // namespace
}  // namespace lienthong::pki
