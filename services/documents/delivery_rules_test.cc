#include "services/documents/delivery_rules.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::documents {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::IsOkAndHolds;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;
using v1::DeliveryState;

const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

// Matches a Status or StatusOr failing with `code` and ErrorInfo `reason`.
MATCHER_P2(FailsWith, code, reason,
           absl::StrCat("fails with ", absl::StatusCodeToString(code), " ",
                        reason)) {
  const absl::Status& status = StatusOf(arg);
  *result_listener << "status is " << status << ", reason \""
                   << ErrorReason(status) << "\"";
  return status.code() == code && ErrorReason(status) == reason;
}

const std::vector<DeliveryState> kAllStates = {
    v1::DELIVERY_STATE_UNSPECIFIED,
    v1::DELIVERY_STATE_ARRIVED,
    v1::DELIVERY_STATE_REFUSED,
    v1::DELIVERY_STATE_ACCEPTED,
    v1::DELIVERY_STATE_ASSIGNED,
    v1::DELIVERY_STATE_HANDLING,
    v1::DELIVERY_STATE_DONE,
    v1::DELIVERY_STATE_TAKE_BACK_REQUESTED,
    v1::DELIVERY_STATE_TAKE_BACK_AGREED,
    v1::DELIVERY_STATE_TAKE_BACK_REFUSED,
};

// The whole machine, written out independently of the implementation.
const std::set<std::pair<DeliveryState, DeliveryState>> kAllowed = {
    {v1::DELIVERY_STATE_UNSPECIFIED, v1::DELIVERY_STATE_ARRIVED},
    {v1::DELIVERY_STATE_ARRIVED, v1::DELIVERY_STATE_REFUSED},
    {v1::DELIVERY_STATE_ARRIVED, v1::DELIVERY_STATE_ACCEPTED},
    {v1::DELIVERY_STATE_ARRIVED, v1::DELIVERY_STATE_TAKE_BACK_REQUESTED},
    {v1::DELIVERY_STATE_ACCEPTED, v1::DELIVERY_STATE_ASSIGNED},
    {v1::DELIVERY_STATE_ACCEPTED, v1::DELIVERY_STATE_HANDLING},
    {v1::DELIVERY_STATE_ACCEPTED, v1::DELIVERY_STATE_DONE},
    {v1::DELIVERY_STATE_ACCEPTED, v1::DELIVERY_STATE_TAKE_BACK_REQUESTED},
    {v1::DELIVERY_STATE_ASSIGNED, v1::DELIVERY_STATE_HANDLING},
    {v1::DELIVERY_STATE_ASSIGNED, v1::DELIVERY_STATE_DONE},
    {v1::DELIVERY_STATE_ASSIGNED, v1::DELIVERY_STATE_TAKE_BACK_REQUESTED},
    {v1::DELIVERY_STATE_HANDLING, v1::DELIVERY_STATE_DONE},
    {v1::DELIVERY_STATE_HANDLING, v1::DELIVERY_STATE_TAKE_BACK_REQUESTED},
    {v1::DELIVERY_STATE_TAKE_BACK_REQUESTED,
     v1::DELIVERY_STATE_TAKE_BACK_AGREED},
    {v1::DELIVERY_STATE_TAKE_BACK_REQUESTED,
     v1::DELIVERY_STATE_TAKE_BACK_REFUSED},
    {v1::DELIVERY_STATE_TAKE_BACK_REFUSED, v1::DELIVERY_STATE_ASSIGNED},
    {v1::DELIVERY_STATE_TAKE_BACK_REFUSED, v1::DELIVERY_STATE_HANDLING},
    {v1::DELIVERY_STATE_TAKE_BACK_REFUSED, v1::DELIVERY_STATE_DONE},
};

// How error metadata names a state: its edXML code, or the enum name for the
// code-less UNSPECIFIED.
std::string Named(DeliveryState state) {
  return state == v1::DELIVERY_STATE_UNSPECIFIED ? "DELIVERY_STATE_UNSPECIFIED"
                                                 : EdxmlStatusCode(state);
}

