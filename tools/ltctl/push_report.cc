#include "tools/ltctl/push_report.h"

#include <cstdio>

#include "google/protobuf/util/json_util.h"

namespace lienthong::ltctl {
namespace {

using google::protobuf::Value;

Value Number(double n) {
  Value value;
  value.set_number_value(n);
  return value;
}

Value Text(const std::string& s) {
  Value value;
  value.set_string_value(s);
  return value;
}

}  // namespace

Value ReportJson(const std::string& file, const PushReport& report) {
  Value out;
  auto& fields = *out.mutable_struct_value()->mutable_fields();
  fields["file"] = Text(file);
  fields["batches"] = Number(report.batches);
  fields["batches_refused"] = Number(report.batches_refused);
  fields["batches_replayed"] = Number(report.batches_replayed);
  const auto& totals = report.totals;
  fields["received"] = Number(totals.received());
  fields["created"] = Number(totals.created());
  fields["updated"] = Number(totals.updated());
  fields["unchanged"] = Number(totals.unchanged());
  fields["deleted"] = Number(totals.deleted());
  fields["rejected"] = Number(totals.rejected());
  // For read-your-writes against reporting (min_sequence).
  fields["last_sequence"] = Number(static_cast<double>(totals.last_sequence()));
  auto& problems = *fields["problems"].mutable_list_value();
  for (const RowReport& problem : report.problems) {
    Value row;
    auto& row_fields = *row.mutable_struct_value()->mutable_fields();
    row_fields["line"] = Number(problem.line);
    row_fields["field"] = Text(problem.field);
    row_fields["reason"] = Text(problem.reason);
    row_fields["description"] = Text(problem.description);
    *problems.add_values() = row;
  }
  auto& errors = *fields["batch_errors"].mutable_list_value();
  for (const std::string& error : report.batch_errors) {
    *errors.add_values() = Text(error);
  }
  if (!report.stopped.ok()) fields["stopped"] = Text(report.stopped.ToString());
  return out;
}

void PrintText(const std::string& file, const PushReport& report) {
  const auto& t = report.totals;
  std::printf("%s: %d batches (%d refused, %d replayed)\n", file.c_str(),
              report.batches, report.batches_refused, report.batches_replayed);
  std::printf(
      "  received %d  created %d  updated %d  unchanged %d  deleted %d  "
      "rejected %d\n",
      t.received(), t.created(), t.updated(), t.unchanged(), t.deleted(),
      t.rejected());
  for (const RowReport& problem : report.problems) {
    std::printf("  %s:%d: %s %s: %s\n", file.c_str(), problem.line,
                problem.field.c_str(), problem.reason.c_str(),
                problem.description.c_str());
  }
  for (const std::string& error : report.batch_errors) {
    std::printf("  %s\n", error.c_str());
  }
  if (!report.stopped.ok()) {
    std::printf("  stopped: %s\n", report.stopped.ToString().c_str());
  }
}

std::string ReportJsonText(const std::string& file, const PushReport& report) {
  std::string json;
  // A Struct of numbers and strings always prints.
  (void)google::protobuf::util::MessageToJsonString(ReportJson(file, report),
                                                    &json);
  return json;
}

}  // namespace lienthong::ltctl
