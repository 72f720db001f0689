#include "services/reporting/rollup_export.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace lienthong::reporting {
namespace {

using common::v1::PeriodType;

v1::Rollup MakeRollup(const std::string& unit, const std::string& indicator,
                      const std::string& period, PeriodType type, int number,
                      int contributing, int expected) {
  v1::Rollup rollup;
  rollup.set_unit(unit);
  rollup.set_indicator(indicator);
  rollup.mutable_period()->set_id(period);
  rollup.mutable_period()->set_type(type);
  rollup.mutable_period()->set_year(2025);
  rollup.mutable_period()->set_number(number);
  rollup.set_contributing_units(contributing);
  rollup.set_expected_units(expected);
  return rollup;
}

// One rollup of each value kind, one without a value, one incomplete, and a
// unit name that CSV must quote.
std::vector<v1::Rollup> Table() {
  std::vector<v1::Rollup> table;
  table.push_back(MakeRollup("units/00004", "indicators/SO_LOP", "2025-M06",
                             common::v1::PERIOD_TYPE_MONTH, 6, 1, 1));
  table.back().mutable_value()->set_count(12);
  table.back().set_as_of_sequence(7);
  table.back().mutable_update_time()->set_seconds(1751328000);
  table.push_back(MakeRollup("units/00004", "indicators/CHI_NS", "2025-Q2",
                             common::v1::PERIOD_TYPE_QUARTER, 2, 3, 3));
  table.back().mutable_value()->set_amount(1234567.25);
  table.push_back(MakeRollup("units/001", "indicators/TY_LE", "2025-H1",
                             common::v1::PERIOD_TYPE_HALF_YEAR, 1, 2, 3));
  table.back().mutable_value()->set_percent(72.5);
  table.push_back(MakeRollup("units/001", "indicators/HO_CAP_QUANG", "2025",
                             common::v1::PERIOD_TYPE_YEAR, 0, 3, 3));
  table.back().mutable_value()->mutable_ratio()->set_numerator(1840);
  table.back().mutable_value()->mutable_ratio()->set_denominator(2300);
  table.push_back(MakeRollup("units/001", "indicators/BCD", "2025-C09",
                             common::v1::PERIOD_TYPE_CUMULATIVE, 9, 3, 3));
  table.back().mutable_value()->set_flag(true);
  table.push_back(MakeRollup("units/999", "indicators/SO_LOP", "2025-M06",
                             common::v1::PERIOD_TYPE_MONTH, 6, 0, 3));
  return table;
}

std::string UnitName(const std::string& unit) {
  if (unit == "units/00004") return "Xã Tân Phú, \"mới\"";
  if (unit == "units/001") return "Huyện Tân Phú";
  return "";
}

std::string ExportAll(v1::ExportFormat format,
                      const std::vector<v1::Rollup>& rollups) {
  RollupExporter exporter(format, UnitName);
  std::string out = exporter.Write(rollups);
  return out + exporter.Finish();
}

// The SDMX columns of the one row exporting `rollup` gives.
std::vector<std::string> SdmxColumns(const v1::Rollup& rollup) {
  std::string out = ExportAll(v1::EXPORT_FORMAT_SDMX_CSV, {rollup});
  std::string row = out.substr(out.find('\n') + 1);
  row.pop_back();  // the LF
  return absl::StrSplit(row, ',');
}

constexpr char kCsvHeader[] =
    "\xEF\xBB\xBF"
    "unit,unit_name,indicator,period,value,numerator,denominator,"
    "contributing_units,expected_units\r\n";
constexpr char kSdmxHeader[] =
    "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,"
    "UNIT_MULT,OBS_STATUS\n";

TEST(RollupExporterTest, WritesCsvWithBomQuotingAndCrlf) {
  EXPECT_EQ(ExportAll(v1::EXPORT_FORMAT_CSV, Table()),
            std::string(kCsvHeader) +
                "00004,\"Xã Tân Phú, \"\"mới\"\"\",SO_LOP,2025-M06,12,,,1,1\r\n"
                "00004,\"Xã Tân Phú, \"\"mới\"\"\",CHI_NS,2025-Q2,1234567.25,"
                ",,3,3\r\n"
                "001,Huyện Tân Phú,TY_LE,2025-H1,72.5,,,2,3\r\n"
                "001,Huyện Tân Phú,HO_CAP_QUANG,2025,80,1840,2300,3,3\r\n"
                "001,Huyện Tân Phú,BCD,2025-C09,true,,,3,3\r\n"
                "999,,SO_LOP,2025-M06,,,,0,3\r\n");
}

TEST(RollupExporterTest, UnsetFormatIsCsv) {
  EXPECT_EQ(ExportAll(v1::EXPORT_FORMAT_UNSPECIFIED, Table()),
            ExportAll(v1::EXPORT_FORMAT_CSV, Table()));
}

TEST(RollupExporterTest, AsksUnitNamesByResourceNameOnlyForCsv) {
  std::vector<std::string> asked;
  auto record = [&asked](const std::string& unit) {
    asked.push_back(unit);
    return std::string();
  };
  RollupExporter csv(v1::EXPORT_FORMAT_CSV, record);
  csv.Write({Table()[0]});
  EXPECT_EQ(asked, std::vector<std::string>{"units/00004"});
  RollupExporter sdmx(v1::EXPORT_FORMAT_SDMX_CSV, record);
  sdmx.Write(Table());
  RollupExporter json(v1::EXPORT_FORMAT_JSON, record);
  json.Write(Table());
  EXPECT_EQ(asked.size(), 1u);
}

TEST(RollupExporterTest, CsvWithoutUnitNamesLeavesTheColumnEmpty) {
  RollupExporter exporter(v1::EXPORT_FORMAT_CSV, nullptr);
  EXPECT_EQ(exporter.Write({Table()[0]}),
            std::string(kCsvHeader) + "00004,,SO_LOP,2025-M06,12,,,1,1\r\n");
}

TEST(RollupExporterTest, WritesJsonLinesInTheProtobufMapping) {
  EXPECT_EQ(
      ExportAll(v1::EXPORT_FORMAT_JSON, Table()),
      "{\"unit\":\"units/00004\",\"indicator\":\"indicators/SO_LOP\","
      "\"period\":{\"id\":\"2025-M06\",\"type\":\"PERIOD_TYPE_MONTH\","
      "\"year\":2025,\"number\":6},\"value\":{\"count\":\"12\"},"
      "\"contributingUnits\":1,\"expectedUnits\":1,\"asOfSequence\":\"7\","
      "\"updateTime\":\"2025-07-01T00:00:00Z\"}\n"
      "{\"unit\":\"units/00004\",\"indicator\":\"indicators/CHI_NS\","
      "\"period\":{\"id\":\"2025-Q2\",\"type\":\"PERIOD_TYPE_QUARTER\","
      "\"year\":2025,\"number\":2},\"value\":{\"amount\":1234567.25},"
      "\"contributingUnits\":3,\"expectedUnits\":3}\n"
      "{\"unit\":\"units/001\",\"indicator\":\"indicators/TY_LE\","
      "\"period\":{\"id\":\"2025-H1\",\"type\":\"PERIOD_TYPE_HALF_YEAR\","
      "\"year\":2025,\"number\":1},\"value\":{\"percent\":72.5},"
      "\"contributingUnits\":2,\"expectedUnits\":3}\n"
      "{\"unit\":\"units/001\",\"indicator\":\"indicators/HO_CAP_QUANG\","
      "\"period\":{\"id\":\"2025\",\"type\":\"PERIOD_TYPE_YEAR\","
      "\"year\":2025},\"value\":{\"ratio\":{\"numerator\":1840,"
      "\"denominator\":2300}},\"contributingUnits\":3,\"expectedUnits\":3}\n"
      "{\"unit\":\"units/001\",\"indicator\":\"indicators/BCD\","
      "\"period\":{\"id\":\"2025-C09\",\"type\":\"PERIOD_TYPE_CUMULATIVE\","
      "\"year\":2025,\"number\":9},\"value\":{\"flag\":true},"
      "\"contributingUnits\":3,\"expectedUnits\":3}\n"
      "{\"unit\":\"units/999\",\"indicator\":\"indicators/SO_LOP\","
      "\"period\":{\"id\":\"2025-M06\",\"type\":\"PERIOD_TYPE_MONTH\","
      "\"year\":2025,\"number\":6},\"expectedUnits\":3}\n");
}

TEST(RollupExporterTest, JsonLinesParseBackToTheSameRollups) {
  std::vector<v1::Rollup> table = Table();
  std::string out = ExportAll(v1::EXPORT_FORMAT_JSON, table);
  ASSERT_EQ(out.back(), '\n');
  out.pop_back();
  std::vector<std::string> lines = absl::StrSplit(out, '\n');
  ASSERT_EQ(lines.size(), table.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    v1::Rollup parsed;
    ASSERT_TRUE(
        google::protobuf::util::JsonStringToMessage(lines[i], &parsed).ok())
        << lines[i];
    EXPECT_TRUE(
        google::protobuf::util::MessageDifferencer::Equals(parsed, table[i]))
        << lines[i];
  }
}

TEST(RollupExporterTest, WritesSdmxCsvObservations) {
  EXPECT_EQ(ExportAll(v1::EXPORT_FORMAT_SDMX_CSV, Table()),
            std::string(kSdmxHeader) +
                "dataflow,LIENTHONG:DF_CDS(1.0),I,00004,SO_LOP,2025-M06,12,0,"
                "A\n"
                "dataflow,LIENTHONG:DF_CDS(1.0),I,00004,CHI_NS,2025-Q2,"
                "1234567.25,0,A\n"
                "dataflow,LIENTHONG:DF_CDS(1.0),I,001,TY_LE,2025-S1,72.5,0,E\n"
                "dataflow,LIENTHONG:DF_CDS(1.0),I,001,HO_CAP_QUANG,2025,80,0,"
                "A\n"
                "dataflow,LIENTHONG:DF_CDS(1.0),I,001,BCD,2025-01-01/P9M,1,0,"
                "A\n"
                "dataflow,LIENTHONG:DF_CDS(1.0),I,999,SO_LOP,2025-M06,,0,M\n");
}

TEST(RollupExporterTest, SdmxTimePeriodForEachPeriodType) {
  struct Case {
    const char* id;
    PeriodType type;
    int number;
    const char* sdmx;
  };
  const Case cases[] = {
      {"2025-M06", common::v1::PERIOD_TYPE_MONTH, 6, "2025-M06"},
      {"2025-M12", common::v1::PERIOD_TYPE_MONTH, 12, "2025-M12"},
      {"2025-Q2", common::v1::PERIOD_TYPE_QUARTER, 2, "2025-Q2"},
      {"2025-H1", common::v1::PERIOD_TYPE_HALF_YEAR, 1, "2025-S1"},
      {"2025-H2", common::v1::PERIOD_TYPE_HALF_YEAR, 2, "2025-S2"},
      {"2025", common::v1::PERIOD_TYPE_YEAR, 0, "2025"},
      {"2025-C01", common::v1::PERIOD_TYPE_CUMULATIVE, 1, "2025-01-01/P1M"},
      {"2025-C09", common::v1::PERIOD_TYPE_CUMULATIVE, 9, "2025-01-01/P9M"},
      {"2025-C12", common::v1::PERIOD_TYPE_CUMULATIVE, 12, "2025-01-01/P12M"},
  };
  for (const Case& c : cases) {
    v1::Rollup rollup =
        MakeRollup("units/001", "indicators/X", c.id, c.type, c.number, 1, 1);
    rollup.mutable_value()->set_count(1);
    EXPECT_EQ(SdmxColumns(rollup)[5], c.sdmx) << c.id;
  }
}

TEST(RollupExporterTest, FormatsNumbersWithoutExponentOrBinaryNoise) {
  struct Case {
    double amount;
    const char* text;
  };
  const Case cases[] = {
      {0.1 + 0.2, "0.3"},
      {1.5e12, "1500000000000"},
      {-42.125, "-42.125"},
      {-0.0, "0"},
      {123456789012345.0, "123456789012345"},
      {0.001, "0.001"},
  };
  for (const Case& c : cases) {
    v1::Rollup rollup = MakeRollup("units/001", "indicators/X", "2025",
                                   common::v1::PERIOD_TYPE_YEAR, 0, 1, 1);
    rollup.mutable_value()->set_amount(c.amount);
    EXPECT_EQ(SdmxColumns(rollup)[6], c.text) << c.text;
  }
  v1::Rollup third = Table()[3];
  third.mutable_value()->mutable_ratio()->set_numerator(1);
  third.mutable_value()->mutable_ratio()->set_denominator(3);
  EXPECT_EQ(SdmxColumns(third)[6], "33.3333333333333");
  v1::Rollup big = Table()[0];
  big.mutable_value()->set_count(9007199254740993);
  EXPECT_EQ(SdmxColumns(big)[6], "9007199254740993");
}

TEST(RollupExporterTest, RatioWithZeroDenominatorHasNoValue) {
  v1::Rollup rollup = Table()[3];
  rollup.mutable_value()->mutable_ratio()->set_denominator(0);
  EXPECT_EQ(ExportAll(v1::EXPORT_FORMAT_CSV, {rollup}),
            std::string(kCsvHeader) +
                "001,Huyện Tân Phú,HO_CAP_QUANG,2025,,1840,0,3,3\r\n");
  std::vector<std::string> sdmx = SdmxColumns(rollup);
  EXPECT_EQ(sdmx[6], "");
  EXPECT_EQ(sdmx[8], "M");
}

TEST(RollupExporterTest, ChunksConcatenateToTheWholeExport) {
  std::vector<v1::Rollup> table = Table();
  std::vector<v1::Rollup> first(table.begin(), table.begin() + 2);
  std::vector<v1::Rollup> rest(table.begin() + 2, table.end());
  for (v1::ExportFormat format : {v1::EXPORT_FORMAT_CSV, v1::EXPORT_FORMAT_JSON,
                                  v1::EXPORT_FORMAT_SDMX_CSV}) {
    SCOPED_TRACE(v1::ExportFormat_Name(format));
    RollupExporter chunked(format, UnitName);
    std::string out = chunked.Write(first);
    out += chunked.Write({});
    out += chunked.Write(rest);
    std::string finish = chunked.Finish();
    EXPECT_EQ(finish, "");
    EXPECT_EQ(out + finish, ExportAll(format, table));
  }
}

TEST(RollupExporterTest, EmptyExportIsTheHeaderAlone) {
  EXPECT_EQ(ExportAll(v1::EXPORT_FORMAT_CSV, {}), kCsvHeader);
  EXPECT_EQ(ExportAll(v1::EXPORT_FORMAT_SDMX_CSV, {}), kSdmxHeader);
  EXPECT_EQ(ExportAll(v1::EXPORT_FORMAT_JSON, {}), "");
  for (v1::ExportFormat format : {v1::EXPORT_FORMAT_CSV, v1::EXPORT_FORMAT_JSON,
                                  v1::EXPORT_FORMAT_SDMX_CSV}) {
    SCOPED_TRACE(v1::ExportFormat_Name(format));
    RollupExporter never_written(format, UnitName);
    EXPECT_EQ(never_written.Finish(), ExportAll(format, {}));
  }
}

}  // namespace
}  // namespace lienthong::reporting
