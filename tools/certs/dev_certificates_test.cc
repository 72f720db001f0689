#include "tools/certs/dev_certificates.h"

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/pki/certificate_verifier.h"
#include "libs/pki/key_material.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::certs {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A fresh directory for one test.
std::string TestDirectory() {
  const std::string dir =
      std::string(getenv("TEST_TMPDIR")) + "/" +
      ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::remove_all(dir);
  return dir;
}

DevCertificateOptions Options(const std::string& directory) {
  DevCertificateOptions options;
  options.directory = directory;
  options.province_agency = "000.00.00.H26";
  options.agencies = {"DEMO.11098.UBND", "DEMO.298.UBND"};
  options.now = absl::FromUnixSeconds(1751328000);
  return options;
}

// Why `path`'s certificate is refused under the CA and CRL of `directory` at
// `at`, "" when it is accepted.
std::string Refusal(const std::string& directory, const std::string& path,
                    absl::Time at) {
  absl::StatusOr<pki::CertificateVerifier> verifier =
      pki::CertificateVerifier::Create({Read(directory + "/ca.pem")},
                                       {Read(directory + "/crl.pem")});
  if (!verifier.ok()) return verifier.status().ToString();
  absl::StatusOr<pki::Certificate> certificate =
      pki::ParseCertificatePem(Read(path));
  if (!certificate.ok()) return certificate.status().ToString();
  absl::Status status = verifier->Verify(certificate->get(), at).status();
  return status.ok() ? "" : ErrorReason(status);
}

int64_t CrlNumber(const std::string& path) {
  absl::StatusOr<std::vector<pki::CertificateRevocationList>> crls =
      pki::ParseCrlsPem(Read(path));
  if (!crls.ok()) return -1;
  ASN1_INTEGER* number = static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(
      crls->front().get(), NID_crl_number, nullptr, nullptr));
  int64_t value = -1;
  if (number != nullptr) ASN1_INTEGER_get_int64(&value, number);
  ASN1_INTEGER_free(number);
  return value;
}

TEST(DevCertificatesTest, IssuesVerifiableIdentitiesAndKeepsWhatExists) {
  DevCertificateOptions options;
  options.directory = std::string(getenv("TEST_TMPDIR")) + "/certs";
  options.province_agency = "000.00.00.H26";
  options.agencies = {"DEMO.11098.UBND"};
  options.now = absl::FromUnixSeconds(1751328000);
  LT_ASSERT_OK_AND_ASSIGN(std::vector<std::string> written,
                          EnsureDevCertificates(options));
  EXPECT_EQ(written.size(), 8u);  // CA, platform, operator, one agency
  LT_ASSERT_OK_AND_ASSIGN(
      pki::CertificateVerifier verifier,
      pki::CertificateVerifier::Create({Read(options.directory + "/ca.pem")}));
  LT_ASSERT_OK_AND_ASSIGN(
      pki::Certificate agency,
      pki::ParseCertificatePem(
          Read(options.directory + "/agencies/DEMO.11098.UBND.pem")));
  LT_ASSERT_OK_AND_ASSIGN(pki::Identity identity,
                          verifier.Verify(agency.get(), options.now));
  EXPECT_EQ(identity.agency_code, "DEMO.11098.UBND");
  LT_ASSERT_OK_AND_ASSIGN(
      pki::Certificate operator_cert,
      pki::ParseCertificatePem(Read(options.directory + "/operator.pem")));
  LT_ASSERT_OK_AND_ASSIGN(identity,
                          verifier.Verify(operator_cert.get(), options.now));
  EXPECT_EQ(identity.role, "operator");
  EXPECT_EQ(
      std::filesystem::status(options.directory + "/ca.key").permissions() &
          std::filesystem::perms::group_read,
      std::filesystem::perms::none);

  // Again with one more agency: only its pair is new, signed by the same CA.
  options.agencies.push_back("DEMO.298.UBND");
  LT_ASSERT_OK_AND_ASSIGN(written, EnsureDevCertificates(options));
  EXPECT_EQ(written.size(), 2u);
  LT_ASSERT_OK_AND_ASSIGN(
      pki::Certificate added,
      pki::ParseCertificatePem(
          Read(options.directory + "/agencies/DEMO.298.UBND.pem")));
  EXPECT_THAT(verifier.Verify(added.get(), options.now),
              ::lienthong::testing::IsOk());
}

TEST(DevCertificatesTest, IssuesAuditorCertificates) {
  DevCertificateOptions options = Options(TestDirectory());
  options.auditors = {"000.00.00.H26"};
  LT_ASSERT_OK_AND_ASSIGN(std::vector<std::string> written,
                          EnsureDevCertificates(options));
  EXPECT_THAT(written, ::testing::Contains(options.directory +
                                           "/auditors/000.00.00.H26.pem"));
  LT_ASSERT_OK_AND_ASSIGN(
      pki::CertificateVerifier verifier,
      pki::CertificateVerifier::Create({Read(options.directory + "/ca.pem")}));
  LT_ASSERT_OK_AND_ASSIGN(
      pki::Certificate auditor,
      pki::ParseCertificatePem(
          Read(options.directory + "/auditors/000.00.00.H26.pem")));
  LT_ASSERT_OK_AND_ASSIGN(pki::Identity identity,
                          verifier.Verify(auditor.get(), options.now));
  EXPECT_EQ(identity.agency_code, "000.00.00.H26");
  EXPECT_EQ(identity.role, "auditor");
  EXPECT_EQ(
      std::filesystem::status(options.directory + "/auditors/000.00.00.H26.key")
              .permissions() &
          std::filesystem::perms::group_read,
      std::filesystem::perms::none);
}

