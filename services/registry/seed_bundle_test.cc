// Checks every seed bundle in deploy/demo/seeds: it parses strictly (no unknown
// fields), its names are well formed, and every reference resolves within the
// bundles (agencies, indicators, parent plans).

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/registry/seed_bundle.pb.h"

namespace lienthong::registry {
namespace {

std::string SeedDir() {
  return std::string(std::getenv("TEST_SRCDIR")) +
         "/lienthong/deploy/demo/seeds";
}

std::map<std::string, internal::SeedBundle> LoadBundles() {
  std::map<std::string, internal::SeedBundle> bundles;
  for (const auto& entry : std::filesystem::directory_iterator(SeedDir())) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    std::stringstream content;
    content << in.rdbuf();
    internal::SeedBundle bundle;
    auto status =
        google::protobuf::util::JsonStringToMessage(content.str(), &bundle);
    EXPECT_TRUE(status.ok()) << entry.path() << ": " << status.ToString();
    bundles[entry.path().filename().string()] = bundle;
  }
  return bundles;
}

bool IsDate(const common::v1::Date& date) {
  return date.year() >= 1990 && date.year() <= 2040 && date.month() >= 1 &&
         date.month() <= 12 && date.day() >= 1 && date.day() <= 31;
}

bool IsUnset(const common::v1::Date& date) {
  return date.year() == 0 && date.month() == 0 && date.day() == 0;
}

TEST(SeedBundleTest, EverySeedIsEncoded) {
  std::map<std::string, internal::SeedBundle> bundles = LoadBundles();
  std::set<std::string> sources;
  for (const auto& [file, bundle] : bundles) sources.insert(bundle.source());
  for (const char* seed :
       {"000_986df9b08c5c43ad.txt", "001_daa9cdb3dfa8230d.txt",
        "002_94ef183eb1e07201.txt", "003_385c390f8547d1a2.txt",
        "004_590b4710b233ab9c.txt"}) {
    EXPECT_EQ(sources.count(seed), 1u) << seed << " has no bundle";
  }
}

TEST(SeedBundleTest, ReferencesResolveAndNamesAreWellFormed) {
  std::map<std::string, internal::SeedBundle> bundles = LoadBundles();
  ASSERT_FALSE(bundles.empty());
  const std::regex agency_code("^[0-9A-Z]+(\\.[0-9A-Z]+)*$");
  const std::regex indicator_code("^[A-Z0-9._]{1,64}$");
  const std::regex plan_name("^plans/[a-z0-9-]{1,63}$");
  const std::regex unit_name("^units/([0-9]{2}|[0-9]{3}|[0-9]{5})$");
  std::set<std::string> agencies, indicators, plans;
  for (const auto& [file, bundle] : bundles) {
    for (const auto& agency : bundle.agencies()) agencies.insert(agency.name());
    for (const auto& indicator : bundle.indicators()) {
      indicators.insert(indicator.name());
    }
    for (const auto& plan : bundle.plans()) {
      EXPECT_TRUE(plans.insert(plan.plan().name()).second)
          << file << ": plan " << plan.plan().name() << " defined twice";
    }
  }
  for (const auto& [file, bundle] : bundles) {
    SCOPED_TRACE(file);
    for (const auto& unit : bundle.units()) {
      EXPECT_TRUE(std::regex_match("units/" + unit.code(), unit_name))
          << unit.code();
      EXPECT_FALSE(unit.display_name().empty()) << unit.code();
      for (const auto& link : unit.parents()) {
        EXPECT_TRUE(std::regex_match(link.parent(), unit_name)) << unit.code();
      }
    }
    for (const auto& agency : bundle.agencies()) {
      EXPECT_LE(agency.code().size(), 35u) << agency.code();
      EXPECT_TRUE(std::regex_match(agency.code(), agency_code))
          << agency.code();
      EXPECT_EQ(agency.name(), "agencies/" + agency.code());
      EXPECT_FALSE(agency.display_name().empty()) << agency.code();
      EXPECT_TRUE(std::regex_match(agency.unit(), unit_name))
          << agency.code() << " unit " << agency.unit();
    }
    for (const auto& indicator : bundle.indicators()) {
      EXPECT_TRUE(std::regex_match(indicator.code(), indicator_code))
          << indicator.code();
      EXPECT_EQ(indicator.name(), "indicators/" + indicator.code());
      EXPECT_FALSE(indicator.display_name_vi().empty()) << indicator.code();
      EXPECT_NE(indicator.value_type(), v1::VALUE_TYPE_UNSPECIFIED)
          << indicator.code();
      EXPECT_NE(indicator.aggregation(), v1::AGGREGATION_RULE_UNSPECIFIED)
          << indicator.code();
      EXPECT_NE(indicator.pillar(), common::v1::PILLAR_UNSPECIFIED)
          << indicator.code();
    }
    for (const auto& seed_plan : bundle.plans()) {
      const v1::Plan& plan = seed_plan.plan();
      SCOPED_TRACE(plan.name());
      EXPECT_TRUE(std::regex_match(plan.name(), plan_name));
      EXPECT_FALSE(plan.number().empty());
      EXPECT_FALSE(plan.title().empty());
      EXPECT_EQ(agencies.count(plan.issuing_agency()), 1u)
          << "issuing agency " << plan.issuing_agency();
      EXPECT_TRUE(std::regex_match(plan.scope_unit(), unit_name))
          << plan.scope_unit();
      EXPECT_NE(plan.status(), v1::PLAN_STATUS_UNSPECIFIED);
      if (!IsUnset(plan.issue_date())) EXPECT_TRUE(IsDate(plan.issue_date()));
      for (const std::string& parent : plan.parent_plans()) {
        EXPECT_EQ(plans.count(parent), 1u) << "parent plan " << parent;
      }
      for (const auto& target : seed_plan.targets()) {
        EXPECT_TRUE(absl::StartsWith(target.name(), plan.name() + "/targets/"))
            << target.name();
        EXPECT_EQ(indicators.count(target.indicator()), 1u)
            << target.name() << " indicator " << target.indicator();
        EXPECT_NE(target.comparator(), v1::COMPARATOR_UNSPECIFIED)
            << target.name();
        EXPECT_NE(target.value().kind_case(), common::v1::Value::KIND_NOT_SET)
            << target.name();
        EXPECT_GE(target.year(), 2020) << target.name();
        EXPECT_LE(target.year(), 2035) << target.name();
        EXPECT_FALSE(target.source_text().empty()) << target.name();
      }
      for (const auto& task : seed_plan.tasks()) {
        EXPECT_TRUE(absl::StartsWith(task.name(), plan.name() + "/tasks/"))
            << task.name();
        EXPECT_FALSE(task.title().empty()) << task.name();
        if (!task.lead_agency().empty()) {
          EXPECT_EQ(agencies.count(task.lead_agency()), 1u)
              << task.name() << " lead " << task.lead_agency();
        }
        for (const std::string& agency : task.coordinating_agencies()) {
          EXPECT_EQ(agencies.count(agency), 1u)
              << task.name() << " coordinating " << agency;
        }
        if (!IsUnset(task.start_date()) && !IsUnset(task.due_date())) {
          auto key = [](const common::v1::Date& d) {
            return d.year() * 10000 + d.month() * 100 + d.day();
          };
          EXPECT_LE(key(task.start_date()), key(task.due_date()))
              << task.name();
        }
      }
    }
  }
}

}  // namespace
}  // namespace lienthong::registry
