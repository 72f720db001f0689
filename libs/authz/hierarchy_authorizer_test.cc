#include "libs/authz/hierarchy_authorizer.h"

#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libs/authz/unit_directory.h"
#include "libs/status/status_details.h"

namespace lienthong::authz {
namespace {

// Province 01 with commune 00097 (and its sibling 00103) today; before the
// reform commune 00001 lay under district 001. Province 02 holds 00500.
class FakeDirectory final : public UnitDirectory {
 public:
  absl::StatusOr<std::string> UnitOfAgency(
      absl::string_view agency) const override {
    auto it = agencies_.find(std::string(agency));
    if (it == agencies_.end()) return absl::NotFoundError("no agency");
    return it->second;
  }
  absl::StatusOr<bool> IsWithin(absl::string_view unit,
                                absl::string_view ancestor) const override {
    std::string at(unit);
    if (!parents_.count(at)) return absl::NotFoundError("no unit");
    while (true) {
      if (at == ancestor) return true;
      auto it = parents_.find(at);
      if (it == parents_.end() || it->second.empty()) return false;
      at = it->second;
    }
  }
  absl::StatusOr<bool> IsTopLevel(absl::string_view unit) const override {
    auto it = parents_.find(std::string(unit));
    if (it == parents_.end()) return absl::NotFoundError("no unit");
    return it->second.empty();
  }

 private:
  std::map<std::string, std::string> agencies_ = {
      {"P01", "units/01"},    {"C97", "units/00097"}, {"C03", "units/00103"},
      {"D001", "units/001"},  {"C01", "units/00001"}, {"P02", "units/02"},
      {"C500", "units/00500"}};
  std::map<std::string, std::string> parents_ = {{"units/01", ""},
                                                 {"units/02", ""},
                                                 {"units/00097", "units/01"},
                                                 {"units/00103", "units/01"},
                                                 {"units/001", "units/01"},
                                                 {"units/00001", "units/001"},
                                                 {"units/00500", "units/02"}};
};

Caller As(const std::string& agency, const std::string& role) {
  return Caller{agency, role, "ipv4:127.0.0.1:1", true};
}

class HierarchyAuthorizerTest : public ::testing::Test {
 protected:
  std::string Decide(const Caller& caller, const std::string& method,
                     const std::string& resource) {
    absl::Status status = authorizer_.Authorize(caller, method, resource);
    if (status.ok()) return "allow";
    EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
    return ErrorReason(status);
  }
  FakeDirectory directory_;
  HierarchyAuthorizer authorizer_{&directory_};
};

TEST_F(HierarchyAuthorizerTest, WritesOnlyForTheCallersOwnUnit) {
  const std::string write = "ingestion.values.write";
  EXPECT_EQ(Decide(As("C97", "system"), write, "units/00097"), "allow");
  EXPECT_EQ(Decide(As("C97", "system"), write, "units/00103"), "NOT_OWN_UNIT");
  EXPECT_EQ(Decide(As("P01", "system"), write, "units/00097"), "NOT_OWN_UNIT");
  EXPECT_EQ(Decide(As("P01", "operator"), write, "units/01"),
            "ROLE_NOT_ALLOWED");
  EXPECT_EQ(Decide(As("ZZZ", "system"), write, "units/00097"),
            "CALLER_AGENCY_UNKNOWN");
}

TEST_F(HierarchyAuthorizerTest, ParentsReadDescendantsAcrossOldArrangements) {
  const std::string read = "reporting.rollups.read";
  EXPECT_EQ(Decide(As("C97", "system"), read, "units/00097"), "allow");
  EXPECT_EQ(Decide(As("P01", "system"), read, "units/00097"), "allow");
  EXPECT_EQ(Decide(As("P01", "operator"), read, "units/00001"), "allow");
  EXPECT_EQ(Decide(As("P02", "operator"), read, ""), "allow");
  EXPECT_EQ(Decide(As("D001", "system"), read, "units/00001"), "allow");
  EXPECT_EQ(Decide(As("D001", "system"), read, "units/00097"),
            "OUTSIDE_CALLERS_UNIT");
  EXPECT_EQ(Decide(As("C97", "system"), read, "units/01"),
            "OUTSIDE_CALLERS_UNIT");
  EXPECT_EQ(Decide(As("C97", "system"), read, "units/00103"),
            "OUTSIDE_CALLERS_UNIT");
  EXPECT_EQ(Decide(As("P02", "system"), read, "units/00097"),
            "OUTSIDE_CALLERS_UNIT");
  EXPECT_EQ(Decide(As("P01", "auditor"), read, "units/00097"),
            "ROLE_NOT_ALLOWED");
  // Everything at once only for a province.
  EXPECT_EQ(Decide(As("P01", "system"), read, ""), "allow");
  EXPECT_EQ(Decide(As("C97", "system"), read, ""), "WHOLE_PLATFORM_READ");
  // An unknown unit is the caller's error, not a denial.
  EXPECT_EQ(
      authorizer_.Authorize(As("P01", "system"), read, "units/99999").code(),
      absl::StatusCode::kNotFound);
}

TEST_F(HierarchyAuthorizerTest, OperatorsAdministerAuditorsAuditAllRead) {
  EXPECT_EQ(Decide(As("P01", "operator"), "registry.units.merge", "00097"),
            "allow");
  EXPECT_EQ(Decide(As("P01", "system"), "registry.units.merge", "00097"),
            "ROLE_NOT_ALLOWED");
  EXPECT_EQ(Decide(As("P01", "auditor"), "audit.read", ""), "allow");
  EXPECT_EQ(Decide(As("P01", "operator"), "audit.read", ""),
            "ROLE_NOT_ALLOWED");
  for (const char* role : {"system", "operator", "auditor"}) {
    EXPECT_EQ(Decide(As("C500", role), "registry.indicators.list", ""),
              "allow");
  }
}

TEST_F(HierarchyAuthorizerTest, DocumentsOnlyForTheCallersOwnAgency) {
  EXPECT_EQ(Decide(As("C97", "system"), "documents.inbox.read", "agencies/C97"),
            "allow");
  EXPECT_EQ(Decide(As("C97", "system"), "documents.inbox.read", "agencies/C03"),
            "NOT_CALLERS_AGENCY");
  EXPECT_EQ(Decide(As("P01", "system"), "documents.inbox.read", "agencies/C97"),
            "NOT_CALLERS_AGENCY");
  EXPECT_EQ(Decide(As("C97", "system"), "documents.send", ""),
            "NOT_CALLERS_AGENCY");
  EXPECT_EQ(Decide(As("P01", "operator"), "documents.send", "agencies/P01"),
            "ROLE_NOT_ALLOWED");
  EXPECT_EQ(Decide(As("C97", "system"), "documents.get", "documents/x"),
            "allow");
}

TEST_F(HierarchyAuthorizerTest, UnknownMethodsAreRefusedAndInsidersAllowed) {
  EXPECT_EQ(Decide(As("P01", "operator"), "registry.units.destroy", ""),
            "UNKNOWN_METHOD");
  EXPECT_TRUE(
      authorizer_.Authorize(Caller{}, "ingestion.values.write", "units/00097")
          .ok());
}

}  // namespace
}  // namespace lienthong::authz
