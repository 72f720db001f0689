#include "services/reporting/carried_history.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lienthong::reporting {
namespace {

using registry::v1::GetUnitLineageResponse;
using registry::v1::SuccessionEvent;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

SuccessionEvent Event(registry::v1::SuccessionType type, int year, int month,
                      std::vector<std::string> predecessors,
                      std::vector<std::pair<std::string, double>> successors,
                      registry::v1::HistoryRule rule =
                          registry::v1::HISTORY_RULE_PRIMARY_SUCCESSOR) {
  SuccessionEvent event;
  event.set_type(type);
  event.mutable_effective_date()->set_year(year);
  event.mutable_effective_date()->set_month(month);
  event.mutable_effective_date()->set_day(1);
  for (const std::string& unit : predecessors) event.add_predecessors(unit);
  bool first = true;
  for (const auto& [unit, share] : successors) {
    registry::v1::Successor* successor = event.add_successors();
    successor->set_unit(unit);
    successor->set_share(share);
    successor->set_primary(first);  // the first listed is primary
    first = false;
  }
  event.set_history_rule(rule);
  return event;
}

// X split in 2020 into A (primary) and B; in July 2025 A, C and D merged
// into the new commune U.
GetUnitLineageResponse LineageOfU() {
  GetUnitLineageResponse lineage;
  *lineage.add_ancestry() =
      Event(registry::v1::SUCCESSION_TYPE_SPLIT, 2020, 1, {"units/X"},
            {{"units/A", 0.4}, {"units/B", 0.6}});
  *lineage.add_ancestry() =
      Event(registry::v1::SUCCESSION_TYPE_MERGE, 2025, 7,
            {"units/A", "units/C", "units/D"}, {{"units/U", 1}});
  return lineage;
}

TEST(CarriedHistoryTest, AMergedCommuneCarriesItsPredecessorsTransitively) {
  EXPECT_THAT(
      CarriedHistory(LineageOfU(), "units/U", absl::CivilDay(2025, 7, 1)),
      ElementsAre("units/A", "units/C", "units/D", "units/X"));
}

TEST(CarriedHistoryTest, EventsNotYetInForceCarryNothing) {
  EXPECT_THAT(
      CarriedHistory(LineageOfU(), "units/U", absl::CivilDay(2025, 6, 30)),
      IsEmpty());
  EXPECT_THAT(
      CarriedHistory(LineageOfU(), "units/A", absl::CivilDay(2024, 12, 31)),
      ElementsAre("units/X"));
}

TEST(CarriedHistoryTest, ASplitHandsHistoryToOneSuccessorOnly) {
  GetUnitLineageResponse lineage;
  *lineage.add_ancestry() = LineageOfU().ancestry(0);
  // Under the primary rule A carries X; B does not.
  EXPECT_THAT(CarriedHistory(lineage, "units/B", absl::CivilDay(2021, 1, 1)),
              IsEmpty());
  // Under shares, the largest share (B, 0.6) carries it.
  lineage.mutable_ancestry(0)->set_history_rule(
      registry::v1::HISTORY_RULE_SHARES);
  EXPECT_THAT(CarriedHistory(lineage, "units/B", absl::CivilDay(2021, 1, 1)),
              ElementsAre("units/X"));
  EXPECT_THAT(CarriedHistory(lineage, "units/A", absl::CivilDay(2021, 1, 1)),
              IsEmpty());
}

TEST(CarriedHistoryTest, ASuccessorKeepingAPredecessorsCodeCarriesTheOthers) {
  GetUnitLineageResponse lineage;
  *lineage.add_ancestry() = Event(registry::v1::SUCCESSION_TYPE_MERGE, 2025, 7,
                                  {"units/A", "units/C"}, {{"units/A", 1}});
  EXPECT_THAT(CarriedHistory(lineage, "units/A", absl::CivilDay(2025, 7, 1)),
              UnorderedElementsAre("units/C"));
}

// The national list records a divided commune twice: a split (the whole
// history to the successor keeping its code) and a merge into each successor.
TEST(CarriedHistoryTest, ADividedCommuneCountsOnlyForItsPrimarySuccessor) {
  GetUnitLineageResponse lineage;
  *lineage.add_ancestry() =
      Event(registry::v1::SUCCESSION_TYPE_SPLIT, 2025, 7, {"units/00091"},
            {{"units/00091", 1}, {"units/00097", 0}, {"units/00103", 0}});
  *lineage.add_ancestry() = Event(registry::v1::SUCCESSION_TYPE_MERGE, 2025, 7,
                                  {"units/00001", "units/00037", "units/00091"},
                                  {{"units/00097", 1}});
  EXPECT_THAT(
      CarriedHistory(lineage, "units/00097", absl::CivilDay(2025, 7, 1)),
      ElementsAre("units/00001", "units/00037"));
  EXPECT_THAT(
      CarriedHistory(lineage, "units/00091", absl::CivilDay(2025, 7, 1)),
      IsEmpty());
}

TEST(CarriedHistoryTest, AnOldDivisionDoesNotBlockALaterMerge) {
  GetUnitLineageResponse lineage;
  *lineage.add_ancestry() =
      Event(registry::v1::SUCCESSION_TYPE_SPLIT, 2019, 1, {"units/X"},
            {{"units/X", 1}, {"units/Y", 0}});
  *lineage.add_ancestry() = Event(registry::v1::SUCCESSION_TYPE_MERGE, 2025, 7,
                                  {"units/X", "units/Z"}, {{"units/W", 1}});
  EXPECT_THAT(CarriedHistory(lineage, "units/W", absl::CivilDay(2025, 7, 1)),
              ElementsAre("units/X", "units/Z"));
}

}  // namespace
}  // namespace lienthong::reporting
