#include "libs/pki/certificate_authority.h"

#include <openssl/bn.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/pki/identity.h"
#include "libs/pki/test_certificates.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::pki {
namespace {

using ::lienthong::pki::testing::AgencyLeaf;
using ::lienthong::pki::testing::TestCa;
using ::lienthong::pki::testing::TestNow;
using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;

// ASN1_OCTET_STRING equality, for key identifiers.
bool SameOctets(const ASN1_OCTET_STRING* a, const ASN1_OCTET_STRING* b) {
  return a != nullptr && b != nullptr && ASN1_STRING_cmp(a, b) == 0;
}

class CertificateAuthorityKeyTypeTest
    : public ::testing::TestWithParam<KeyType> {};

TEST_P(CertificateAuthorityKeyTypeTest, RootIsASelfSignedV3Ca) {
  LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority ca,
                          TestCa("Lienthong Test Root", GetParam()));
  X509* root = ca.certificate();
  EXPECT_EQ(X509_get_version(root), X509_VERSION_3);
  EXPECT_EQ(X509_check_ca(root), 1);
  EXPECT_EQ(X509_get_key_usage(root),
            static_cast<uint32_t>(KU_DIGITAL_SIGNATURE | KU_KEY_CERT_SIGN |
                                  KU_CRL_SIGN));
  EXPECT_EQ(
      X509_NAME_cmp(X509_get_subject_name(root), X509_get_issuer_name(root)),
      0);
  EXPECT_EQ(X509_verify(root, X509_get0_pubkey(root)), 1);
  EXPECT_TRUE(SameOctets(X509_get0_subject_key_id(root),
                         X509_get0_authority_key_id(root)));
}

TEST_P(CertificateAuthorityKeyTypeTest, SignsLeavesWithItsKey) {
  LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority ca,
                          TestCa("Lienthong Test Root", GetParam()));
  LT_ASSERT_OK_AND_ASSIGN(IssuedCertificate leaf,
                          ca.Issue(AgencyLeaf(GetParam())));
  X509* cert = leaf.certificate.get();
  EXPECT_EQ(X509_verify(cert, X509_get0_pubkey(ca.certificate())), 1);
  EXPECT_EQ(X509_check_private_key(cert, leaf.key.get()), 1);
  EXPECT_TRUE(SameOctets(X509_get0_authority_key_id(cert),
                         X509_get0_subject_key_id(ca.certificate())));
}

TEST_P(CertificateAuthorityKeyTypeTest, ReloadsFromItsPemFiles) {
  LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority ca,
                          TestCa("Lienthong Test Root", GetParam()));
  LT_ASSERT_OK_AND_ASSIGN(std::string key_pem, ca.KeyPem());
  LT_ASSERT_OK_AND_ASSIGN(std::string cert_pem, ca.CertificatePem());
  LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority reloaded,
                          CertificateAuthority::FromPem(key_pem, cert_pem));
  LT_ASSERT_OK_AND_ASSIGN(IssuedCertificate leaf,
                          reloaded.Issue(AgencyLeaf(GetParam())));
  EXPECT_EQ(
      X509_verify(leaf.certificate.get(), X509_get0_pubkey(ca.certificate())),
      1);
  // Another CA's key does not go with this certificate.
  LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority other,
                          TestCa("Other Root", GetParam()));
  LT_ASSERT_OK_AND_ASSIGN(std::string other_key, other.KeyPem());
  absl::StatusOr<CertificateAuthority> mismatched =
      CertificateAuthority::FromPem(other_key, cert_pem);
  EXPECT_THAT(mismatched, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(mismatched.status()), "SIGNING_KEY_MISMATCH");
}

INSTANTIATE_TEST_SUITE_P(AllKeyTypes, CertificateAuthorityKeyTypeTest,
                         ::testing::Values(KeyType::kEd25519,
                                           KeyType::kEcdsaP256,
                                           KeyType::kRsa2048),
                         [](const auto& info) {
                           return std::string(KeyTypeName(info.param));
                         });

TEST(CertificateAuthorityTest, LeafCarriesIdentityUsagesAndServerNames) {
  LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority ca, TestCa("Test CA"));
  LeafSpec spec = AgencyLeaf();
  spec.server = true;
  spec.dns_names = {"localhost", "lienthong.test"};
  spec.ip_addresses = {"127.0.0.1", "::1"};
  LT_ASSERT_OK_AND_ASSIGN(IssuedCertificate leaf, ca.Issue(spec));
  X509* cert = leaf.certificate.get();

  EXPECT_EQ(X509_get_version(cert), X509_VERSION_3);
  EXPECT_EQ(X509_check_ca(cert), 0);
  EXPECT_EQ(X509_get_key_usage(cert),
            static_cast<uint32_t>(KU_DIGITAL_SIGNATURE));
  EXPECT_EQ(X509_get_extended_key_usage(cert),
            static_cast<uint32_t>(XKU_SSL_SERVER | XKU_SSL_CLIENT));
  EXPECT_EQ(X509_check_host(cert, "lienthong.test", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "::1", 0), 1);
  LT_ASSERT_OK_AND_ASSIGN(Identity identity, IdentityFromCertificate(cert));
  EXPECT_EQ(identity.agency_code, "H26.1.15");
  EXPECT_EQ(identity.role, "operator");
}