TEST(CheckTransitionTest, AllowsExactlyTheListedPairs) {
  int allowed = 0;
  for (DeliveryState from : kAllStates) {
    for (DeliveryState to : kAllStates) {
      SCOPED_TRACE(absl::StrCat(v1::DeliveryState_Name(from), " -> ",
                                v1::DeliveryState_Name(to)));
      absl::Status status = CheckTransition(from, to);
      if (from == to) {
        EXPECT_THAT(status, FailsWith(absl::StatusCode::kFailedPrecondition,
                                      "DELIVERY_STATE_UNCHANGED"));
      } else if (kAllowed.count({from, to}) > 0) {
        EXPECT_THAT(status, IsOk());
        ++allowed;
        continue;
      } else {
        EXPECT_THAT(status, FailsWith(absl::StatusCode::kFailedPrecondition,
                                      "ILLEGAL_STATUS_TRANSITION"));
      }
      EXPECT_THAT(ErrorMetadata(status),
                  UnorderedElementsAre(Pair("from", Named(from)),
                                       Pair("to", Named(to))));
    }
  }
  EXPECT_EQ(allowed, kAllowed.size());
}

TEST(CheckTransitionTest, NamesStatesByEdxmlCode) {
  absl::Status skipped =
      CheckTransition(v1::DELIVERY_STATE_ARRIVED, v1::DELIVERY_STATE_DONE);
  EXPECT_THAT(ErrorMetadata(skipped),
              UnorderedElementsAre(Pair("from", "01"), Pair("to", "06")));
  absl::Status reopened = CheckTransition(
      v1::DELIVERY_STATE_DONE, v1::DELIVERY_STATE_TAKE_BACK_REQUESTED);
  EXPECT_THAT(ErrorMetadata(reopened),
              UnorderedElementsAre(Pair("from", "06"), Pair("to", "13")));
}

TEST(CheckTransitionTest, RefusesValuesOutsideTheEnum) {
  const auto seven = static_cast<DeliveryState>(7);
  EXPECT_THAT(
      CheckTransition(v1::DELIVERY_STATE_ACCEPTED, seven),
      FailsWith(absl::StatusCode::kInvalidArgument, "UNKNOWN_DELIVERY_STATE"));
  EXPECT_THAT(
      CheckTransition(seven, v1::DELIVERY_STATE_DONE),
      FailsWith(absl::StatusCode::kInvalidArgument, "UNKNOWN_DELIVERY_STATE"));
}

TEST(IsFinalTest, FinalStatesAreThoseWithNoWayOut) {
  for (DeliveryState state : kAllStates) {
    bool has_way_out = false;
    for (const auto& [from, to] : kAllowed) has_way_out |= from == state;
    EXPECT_EQ(IsFinal(state), !has_way_out) << v1::DeliveryState_Name(state);
  }
  EXPECT_TRUE(IsFinal(v1::DELIVERY_STATE_REFUSED));
  EXPECT_TRUE(IsFinal(v1::DELIVERY_STATE_DONE));
  EXPECT_TRUE(IsFinal(v1::DELIVERY_STATE_TAKE_BACK_AGREED));
  EXPECT_FALSE(IsFinal(v1::DELIVERY_STATE_TAKE_BACK_REFUSED));
  EXPECT_FALSE(IsFinal(static_cast<DeliveryState>(7)));
}

TEST(EdxmlStatusCodeTest, MapsEveryStateBothWays) {
  const std::vector<std::pair<DeliveryState, std::string>> codes = {
      {v1::DELIVERY_STATE_ARRIVED, "01"},
      {v1::DELIVERY_STATE_REFUSED, "02"},
      {v1::DELIVERY_STATE_ACCEPTED, "03"},
      {v1::DELIVERY_STATE_ASSIGNED, "04"},
      {v1::DELIVERY_STATE_HANDLING, "05"},
      {v1::DELIVERY_STATE_DONE, "06"},
      {v1::DELIVERY_STATE_TAKE_BACK_REQUESTED, "13"},
      {v1::DELIVERY_STATE_TAKE_BACK_AGREED, "15"},
      {v1::DELIVERY_STATE_TAKE_BACK_REFUSED, "16"},
  };
  for (const auto& [state, code] : codes) {
    EXPECT_EQ(EdxmlStatusCode(state), code);
    EXPECT_THAT(StateFromEdxmlCode(code), IsOkAndHolds(state)) << code;
  }
  for (DeliveryState state : kAllStates) {
    if (state == v1::DELIVERY_STATE_UNSPECIFIED) continue;
    EXPECT_THAT(StateFromEdxmlCode(EdxmlStatusCode(state)),
                IsOkAndHolds(state));
  }
  EXPECT_EQ(EdxmlStatusCode(v1::DELIVERY_STATE_UNSPECIFIED), "");
  EXPECT_EQ(EdxmlStatusCode(static_cast<DeliveryState>(7)), "");
}

