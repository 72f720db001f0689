#include "tools/ltctl/value_file.h"

#include <cstdlib>
#include <fstream>
#include <map>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::ltctl {
namespace {

using ::lienthong::testing::IsOkAndHolds;
using ::lienthong::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

// The text form of a row of unit 00097, period 2025-M06.
std::string Row(const std::string& indicator, const std::string& value,
                const std::string& rest = "") {
  return absl::StrCat("unit: \"units/00097\" indicator: \"indicators/",
                      indicator, "\" period: \"2025-M06\"",
                      value.empty() ? "" : " value { ", value,
                      value.empty() ? "" : " }", rest.empty() ? "" : " ", rest);
}

class ValueFileTest : public ::testing::Test {
 protected:
  // Writes `contents` to `name` under TEST_TMPDIR; its path.
  static std::string Write(const std::string& name,
                           const std::string& contents) {
    const std::string path =
        absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
    std::ofstream(path, std::ios::binary) << contents;
    return path;
  }

  absl::StatusOr<std::unique_ptr<ValueFileReader>> Open(
      const std::string& path) {
    absl::StatusOr<ValueFileFormat> format = FormatOf(path);
    if (!format.ok()) return format.status();
    return ValueFileReader::Open(
        path, *format,
        [this](const std::string& indicator)
            -> absl::StatusOr<registry::v1::ValueType> {
          ++lookups_[indicator];
          if (indicator == "indicators/DOWN") {
            return absl::UnavailableError("registry down");
          }
          auto it = types_.find(indicator);
          if (it == types_.end()) return absl::NotFoundError(indicator);
          return it->second;
        });
  }

  // Every row of `contents` written to `name`, as text; the lines too.
  absl::StatusOr<std::vector<std::string>> ReadAll(
      const std::string& name, const std::string& contents,
      std::vector<int>* lines = nullptr) {
    absl::StatusOr<std::unique_ptr<ValueFileReader>> reader =
        Open(Write(name, contents));
    if (!reader.ok()) return reader.status();
    std::vector<std::string> rows;
    for (;;) {
      absl::StatusOr<std::vector<ingestion::v1::ValueRow>> batch =
          (*reader)->Next(3);
      if (!batch.ok()) return batch.status();
      if (batch->empty()) return rows;
      for (const auto& row : *batch) rows.push_back(row.ShortDebugString());
      if (lines != nullptr) {
        lines->insert(lines->end(), (*reader)->lines().begin(),
                      (*reader)->lines().end());
      }
    }
  }