TEST(CertificateAuthorityTest, ClientLeafHasNoServerUsage) {
  LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority ca, TestCa("Test CA"));
  LT_ASSERT_OK_AND_ASSIGN(IssuedCertificate leaf, ca.Issue(AgencyLeaf()));
  EXPECT_EQ(X509_get_extended_key_usage(leaf.certificate.get()),
            static_cast<uint32_t>(XKU_SSL_CLIENT));
}

TEST(CertificateAuthorityTest, SerialsAreRandomPositive128BitNumbers) {
  LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority ca, TestCa("Test CA"));
  LT_ASSERT_OK_AND_ASSIGN(IssuedCertificate first, ca.Issue(AgencyLeaf()));
  LT_ASSERT_OK_AND_ASSIGN(IssuedCertificate second, ca.Issue(AgencyLeaf()));
  EXPECT_NE(CertificateSerialHex(first.certificate.get()),
            CertificateSerialHex(second.certificate.get()));
  BIGNUM* serial = ASN1_INTEGER_to_BN(
      X509_get0_serialNumber(first.certificate.get()), nullptr);
  ASSERT_NE(serial, nullptr);
  EXPECT_FALSE(BN_is_negative(serial));
  EXPECT_LE(BN_num_bits(serial), 127);
  EXPECT_GE(BN_num_bits(serial), 64);  // Fewer only with odds of 2^-63.
  BN_free(serial);
}

TEST(CertificateAuthorityTest, RefusesBadSpecs) {
  LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority ca, TestCa("Test CA"));
  std::vector<LeafSpec> bad(5, AgencyLeaf());
  bad[0].server = true;
  bad[0].ip_addresses = {"127.0.0"};
  bad[1].not_after = bad[1].not_before;
  bad[2].common_name = "";
  bad[3].agency_code = "H26 1 15";
  bad[4].not_after = absl::InfiniteFuture();
  for (const LeafSpec& spec : bad) {
    absl::StatusOr<IssuedCertificate> issued = ca.Issue(spec);
    EXPECT_THAT(issued, StatusCodeIs(absl::StatusCode::kInvalidArgument));
    EXPECT_EQ(ErrorReason(issued.status()), "CERTIFICATE_SPEC_INVALID");
  }
}

TEST(CertificateAuthorityTest, CrlListsRevokedSerialsAndIsSignedByTheCa) {
  LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority ca, TestCa("Test CA"));
  LT_ASSERT_OK_AND_ASSIGN(IssuedCertificate revoked, ca.Issue(AgencyLeaf()));
  LT_ASSERT_OK_AND_ASSIGN(IssuedCertificate kept, ca.Issue(AgencyLeaf()));
  ASSERT_THAT(
      ca.Revoke(CertificateSerialHex(revoked.certificate.get()), TestNow()),
      IsOk());

  LT_ASSERT_OK_AND_ASSIGN(std::string pem, ca.Crl(TestNow()));
  LT_ASSERT_OK_AND_ASSIGN(std::vector<CertificateRevocationList> crls,
                          ParseCrlsPem(pem));
  ASSERT_EQ(crls.size(), 1u);
  X509_CRL* crl = crls[0].get();
  EXPECT_EQ(X509_CRL_verify(crl, X509_get0_pubkey(ca.certificate())), 1);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_CRL_get0_lastUpdate(crl),
                                 absl::ToTimeT(TestNow())),
            0);
  X509_REVOKED* entry = nullptr;
  EXPECT_EQ(X509_CRL_get0_by_cert(crl, &entry, revoked.certificate.get()), 1);
  EXPECT_EQ(X509_CRL_get0_by_cert(crl, &entry, kept.certificate.get()), 0);
}

TEST(CertificateAuthorityTest, RefusesMalformedSerials) {
  LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority ca, TestCa("Test CA"));
  absl::Status status = ca.Revoke("not-hex", TestNow());
  EXPECT_THAT(status, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(status), "SERIAL_MALFORMED");
}

}  // namespace
}  // namespace lienthong::pki