TEST(RevokeCertificatesTest, AddsToTheCrlAndKeepsEarlierRevocations) {
  const DevCertificateOptions options = Options(TestDirectory());
  ASSERT_THAT(EnsureDevCertificates(options), IsOk());
  const std::string first = options.directory + "/agencies/DEMO.11098.UBND.pem";
  const std::string second = options.directory + "/agencies/DEMO.298.UBND.pem";
  const std::string operator_pem = options.directory + "/operator.pem";

  RevokeOptions revoke;
  revoke.directory = options.directory;
  revoke.certificates = {first};
  revoke.now = options.now;
  LT_ASSERT_OK_AND_ASSIGN(RevokeResult result, RevokeCertificates(revoke));
  EXPECT_EQ(result.crl_path, options.directory + "/crl.pem");
  ASSERT_EQ(result.revoked_serials.size(), 1u);
  EXPECT_EQ(result.listed, 1u);
  // Backdated an hour, against servers whose clock is behind.
  EXPECT_EQ(result.next_update,
            options.now - absl::Hours(1) + revoke.crl_validity);
  const absl::Time later = options.now + absl::Hours(1);
  EXPECT_EQ(Refusal(options.directory, first, later), "CERTIFICATE_REVOKED");
  EXPECT_EQ(Refusal(options.directory, second, later), "");
  EXPECT_EQ(Refusal(options.directory, operator_pem, later), "");
  const int64_t first_number = CrlNumber(result.crl_path);

  // Within the same second: still a later CRL number.
  revoke.certificates = {second};
  LT_ASSERT_OK_AND_ASSIGN(result, RevokeCertificates(revoke));
  EXPECT_EQ(result.listed, 2u);
  EXPECT_EQ(Refusal(options.directory, first, later), "CERTIFICATE_REVOKED");
  EXPECT_EQ(Refusal(options.directory, second, later), "CERTIFICATE_REVOKED");
  EXPECT_EQ(Refusal(options.directory, operator_pem, later), "");
  EXPECT_GT(CrlNumber(result.crl_path), first_number);

  // Renewing (no certificate) keeps both; nothing else left in the directory.
  revoke.certificates = {};
  revoke.now = options.now + absl::Hours(24 * 20);
  LT_ASSERT_OK_AND_ASSIGN(result, RevokeCertificates(revoke));
  EXPECT_EQ(result.listed, 2u);
  EXPECT_EQ(Refusal(options.directory, second, revoke.now),
            "CERTIFICATE_REVOKED");
  for (const auto& entry :
       std::filesystem::directory_iterator(options.directory)) {
    EXPECT_NE(entry.path().filename().string().front(), '.') << entry.path();
  }
}

TEST(RevokeCertificatesTest, RefusesAnotherCasCertificate) {
  const DevCertificateOptions ours = Options(TestDirectory());
  ASSERT_THAT(EnsureDevCertificates(ours), IsOk());
  const DevCertificateOptions theirs = Options(ours.directory + "-other");
  std::filesystem::remove_all(theirs.directory);
  ASSERT_THAT(EnsureDevCertificates(theirs), IsOk());
  RevokeOptions revoke;
  revoke.directory = ours.directory;
  revoke.certificates = {theirs.directory + "/operator.pem"};
  revoke.now = ours.now;
  absl::StatusOr<RevokeResult> result = RevokeCertificates(revoke);
  EXPECT_THAT(result, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(result.status()), "CERTIFICATE_NOT_ISSUED_BY_CA");
  EXPECT_FALSE(std::filesystem::exists(ours.directory + "/crl.pem"));
}

TEST(RevokeCertificatesTest, LeavesADamagedCrlAlone) {
  const DevCertificateOptions options = Options(TestDirectory());
  ASSERT_THAT(EnsureDevCertificates(options), IsOk());
  {
    std::ofstream out(options.directory + "/crl.pem");
    out << "not a CRL\n";
  }
  RevokeOptions revoke;
  revoke.directory = options.directory;
  revoke.certificates = {options.directory + "/operator.pem"};
  revoke.now = options.now;
  EXPECT_THAT(RevokeCertificates(revoke),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Read(options.directory + "/crl.pem"), "not a CRL\n");
}

TEST(RevokeCertificatesTest, NeedsTheCa) {
  RevokeOptions revoke;
  revoke.directory = TestDirectory();
  revoke.now = absl::FromUnixSeconds(1751328000);
  EXPECT_THAT(RevokeCertificates(revoke),
              StatusCodeIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace lienthong::certs