TEST(EdxmlStatusCodeTest, RefusesWhatIsNotACode) {
  for (const char* code : {"", "00", "07", "14", "17", "99", "1", "3", "003",
                           "+3", "1a", " 3", "0x"}) {
    absl::StatusOr<DeliveryState> state = StateFromEdxmlCode(code);
    EXPECT_THAT(state, FailsWith(absl::StatusCode::kInvalidArgument,
                                 "UNKNOWN_STATUS_CODE"))
        << code;
    EXPECT_EQ(ErrorMetadata(state.status())["code"], code);
  }
}

TEST(CheckTargetAllowsTest, RevokeUpdateReplaceNeedAHeldUnfinishedDocument) {
  for (v1::BusinessType type :
       {v1::BUSINESS_TYPE_REVOKE, v1::BUSINESS_TYPE_UPDATE,
        v1::BUSINESS_TYPE_REPLACE}) {
    for (DeliveryState state : kAllStates) {
      SCOPED_TRACE(absl::StrCat(v1::BusinessType_Name(type), " of ",
                                v1::DeliveryState_Name(state)));
      absl::Status status = CheckTargetAllows(type, state);
      switch (state) {
        case v1::DELIVERY_STATE_DONE:
          EXPECT_THAT(status, FailsWith(absl::StatusCode::kFailedPrecondition,
                                        "DOCUMENT_ALREADY_DONE"));
          break;
        case v1::DELIVERY_STATE_REFUSED:
        case v1::DELIVERY_STATE_TAKE_BACK_AGREED:
          EXPECT_THAT(status, FailsWith(absl::StatusCode::kFailedPrecondition,
                                        "DOCUMENT_NOT_DELIVERED"));
          break;
        default:
          EXPECT_THAT(status, IsOk());
      }
    }
  }
}

TEST(CheckTargetAllowsTest, RevokeAfterDoneIsRefused) {
  absl::Status status =
      CheckTargetAllows(v1::BUSINESS_TYPE_REVOKE, v1::DELIVERY_STATE_DONE);
  EXPECT_THAT(status, FailsWith(absl::StatusCode::kFailedPrecondition,
                                "DOCUMENT_ALREADY_DONE"));
  EXPECT_THAT(
      ErrorMetadata(status),
      UnorderedElementsAre(Pair("business_type", "BUSINESS_TYPE_REVOKE"),
                           Pair("state", "06")));
  EXPECT_THAT(
      CheckTargetAllows(v1::BUSINESS_TYPE_REVOKE, v1::DELIVERY_STATE_HANDLING),
      IsOk());
}

TEST(CheckTargetAllowsTest, NewSendingsAreNotLimited) {
  for (v1::BusinessType type :
       {v1::BUSINESS_TYPE_UNSPECIFIED, v1::BUSINESS_TYPE_NEW}) {
    for (DeliveryState state : kAllStates) {
      EXPECT_THAT(CheckTargetAllows(type, state), IsOk())
          << v1::BusinessType_Name(type) << " "
          << v1::DeliveryState_Name(state);
    }
  }
}

TEST(CheckTargetAllowsTest, RefusesValuesOutsideTheEnums) {
  EXPECT_THAT(
      CheckTargetAllows(static_cast<v1::BusinessType>(9),
                        v1::DELIVERY_STATE_ARRIVED),
      FailsWith(absl::StatusCode::kInvalidArgument, "UNKNOWN_BUSINESS_TYPE"));
  EXPECT_THAT(
      CheckTargetAllows(v1::BUSINESS_TYPE_REVOKE,
                        static_cast<DeliveryState>(7)),
      FailsWith(absl::StatusCode::kInvalidArgument, "UNKNOWN_DELIVERY_STATE"));
}

}  // namespace
}  // namespace lienthong::documents
