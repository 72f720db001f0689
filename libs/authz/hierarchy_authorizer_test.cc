#include "libs/authz/hierarchy_authorizer.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "libs/authz/unit_directory.h"
#include "libs/status/status_details.h"

namespace lienthong::authz {
namespace {

// Province 01 with commune 00097 (and its sibling 00103); before the reform
// commune 00001 lay under district 001, abolished on 30 June 2025, and since
// 1 July 2025 directly under the province. Commune 00200 moved from district
// 002 to district 003 on 1 March 2025. Province 02 holds 00500. Today is
// 1 January 2026.
class FakeDirectory final : public UnitDirectory {
 public:
  absl::StatusOr<std::string> UnitOfAgency(
      absl::string_view agency) const override {
    auto it = agencies_.find(std::string(agency));
    if (it == agencies_.end()) return absl::NotFoundError("no agency");
    return it->second;
  }
  absl::StatusOr<bool> IsWithin(absl::string_view unit,
                                absl::string_view ancestor,
                                const HierarchyDay& day) const override {
    if (!links_.count(std::string(unit))) {
      return absl::NotFoundError("no unit");
    }
    const absl::CivilDay on = day.value_or(absl::CivilDay(2026, 1, 1));
    std::string at(unit);
    while (at != ancestor) {
      std::string up;
      for (const Link& link : links_.at(at)) {
        if (link.first <= on && on <= link.last) up = link.parent;
      }
      if (up.empty()) return false;
      at = up;
    }
    return true;
  }
  absl::StatusOr<bool> IsTopLevel(absl::string_view unit) const override {
    auto it = links_.find(std::string(unit));
    if (it == links_.end()) return absl::NotFoundError("no unit");
    return it->second.empty();
  }

 private:
  struct Link {
    std::string parent;
    absl::CivilDay first = absl::CivilDay(2000, 1, 1);
    absl::CivilDay last = absl::CivilDay(9999, 12, 31);
  };
  static constexpr absl::CivilDay kReform{2025, 7, 1};
  static constexpr absl::CivilDay kMove{2025, 3, 1};
  std::map<std::string, std::string> agencies_ = {
      {"P01", "units/01"},     {"C97", "units/00097"}, {"C03", "units/00103"},
      {"D001", "units/001"},   {"C01", "units/00001"}, {"P02", "units/02"},
      {"C500", "units/00500"}, {"D002", "units/002"},  {"D003", "units/003"}};
  std::map<std::string, std::vector<Link>> links_ = {
      {"units/01", {}},
      {"units/02", {}},
      {"units/00097", {{"units/01"}}},
      {"units/00103", {{"units/01"}}},
      {"units/001", {{"units/01", absl::CivilDay(2000, 1, 1), kReform - 1}}},
      {"units/002", {{"units/01"}}},
      {"units/003", {{"units/01"}}},
      {"units/00001",
       {{"units/001", absl::CivilDay(2000, 1, 1), kReform - 1},
        {"units/01", kReform}}},
      {"units/00200",
       {{"units/002", absl::CivilDay(2000, 1, 1), kMove - 1},
        {"units/003", kMove}}},
      {"units/00500", {{"units/02"}}}};
};

Caller As(const std::string& agency, const std::string& role) {
  return Caller{agency, role, "ipv4:127.0.0.1:1", true};
}

class HierarchyAuthorizerTest : public ::testing::Test {
 protected:
  std::string Decide(const Caller& caller, const std::string& method,
                     const std::string& resource,
                     const HierarchyDay& day = std::nullopt) {
    absl::Status status = authorizer_.Authorize(caller, method, resource, day);
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

TEST_F(HierarchyAuthorizerTest, ParentsReadDescendants) {
  const std::string read = "reporting.rollups.read";
  EXPECT_EQ(Decide(As("C97", "system"), read, "units/00097"), "allow");
  EXPECT_EQ(Decide(As("P01", "system"), read, "units/00097"), "allow");
  EXPECT_EQ(Decide(As("P01", "operator"), read, "units/00001"), "allow");
  EXPECT_EQ(Decide(As("P02", "operator"), read, ""), "allow");
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

// A unit's data is its parent's to read on the days the unit lay under it:
// an abolished district keeps its communes' history but not what came after;
// a commune's new district reads it from the move on.
TEST_F(HierarchyAuthorizerTest, ParentsReadByTheHierarchyOfTheDataDay) {
  const std::string read = "ingestion.values.list";
  const absl::CivilDay june(2025, 6, 30), july(2025, 7, 31);
  EXPECT_EQ(Decide(As("D001", "system"), read, "units/00001", june), "allow");
  EXPECT_EQ(Decide(As("D001", "system"), read, "units/00001", july),
            "OUTSIDE_CALLERS_UNIT");
  EXPECT_EQ(Decide(As("D001", "system"), read, "units/00001"),
            "OUTSIDE_CALLERS_UNIT");  // as arranged today
  for (const HierarchyDay& day :
       {HierarchyDay(june), HierarchyDay(july), HierarchyDay(std::nullopt)}) {
    EXPECT_EQ(Decide(As("P01", "system"), read, "units/00001", day), "allow");
    EXPECT_EQ(Decide(As("C01", "system"), read, "units/00001", day), "allow");
  }

  const absl::CivilDay february(2025, 2, 28), march(2025, 3, 31);
  EXPECT_EQ(Decide(As("D002", "system"), read, "units/00200", february),
            "allow");
  EXPECT_EQ(Decide(As("D002", "system"), read, "units/00200", march),
            "OUTSIDE_CALLERS_UNIT");
  EXPECT_EQ(Decide(As("D003", "system"), read, "units/00200", february),
            "OUTSIDE_CALLERS_UNIT");
  EXPECT_EQ(Decide(As("D003", "system"), read, "units/00200", march), "allow");
  EXPECT_EQ(Decide(As("D003", "system"), read, "units/00200"), "allow");

  // Regrouping units as on another day is for the province.
  const std::string regroup = "reporting.rollups.regroup";
  EXPECT_EQ(Decide(As("P01", "system"), regroup, ""), "allow");
  EXPECT_EQ(Decide(As("P01", "operator"), regroup, ""), "allow");
  EXPECT_EQ(Decide(As("D003", "system"), regroup, ""),
            "HIERARCHY_DATE_NOT_ALLOWED");
  EXPECT_EQ(Decide(As("P01", "auditor"), regroup, ""), "ROLE_NOT_ALLOWED");

  // The denial says which day decided.
  absl::Status denied =
      authorizer_.Authorize(As("D002", "system"), read, "units/00200", march);
  EXPECT_TRUE(absl::StrContains(denied.message(), "on 2025-03-31")) << denied;
  EXPECT_EQ(ErrorMetadata(denied)["hierarchy_day"], "2025-03-31");
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
