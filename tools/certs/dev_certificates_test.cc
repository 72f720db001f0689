#include "tools/certs/dev_certificates.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/pki/certificate_verifier.h"
#include "libs/pki/key_material.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::certs {
namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
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

}  // namespace
}  // namespace lienthong::certs
