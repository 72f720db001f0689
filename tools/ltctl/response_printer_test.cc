#include "tools/ltctl/response_printer.h"

#include <sstream>

#include "gtest/gtest.h"
#include "lienthong/documents/v1/document_service.pb.h"
#include "lienthong/reporting/v1/reporting_service.pb.h"

namespace lienthong::ltctl {
namespace {

TEST(FieldTextTest, ShortensWhatPeopleReadOften) {
  reporting::v1::TargetAchievement achievement;
  achievement.set_status(reporting::v1::ACHIEVEMENT_STATUS_ON_TRACK);
  achievement.mutable_actual_value()->mutable_ratio()->set_numerator(45);
  achievement.mutable_actual_value()->mutable_ratio()->set_denominator(60);
  achievement.mutable_target_value()->set_percent(80);
  achievement.set_percent_achieved(93.75);
  EXPECT_EQ(FieldText(achievement, "status"), "ON_TRACK");
  EXPECT_EQ(FieldText(achievement, "actual_value"), "45/60");
  EXPECT_EQ(FieldText(achievement, "target_value"), "80%");
  EXPECT_EQ(FieldText(achievement, "percent_achieved"), "93.75");

  reporting::v1::Completeness completeness;
  completeness.mutable_submit_deadline()->set_year(2025);
  completeness.mutable_submit_deadline()->set_month(6);
  completeness.mutable_submit_deadline()->set_day(5);
  completeness.mutable_period()->set_id("2025-M05");
  completeness.add_missing_units("units/11095");
  completeness.add_missing_units("units/11101");
  EXPECT_EQ(FieldText(completeness, "submit_deadline"), "2025-06-05");
  EXPECT_EQ(FieldText(completeness, "period"), "2025-M05");
  EXPECT_EQ(FieldText(completeness, "missing_units"),
            "units/11095,units/11101");
  EXPECT_EQ(FieldText(completeness, "no_such_field"), "");
}

TEST(FieldTextTest, FollowsPathsThroughRepeatedMessages) {
  documents::v1::Document document;
  document.mutable_header()->add_to()->set_organ_id("A.1");
  document.mutable_header()->add_to()->set_organ_id("B.2");
  document.mutable_create_time()->set_seconds(0);
  EXPECT_EQ(FieldText(document, "header.to.organ_id"), "A.1,B.2");
  EXPECT_EQ(FieldText(document, "create_time"), "1970-01-01T00:00:00Z");
}

TEST(PrintResponseTest, ListsOneLinePerItemAsTextAndJsonOtherwise) {
  documents::v1::ListInboxResponse inbox;
  documents::v1::InboxEntry* entry = inbox.add_entries();
  entry->set_entry_id("7");
  entry->mutable_document()->set_name("documents/d");
  inbox.set_next_page_token("next");
  TextLayout layout{"entries", {"entry_id", "document.name", "redeliveries"}};

  std::ostringstream out, err;
  PrintResponse(inbox, /*json=*/false, layout, out, err);
  EXPECT_EQ(out.str(), "7\tdocuments/d\t0\n");
  EXPECT_EQ(err.str(), "more: --page_token=next\n");

  std::ostringstream json_out, json_err;
  PrintResponse(inbox, /*json=*/true, layout, json_out, json_err);
  EXPECT_NE(json_out.str().find("\"entryId\": \"7\""), std::string::npos)
      << json_out.str();
  EXPECT_NE(json_out.str().find("\"nextPageToken\": \"next\""),
            std::string::npos);
  EXPECT_EQ(json_err.str(), "");
  EXPECT_EQ(json_out.str().back(), '\n');
}

}  // namespace
}  // namespace lienthong::ltctl
