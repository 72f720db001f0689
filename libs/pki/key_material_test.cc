#include "libs/pki/key_material.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

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
using ::lienthong::pki::testing::TestCa;
using ::lienthong::testing::IsOkAndHolds;
using ::lienthong::testing::StatusCodeIs;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::StartsWith;

void ExpectMalformed(const absl::Status& status, absl::string_view reason) {
  EXPECT_THAT(status, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(status), reason);
}

class KeyMaterialKeyTypeTest : public ::testing::TestWithParam<KeyType> {};

TEST_P(KeyMaterialKeyTypeTest, GeneratesTheRequestedAlgorithm) {
  LT_ASSERT_OK_AND_ASSIGN(PrivateKey key, GenerateKey(GetParam()));
  switch (GetParam()) {
    case KeyType::kEd25519:
      EXPECT_EQ(EVP_PKEY_get_id(key.get()), EVP_PKEY_ED25519);
      break;
    case KeyType::kEcdsaP256: {
      EXPECT_EQ(EVP_PKEY_get_id(key.get()), EVP_PKEY_EC);
      char group[64];
      ASSERT_EQ(
          EVP_PKEY_get_group_name(key.get(), group, sizeof(group), nullptr), 1);
      EXPECT_STREQ(group, "prime256v1");
      break;
    }
    case KeyType::kRsa2048:
      EXPECT_EQ(EVP_PKEY_get_id(key.get()), EVP_PKEY_RSA);
      EXPECT_EQ(EVP_PKEY_get_bits(key.get()), 2048);
      break;
  }
}

TEST_P(KeyMaterialKeyTypeTest, PrivateKeyPemAndDerRoundTrip) {
  LT_ASSERT_OK_AND_ASSIGN(PrivateKey key, GenerateKey(GetParam()));
  LT_ASSERT_OK_AND_ASSIGN(std::string pem, PrivateKeyToPem(key.get()));
  EXPECT_THAT(pem, StartsWith("-----BEGIN PRIVATE KEY-----\n"));
  LT_ASSERT_OK_AND_ASSIGN(PrivateKey from_pem, ParsePrivateKeyPem(pem));
  EXPECT_EQ(EVP_PKEY_eq(key.get(), from_pem.get()), 1);
  EXPECT_THAT(PrivateKeyToPem(from_pem.get()), IsOkAndHolds(Eq(pem)));

  LT_ASSERT_OK_AND_ASSIGN(std::string der, PrivateKeyToDer(key.get()));
  LT_ASSERT_OK_AND_ASSIGN(PrivateKey from_der, ParsePrivateKeyDer(der));
  EXPECT_EQ(EVP_PKEY_eq(key.get(), from_der.get()), 1);
}

INSTANTIATE_TEST_SUITE_P(AllKeyTypes, KeyMaterialKeyTypeTest,
                         ::testing::Values(KeyType::kEd25519,
                                           KeyType::kEcdsaP256,
                                           KeyType::kRsa2048),
                         [](const auto& info) {
                           return std::string(KeyTypeName(info.param));
                         });

TEST(KeyMaterialTest, CertificatePemAndDerRoundTrip) {
  LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority ca, TestCa("Test CA"));
  LT_ASSERT_OK_AND_ASSIGN(IssuedCertificate leaf, ca.Issue(AgencyLeaf()));
  LT_ASSERT_OK_AND_ASSIGN(std::string pem,
                          CertificateToPem(leaf.certificate.get()));
  EXPECT_THAT(pem, StartsWith("-----BEGIN CERTIFICATE-----\n"));
  LT_ASSERT_OK_AND_ASSIGN(std::string der,
                          CertificateToDer(leaf.certificate.get()));

  LT_ASSERT_OK_AND_ASSIGN(Certificate from_pem, ParseCertificatePem(pem));
  EXPECT_EQ(X509_cmp(from_pem.get(), leaf.certificate.get()), 0);
  EXPECT_THAT(CertificateToDer(from_pem.get()), IsOkAndHolds(Eq(der)));
  LT_ASSERT_OK_AND_ASSIGN(Certificate from_der, ParseCertificateDer(der));
  EXPECT_THAT(CertificateToPem(from_der.get()), IsOkAndHolds(Eq(pem)));
  EXPECT_EQ(CertificateSerialHex(from_der.get()),
            CertificateSerialHex(leaf.certificate.get()));
}

TEST(KeyMaterialTest, ReadsCertificateBundles) {
  LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority first, TestCa("First CA"));
  LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority second, TestCa("Second CA"));
  LT_ASSERT_OK_AND_ASSIGN(std::string first_pem, first.CertificatePem());
  LT_ASSERT_OK_AND_ASSIGN(std::string second_pem, second.CertificatePem());
  std::string bundle = first_pem + second_pem;

  EXPECT_THAT(ParseCertificatesPem(bundle), IsOkAndHolds(SizeIs(2)));
  absl::StatusOr<Certificate> one = ParseCertificatePem(bundle);
  ExpectMalformed(one.status(), "CERTIFICATE_MALFORMED");
  EXPECT_THAT(one.status().message(), HasSubstr("expected one, found 2"));
}

TEST(KeyMaterialTest, RefusesMalformedCertificates) {
  ExpectMalformed(ParseCertificatePem("not a certificate").status(),
                  "CERTIFICATE_MALFORMED");
  ExpectMalformed(ParseCertificatePem("-----BEGIN CERTIFICATE-----\nAAAA\n"
                                      "-----END CERTIFICATE-----\n")
                      .status(),
                  "CERTIFICATE_MALFORMED");
  ExpectMalformed(ParseCertificateDer("\x30\x03\x02\x01").status(),
                  "CERTIFICATE_MALFORMED");

  LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority ca, TestCa("Test CA"));
  LT_ASSERT_OK_AND_ASSIGN(std::string der, CertificateToDer(ca.certificate()));
  ExpectMalformed(ParseCertificateDer(der + "x").status(),
                  "CERTIFICATE_MALFORMED");
}

TEST(KeyMaterialTest, RefusesMalformedAndEncryptedPrivateKeys) {
  ExpectMalformed(ParsePrivateKeyPem("").status(), "PRIVATE_KEY_MALFORMED");
  ExpectMalformed(ParsePrivateKeyDer("garbage").status(),
                  "PRIVATE_KEY_MALFORMED");

  // An encrypted key fails instead of prompting for a password.
  LT_ASSERT_OK_AND_ASSIGN(PrivateKey key, GenerateKey(KeyType::kEcdsaP256));
  UniqueBio bio = WritableBio();
  static const char kPassword[] = "secret";
  ASSERT_EQ(PEM_write_bio_PrivateKey(
                bio.get(), key.get(), EVP_aes_256_cbc(),
                reinterpret_cast<const unsigned char*>(kPassword),
                sizeof(kPassword) - 1, nullptr, nullptr),
            1);
  std::string encrypted = BioContents(bio.get());
  ASSERT_THAT(encrypted, StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
  ExpectMalformed(ParsePrivateKeyPem(encrypted).status(),
                  "PRIVATE_KEY_MALFORMED");
}

TEST(KeyMaterialTest, RefusesMalformedCrls) {
  ExpectMalformed(ParseCrlsPem("-----BEGIN X509 CRL-----\nAAAA\n"
                               "-----END X509 CRL-----\n")
                      .status(),
                  "CRL_MALFORMED");
}

TEST(KeyMaterialTest, Sha256HexIsLowercaseHex) {
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace lienthong::pki
