#include "libs/pki/identity.h"

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

class IdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LT_ASSERT_OK_AND_ASSIGN(CertificateAuthority ca, TestCa("Test CA"));
    ca_.emplace(std::move(ca));
  }

  // The identity of a certificate issued for `spec`.
  absl::StatusOr<Identity> IdentityOf(const LeafSpec& spec) {
    absl::StatusOr<IssuedCertificate> issued = ca_->Issue(spec);
    if (!issued.ok()) return issued.status();
    return IdentityFromCertificate(issued->certificate.get());
  }

  void ExpectRefused(const LeafSpec& spec, absl::string_view reason) {
    absl::StatusOr<Identity> identity = IdentityOf(spec);
    EXPECT_THAT(identity, StatusCodeIs(absl::StatusCode::kPermissionDenied));
    EXPECT_EQ(ErrorReason(identity.status()), reason);
  }

  absl::optional<CertificateAuthority> ca_;
};

TEST_F(IdentityTest, ReadsAgencyRoleAndUtf8Subject) {
  EXPECT_THAT(IdentityOf(AgencyLeaf()),
              IsOkAndHolds(Eq(
                  Identity{"H26.1.15", "operator", "CN=UBND phường Hồng Hà"})));
}

TEST_F(IdentityTest, AcceptsEveryKnownRole) {
  for (const char* role : {"system", "operator", "auditor"}) {
    LeafSpec spec = AgencyLeaf();
    spec.agency_code = "000.00.04.G14";
    spec.role = role;
    LT_ASSERT_OK_AND_ASSIGN(Identity identity, IdentityOf(spec));
    EXPECT_EQ(identity.agency_code, "000.00.04.G14");
    EXPECT_EQ(identity.role, role);
  }
}

TEST_F(IdentityTest, EscapesRfc2253SpecialsButNotUtf8) {
  LeafSpec spec = AgencyLeaf();
  spec.common_name = "Sở Nội vụ, Hà Nội";
  LT_ASSERT_OK_AND_ASSIGN(Identity identity, IdentityOf(spec));
  EXPECT_EQ(identity.subject, "CN=Sở Nội vụ\\, Hà Nội");
}

TEST_F(IdentityTest, RefusesCertificateWithoutAgency) {
  LeafSpec spec = AgencyLeaf();
  spec.agency_code = "";
  ExpectRefused(spec, "CERTIFICATE_WITHOUT_AGENCY");
}

TEST_F(IdentityTest, RefusesCertificateWithoutAnySubjectAltName) {
  LeafSpec spec = AgencyLeaf();
  spec.agency_code = "";
  spec.role = "";
  ExpectRefused(spec, "CERTIFICATE_WITHOUT_AGENCY");
}

TEST_F(IdentityTest, RefusesMalformedAgencyCode) {
  LeafSpec spec = AgencyLeaf();
  spec.agency_code = "H26/1/15";
  absl::StatusOr<Identity> identity = IdentityOf(spec);
  EXPECT_THAT(identity, StatusCodeIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(ErrorReason(identity.status()), "CERTIFICATE_WITHOUT_AGENCY");
  EXPECT_THAT(identity.status().message(), HasSubstr("malformed"));
}

TEST_F(IdentityTest, RefusesUnknownOrMissingRole) {
  LeafSpec unknown = AgencyLeaf();
  unknown.role = "admin";
  ExpectRefused(unknown, "CERTIFICATE_UNKNOWN_ROLE");
  LeafSpec missing = AgencyLeaf();
  missing.role = "";
  ExpectRefused(missing, "CERTIFICATE_UNKNOWN_ROLE");
}

TEST(IdentityRulesTest, KnowsRolesAndAgencyCodes) {
  EXPECT_TRUE(IsKnownRole("auditor"));
  EXPECT_FALSE(IsKnownRole("Auditor"));
  EXPECT_FALSE(IsKnownRole(""));
  EXPECT_TRUE(IsValidAgencyCode("000.00.04.G14"));
  EXPECT_TRUE(IsValidAgencyCode("H26.1.15"));
  EXPECT_FALSE(IsValidAgencyCode(""));
  EXPECT_FALSE(IsValidAgencyCode(".H26"));
  EXPECT_FALSE(IsValidAgencyCode("H26 1"));
}

}  // namespace
}  // namespace lienthong::pki
