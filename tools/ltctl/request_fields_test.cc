#include "tools/ltctl/request_fields.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "lienthong/documents/v1/document_service.pb.h"
#include "lienthong/reporting/v1/reporting_service.pb.h"

namespace lienthong::ltctl {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(SetFieldTest, SetsNestedStringsNumbersAndBooleans) {
  reporting::v1::ListTargetAchievementsRequest request;
  EXPECT_THAT(SetField(request, "plan", {"plans/p"}), IsOk());
  EXPECT_THAT(SetField(request, "year", {"2025"}), IsOk());
  EXPECT_THAT(SetField(request, "include_cascade", {"true"}), IsOk());
  EXPECT_EQ(request.plan(), "plans/p");
  EXPECT_EQ(request.year(), 2025);
  EXPECT_TRUE(request.include_cascade());

  documents::v1::SendDocumentRequest send;
  EXPECT_THAT(SetField(send, "document.header.subject", {"Báo cáo"}), IsOk());
  EXPECT_EQ(send.document().header().subject(), "Báo cáo");
}

TEST(SetFieldTest, TakesDatesAsDaysAndOtherMessagesAsJson) {
  reporting::v1::ListTargetAchievementsRequest request;
  EXPECT_THAT(SetField(request, "as_of", {"2025-06-30"}), IsOk());
  EXPECT_EQ(request.as_of().year(), 2025);
  EXPECT_EQ(request.as_of().month(), 6);
  EXPECT_EQ(request.as_of().day(), 30);
  EXPECT_THAT(SetField(request, "as_of", {R"({"year": 2024, "month": 1})"}),
              IsOk());
  EXPECT_EQ(request.as_of().year(), 2024);
  EXPECT_EQ(request.as_of().day(), 0);
  EXPECT_THAT(SetField(request, "as_of", {"30/06/2025"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("a date, YYYY-MM-DD")));
}

TEST(SetFieldTest, NamesEnumValuesByTheirLastWords) {
  documents::v1::UpdateDeliveryStatusRequest request;
  EXPECT_THAT(SetField(request, "state", {"accepted"}), IsOk());
  EXPECT_EQ(request.state(), documents::v1::DELIVERY_STATE_ACCEPTED);
  // REFUSED is the enum's own, not TAKE_BACK_REFUSED.
  EXPECT_THAT(SetField(request, "state", {"REFUSED"}), IsOk());
  EXPECT_EQ(request.state(), documents::v1::DELIVERY_STATE_REFUSED);
  EXPECT_THAT(SetField(request, "state", {"TAKE_BACK_REFUSED"}), IsOk());
  EXPECT_EQ(request.state(), documents::v1::DELIVERY_STATE_TAKE_BACK_REFUSED);
  EXPECT_THAT(SetField(request, "state", {"DELIVERY_STATE_DONE"}), IsOk());
  EXPECT_EQ(request.state(), documents::v1::DELIVERY_STATE_DONE);
  EXPECT_THAT(SetField(request, "state", {"SIGNED"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("one of ARRIVED, REFUSED, ACCEPTED")));
}

TEST(SetFieldTest, ReplacesRepeatedFieldsAndChecksSingularOnes) {
  reporting::v1::QueryRollupsRequest request;
  request.add_units("units/1");
  EXPECT_THAT(SetField(request, "units", {"units/30", "units/298"}), IsOk());
  EXPECT_THAT(request.units(), ElementsAre("units/30", "units/298"));
  EXPECT_THAT(SetField(request, "min_sequence", {"1", "2"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("takes one value")));
  EXPECT_THAT(SetField(request, "min_sequence", {"soon"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("\"soon\" is not a whole number")));
  EXPECT_THAT(SetField(request, "unit", {"units/30"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("has no field unit")));
}

TEST(ParseRequestTest, ReadsJsonInlineAndRefusesWhatDoesNotFit) {
  reporting::v1::GetRollupRequest request;
  EXPECT_THAT(
      ParseRequest(R"({"unit": "units/30", "period": "2025-Q2"})", request),
      IsOk());
  EXPECT_EQ(request.unit(), "units/30");
  EXPECT_THAT(ParseRequest("", request), IsOk());
  EXPECT_EQ(request.period(), "2025-Q2");
  EXPECT_THAT(ParseRequest(R"({"units": []})", request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("lienthong.reporting.v1.GetRollupRequest")));
  EXPECT_THAT(ParseRequest("@/nonexistent/request.json", request),
              StatusIs(absl::StatusCode::kNotFound, ::testing::_));
}

TEST(IsFieldSetTest, FollowsPaths) {
  documents::v1::SendDocumentRequest request;
  EXPECT_FALSE(IsFieldSet(request, "document.header.subject"));
  request.mutable_document()->mutable_header()->set_subject("x");
  EXPECT_TRUE(IsFieldSet(request, "document.header.subject"));
  EXPECT_FALSE(IsFieldSet(request, "document.attachments"));
}

}  // namespace
}  // namespace lienthong::ltctl