  std::map<std::string, registry::v1::ValueType> types_ = {
      {"indicators/C", registry::v1::VALUE_TYPE_COUNT},
      {"indicators/A", registry::v1::VALUE_TYPE_AMOUNT},
      {"indicators/P", registry::v1::VALUE_TYPE_PERCENT},
      {"indicators/R", registry::v1::VALUE_TYPE_RATIO},
      {"indicators/B", registry::v1::VALUE_TYPE_BOOLEAN},
  };
  std::map<std::string, int> lookups_;
};

TEST_F(ValueFileTest, FormatOfChoosesByExtension) {
  EXPECT_EQ(*FormatOf("a/b.csv"), ValueFileFormat::kCsv);
  EXPECT_EQ(*FormatOf("B.CSV"), ValueFileFormat::kCsv);
  EXPECT_EQ(*FormatOf("b.json"), ValueFileFormat::kJson);
  EXPECT_EQ(*FormatOf("b.jsonl"), ValueFileFormat::kJson);
  EXPECT_EQ(*FormatOf("b.ndjson"), ValueFileFormat::kJson);
  EXPECT_THAT(FormatOf("b.xlsx"), StatusIs(kInvalid, HasSubstr("b.xlsx")));
}

TEST_F(ValueFileTest, CsvReadsEveryValueType) {
  std::vector<int> lines;
  EXPECT_THAT(ReadAll("types.csv",
                      "unit,indicator,period,value,numerator,denominator\n"
                      "00097,C,2025-M06,12,,\n"
                      "00097,A,2025-M06,-1234.5,,\n"
                      "00097,A,2025-M06,+1e3,,\n"
                      "00097,P,2025-M06,80.5,,\n"
                      "00097,B,2025-M06,CÓ,,\n"
                      "00097,B,2025-M06,Không,,\n"
                      "00097,B,2025-M06,yes,,\n"
                      "00097,B,2025-M06,0,,\n"
                      "00097,R,2025-M06,,1840,2300\n"
                      "00097,R,2025-M06, 3 / 4 ,,\n",
                      &lines),
              IsOkAndHolds(ElementsAre(
                  Row("C", "count: 12"), Row("A", "amount: -1234.5"),
                  Row("A", "amount: 1000"), Row("P", "percent: 80.5"),
                  Row("B", "flag: true"), Row("B", "flag: false"),
                  Row("B", "flag: true"), Row("B", "flag: false"),
                  Row("R", "ratio { numerator: 1840 denominator: 2300 }"),
                  Row("R", "ratio { numerator: 3 denominator: 4 }"))));
  EXPECT_THAT(lines, ElementsAre(2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
  // Each indicator is looked up once.
  EXPECT_EQ(lookups_["indicators/B"], 1);
}

TEST_F(ValueFileTest, CsvLeavesValueUnsetWhenEmptyOrIndicatorUnknown) {
  EXPECT_THAT(ReadAll("unset.csv",
                      "unit,indicator,period,value\n"
                      "00097,C,2025-M06,\n"
                      "00097,NEW,2025-M06,anything\n"),
              IsOkAndHolds(ElementsAre(Row("C", ""), Row("NEW", ""))));
  // An empty value needs no lookup.
  EXPECT_EQ(lookups_.count("indicators/C"), 0);
}

TEST_F(ValueFileTest, CsvTakesPrefixedNamesCommentAndSourceSystem) {
  LT_ASSERT_OK_AND_ASSIGN(
      auto reader,
      Open(Write("names.csv",
                 "unit,indicator,period,value,comment,source_system\n"
                 "units/00097,indicators/C,2025-M06,1,Ước tính,motcua.xa\n")));
  LT_ASSERT_OK_AND_ASSIGN(auto rows, reader->Next(5));
  ASSERT_THAT(rows, SizeIs(1));
  EXPECT_EQ(rows[0].unit(), "units/00097");
  EXPECT_EQ(rows[0].indicator(), "indicators/C");
  EXPECT_EQ(rows[0].comment(), "Ước tính");
  EXPECT_EQ(rows[0].source_system(), "motcua.xa");
}

TEST_F(ValueFileTest, CsvQuotedCellsBomCrLfAndColumnsInAnyOrder) {
  std::vector<int> lines;
  EXPECT_THAT(ReadAll("quoted.csv",
                      "\xEF\xBB\xBF"
                      "Comment,VALUE,Period,Unit,Indicator\r\n"
                      "\"a, \"\"b\"\"\r\nc\",7,2025-M06,00097,C\r\n"
                      "\r\n"
                      "plain,8,2025-M06,00097,C\r\n",
                      &lines),
              IsOkAndHolds(ElementsAre(
                  Row("C", "count: 7", "comment: \"a, \\\"b\\\"\\r\\nc\""),
                  Row("C", "count: 8", "comment: \"plain\""))));
  EXPECT_THAT(lines, ElementsAre(2, 5));
}

TEST_F(ValueFileTest, CsvCountsLoneCrAsALineBreak) {
  std::vector<int> lines;
  EXPECT_THAT(ReadAll("cr.csv",
                      "unit,indicator,period,value\r"
                      "00097,C,2025-M06,1\r\r"
                      "00097,C,2025-M06,2",
                      &lines),
              IsOkAndHolds(SizeIs(2)));
  EXPECT_THAT(lines, ElementsAre(2, 4));
}

TEST_F(ValueFileTest, NextReturnsChunksWithTheirLines) {
  LT_ASSERT_OK_AND_ASSIGN(auto reader,
                          Open(Write("chunks.csv",
                                     "unit,indicator,period,value,comment\n"
                                     "00097,C,2025-M06,1,\n"
                                     "00097,C,2025-M06,2,\"two\nlines\"\n"
                                     "00097,C,2025-M06,3,\n"
                                     "\n"
                                     "00097,C,2025-M06,4,\n"
                                     "00097,C,2025-M06,5,")));
  EXPECT_THAT(reader->Next(2), IsOkAndHolds(SizeIs(2)));
  EXPECT_THAT(reader->lines(), ElementsAre(2, 3));
  EXPECT_THAT(reader->Next(2), IsOkAndHolds(SizeIs(2)));
  EXPECT_THAT(reader->lines(), ElementsAre(5, 7));
  EXPECT_THAT(reader->Next(2), IsOkAndHolds(SizeIs(1)));
  EXPECT_THAT(reader->lines(), ElementsAre(8));
  EXPECT_THAT(reader->Next(2), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(reader->lines(), IsEmpty());
  EXPECT_THAT(reader->Next(0), StatusIs(kInvalid, HasSubstr("max_rows")));
}

TEST_F(ValueFileTest, CsvLinesStayRightAcrossBlocks) {
  // Far more than one 64 KiB block, with multi-line cells here and there.
  std::string csv = "unit,indicator,period,value,comment\n";
  std::vector<int> expected;
  int line = 2;
  for (int i = 0; i < 5000; ++i) {
    expected.push_back(line);
    const bool split = i % 7 == 0;
    absl::StrAppend(&csv, "00097,C,2025-M06,", i, ",",
                    split ? "\"x\ny\"" : "some comment text", "\n");
    line += split ? 2 : 1;
  }
  std::vector<int> lines;
  EXPECT_THAT(ReadAll("big.csv", csv, &lines), IsOkAndHolds(SizeIs(5000)));
  EXPECT_EQ(lines, expected);
}

TEST_F(ValueFileTest, CsvHeaderErrors) {
  EXPECT_THAT(Open(Write("e.csv", "")),
              StatusIs(kInvalid, HasSubstr("e.csv: no header row")));
  EXPECT_THAT(Open(Write("e.csv", "unit,indicator,value\n")),
              StatusIs(kInvalid, HasSubstr("e.csv:1: no column period")));
  EXPECT_THAT(
      Open(Write("e.csv", "\nunit,indicator,period,value,note\n")),
      StatusIs(kInvalid, HasSubstr("e.csv:2: unknown column \"note\"")));
  EXPECT_THAT(Open(Write("e.csv", "unit;indicator;period;value\n")),
              StatusIs(kInvalid, HasSubstr("not semicolons")));
  EXPECT_THAT(Open(Write("e.csv", "unit,indicator,period,value,Unit\n")),
              StatusIs(kInvalid, HasSubstr("column unit appears twice")));
  EXPECT_THAT(Open(Write("e.csv", "unit,indicator,period,comment\n")),
              StatusIs(kInvalid, HasSubstr("no column value")));
  EXPECT_THAT(Open(Write("e.csv", "unit,indicator,period,numerator\n")),
              StatusIs(kInvalid, HasSubstr("go together")));
  EXPECT_THAT(Open(absl::StrCat(std::getenv("TEST_TMPDIR"), "/absent.csv")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("absent.csv")));
}

TEST_F(ValueFileTest, CsvRowErrorsNameFileLineAndColumn) {
  const std::string header =
      "unit,indicator,period,value,numerator,denominator\n";
  const std::string ok = "00097,C,2025-M06,1,,\n";
  struct Case {
    std::string row;
    std::string error;
  };
  for (const Case& c : std::vector<Case>{
           {"00097,A,2025-M06,\"12,5\",,",
            "e.csv:3: column value: \"12,5\" is not a number (the decimal "
            "point is \".\")"},
           {"00097,A,2025-M06,nan,,", "e.csv:3: column value: \"nan\" is not"},
           {"00097,C,2025-M06,12.0,,",
            "e.csv:3: column value: \"12.0\" is not a whole number"},
           {"00097,B,2025-M06,maybe,,",
            "e.csv:3: column value: \"maybe\" is not true/false"},
           {"00097,R,2025-M06,3,,",
            "e.csv:3: column value: \"3\" is not a "
            "ratio"},
           {"00097,R,2025-M06,,3,", "e.csv:3: column denominator: "},
           {"00097,R,2025-M06,3/x,,", "e.csv:3: column value: \"x\" is not"},
           {"00097,R,2025-M06,1,2,3", "e.csv:3: give value or numerator"},
           {"00097,C,2025-M06,,2,3",
            "e.csv:3: column numerator: indicators/C is not a ratio"},
           {"00097,C,,1,,", "e.csv:3: column period: empty"},
           {"a/b,C,2025-M06,1,,", "e.csv:3: column unit: \"a/b\" is not"},
           {"00097,C,2025-M06,1", "e.csv:3: 4 cells, the header has 6"},
           {"00097,C,2025-M06,1,,\"x\"y", "e.csv:3: malformed CSV"},
           {"00097,C,2025-M06,1,,\"\n\n", "e.csv:3: a quoted cell is never"},
           {"00097,C,2025-M06,\xC3,,", "e.csv:3: column value: not UTF-8"},
       }) {
    SCOPED_TRACE(c.row);
    EXPECT_THAT(ReadAll("e.csv", header + ok + c.row),
                StatusIs(kInvalid, HasSubstr(c.error)));
  }
}

TEST_F(ValueFileTest, ErrorsStick) {
  LT_ASSERT_OK_AND_ASSIGN(auto reader,
                          Open(Write("sticky.csv",
                                     "unit,indicator,period,value\n"
                                     "00097,DOWN,2025-M06,1\n"
                                     "00097,C,2025-M06,1\n")));
  // A lookup failure other than NOT_FOUND keeps its code.
  EXPECT_THAT(reader->Next(5),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("sticky.csv:2: looking up indicators/DOWN")));
  EXPECT_THAT(reader->Next(5), StatusIs(absl::StatusCode::kUnavailable,
                                        HasSubstr("registry down")));
}

TEST_F(ValueFileTest, JsonArray) {
  std::vector<int> lines;
  EXPECT_THAT(
      ReadAll("rows.json",
              "\xEF\xBB\xBF\n[\n"
              "  {\"unit\": \"00097\", \"indicator\": \"C\",\n"
              "   \"period\": \"2025-M06\", \"value\": {\"count\": \"12\"}},\n"
              "  {\"unit\": \"units/00097\", \"indicator\": \"indicators/R\",\n"
              "   \"period\": \"2025-M06\",\n"
              "   \"value\": {\"ratio\": {\"numerator\": 1, "
              "\"denominator\": 2}},\n"
              "   \"comment\": \"a } \\\" { [\", \"sourceSystem\": \"x\"},"
              "{\"unit\": \"00097\", \"indicator\": \"C\", "
              "\"period\": \"2025-M06\"}\n"
              "]\n",
              &lines),
      IsOkAndHolds(
          ElementsAre(Row("C", "count: 12"),
                      Row("R", "ratio { numerator: 1 denominator: 2 }",
                          "comment: \"a } \\\" { [\" source_system: \"x\""),
                      Row("C", ""))));
  EXPECT_THAT(lines, ElementsAre(3, 5, 8));
  EXPECT_THAT(ReadAll("empty.json", " [ ] \n"), IsOkAndHolds(IsEmpty()));
}

TEST_F(ValueFileTest, JsonLines) {
  std::vector<int> lines;
  EXPECT_THAT(
      ReadAll("rows.jsonl",
              "{\"unit\":\"00097\",\"indicator\":\"C\",\"period\":\"2025-M06\","
              "\"value\":{\"count\":\"1\"}}\n"
              "\n"
              "{\"unit\":\"00097\",\"indicator\":\"B\",\"period\":\"2025-M06\","
              "\"value\":{\"flag\":true}}\r\n"
              "{\"unit\":\"00097\",\"indicator\":\"P\",\"period\":\"2025-M06\","
              "\"value\":{\"percent\":99.5}}",
              &lines),
      IsOkAndHolds(ElementsAre(Row("C", "count: 1"), Row("B", "flag: true"),
                               Row("P", "percent: 99.5"))));
  EXPECT_THAT(lines, ElementsAre(1, 3, 4));
  EXPECT_THAT(ReadAll("empty.jsonl", ""), IsOkAndHolds(IsEmpty()));
}

TEST_F(ValueFileTest, JsonErrorsNameTheLine) {
  const std::string row =
      "{\"unit\":\"00097\",\"indicator\":\"C\",\"period\":\"2025-M06\"}";
  EXPECT_THAT(ReadAll("e.jsonl", row + "\n" + row + "\n{\"unit\": 5,}\n"),
              StatusIs(kInvalid, HasSubstr("e.jsonl:3: not a ValueRow: ")));
  EXPECT_THAT(ReadAll("e.jsonl", row + "\n{\"colour\":\"red\"}\n"),
              StatusIs(kInvalid, HasSubstr("e.jsonl:2: not a ValueRow: ")));
  EXPECT_THAT(ReadAll("e.json", "[" + row + ",\n\n {\"unit\": \"a/b\"}]"),
              StatusIs(kInvalid, HasSubstr("e.json:3: field unit: \"a/b\"")));
  EXPECT_THAT(ReadAll("e.json", "[" + row + ",\n 5]"),
              StatusIs(kInvalid, HasSubstr("e.json:2: expected an object")));
  EXPECT_THAT(ReadAll("e.json", "[" + row + "\n" + row + "]"),
              StatusIs(kInvalid, HasSubstr("e.json:2: expected , or ]")));
  EXPECT_THAT(ReadAll("e.json", "[" + row + "]\n]"),
              StatusIs(kInvalid, HasSubstr("e.json:2: text after the JSON")));
  EXPECT_THAT(ReadAll("e.json", "[" + row + ",\n"),
              StatusIs(kInvalid, HasSubstr("e.json:2: the file ends inside")));
  EXPECT_THAT(ReadAll("e.json", "\n\n\"rows\""),
              StatusIs(kInvalid, HasSubstr("e.json:3: expected a JSON array")));
}

TEST_F(ValueFileTest, JsonArrayLinesStayRightAcrossBlocks) {
  std::string json = "[";
  std::vector<int> expected;
  for (int i = 0; i < 3000; ++i) {
    expected.push_back(i + 1);
    absl::StrAppend(&json, i == 0 ? "" : ",\n",
                    "{\"unit\":\"00097\",\"indicator\":\"C\",\"period\":"
                    "\"2025-M06\",\"value\":{\"count\":\"",
                    i, "\"},\"comment\":\"{[\\\\\"}");
  }
  json += "]";
  std::vector<int> lines;
  EXPECT_THAT(ReadAll("big.json", json, &lines), IsOkAndHolds(SizeIs(3000)));
  EXPECT_EQ(lines, expected);
}

}  // namespace
}  // namespace lienthong::ltctl
