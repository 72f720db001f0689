// ltctl: the command line for commune, district and province systems.
//
//   ltctl push --schedule=schedules/cds-xa-thang FILE.csv|FILE.json ...
//
// Pushes indicator values from CSV or JSON files through
// IngestionService.ImportBatches and prints the import summary. Pushing the
// same file again is safe: its batches carry request_ids derived from the
// file, so the server answers them from its log and writes nothing twice.
//
// Exit status: 0 every row accepted; 1 some rows rejected or batches refused;
// 2 bad usage; 3 a file could not be read or the connection broke (what was
// acknowledged before stays written; push again to finish).

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "libs/server/mtls.h"
#include "libs/status/grpc_status.h"
#include "lienthong/registry/v1/indicator.grpc.pb.h"
#include "tools/ltctl/value_file.h"
#include "tools/ltctl/value_push.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "host:port of lienthong");
ABSL_FLAG(std::string, ca_cert, "",
          "PEM file of the provincial CA; with --cert and --key, speak mutual "
          "TLS (required unless the server runs --plaintext on loopback)");
ABSL_FLAG(std::string, cert, "", "PEM file of this agency's certificate");
ABSL_FLAG(std::string, key, "", "PEM file of this agency's private key");
ABSL_FLAG(std::string, schedule, "",
          "the schedule the values report under, schedules/{id}");
ABSL_FLAG(std::string, mode, "upsert",
          "upsert, replace-slice (the file is the whole report of its units "
          "and periods: stored values it omits are deleted) or delete");
ABSL_FLAG(bool, dry_run, false, "validate and summarise, write nothing");
ABSL_FLAG(bool, accept_partial, false,
          "write the valid rows of a batch and report the invalid ones");
ABSL_FLAG(int, batch_rows, 5000, "rows per batch, 1-50000");
ABSL_FLAG(std::string, source_system, "",
          "source system set on rows that do not name one, e.g. "
          "motcua.xa-phuc-xa");
ABSL_FLAG(std::string, output, "text", "text or json");

namespace lienthong::ltctl {
namespace {

using google::protobuf::Value;

constexpr int kRejected = 1;
constexpr int kUsage = 2;
constexpr int kStopped = 3;

// Value types from the registry's IndicatorService, asked once per indicator.
// Mutual TLS with the files named by the flags, or plain text when none is.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> Credentials() {
  const std::string ca = absl::GetFlag(FLAGS_ca_cert);
  const std::string cert = absl::GetFlag(FLAGS_cert);
  const std::string key = absl::GetFlag(FLAGS_key);
  if (ca.empty() && cert.empty() && key.empty()) {
    return grpc::InsecureChannelCredentials();
  }
  absl::StatusOr<MtlsFiles> files = pki::ReadPkiFiles(ca, cert, key);
  if (!files.ok()) return files.status();
  return MtlsChannelCredentials(*files);
}

ValueTypeLookup IndicatorTypes(std::shared_ptr<grpc::Channel> channel) {
  auto stub = std::shared_ptr<registry::v1::IndicatorService::Stub>(
      registry::v1::IndicatorService::NewStub(channel));
  return
      [stub](
          const std::string& name) -> absl::StatusOr<registry::v1::ValueType> {
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::seconds(30));
        registry::v1::GetIndicatorRequest request;
        request.set_name(name);
        registry::v1::Indicator indicator;
        grpc::Status status = stub->GetIndicator(&context, request, &indicator);
        if (!status.ok()) return FromGrpcStatus(status);
        return indicator.value_type();
      };
}

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

int Push(const std::vector<std::string>& files) {
  PushOptions options;
  options.schedule = absl::GetFlag(FLAGS_schedule);
  options.dry_run = absl::GetFlag(FLAGS_dry_run);
  options.accept_partial = absl::GetFlag(FLAGS_accept_partial);
  options.batch_rows = absl::GetFlag(FLAGS_batch_rows);
  options.source_system = absl::GetFlag(FLAGS_source_system);
  std::string mode = absl::GetFlag(FLAGS_mode);
  std::string output = absl::GetFlag(FLAGS_output);
  const std::map<std::string, ingestion::v1::ImportMode> modes = {
      {"upsert", ingestion::v1::IMPORT_MODE_UPSERT},
      {"replace-slice", ingestion::v1::IMPORT_MODE_REPLACE_SLICE},
      {"delete", ingestion::v1::IMPORT_MODE_DELETE}};
  if (options.schedule.empty() || modes.count(mode) == 0 || files.empty() ||
      options.batch_rows < 1 || options.batch_rows > 50000 ||
      (output != "text" && output != "json")) {
    std::fprintf(stderr,
                 "usage: ltctl push --schedule=schedules/{id} "
                 "[--mode=upsert|replace-slice|delete] FILE...\n");
    return kUsage;
  }
  options.mode = modes.at(mode);
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      Credentials();
  if (!credentials.ok()) {
    std::fprintf(stderr, "ltctl: %s\n",
                 credentials.status().ToString().c_str());
    return kUsage;
  }
  auto channel = grpc::CreateChannel(absl::GetFlag(FLAGS_server), *credentials);
  auto ingestion = ingestion::v1::IngestionService::NewStub(channel);
  ValueTypeLookup types = IndicatorTypes(channel);
  int exit_code = 0;
  Value all;
  for (const std::string& file : files) {
    PushReport report;
    absl::StatusOr<ValueFileFormat> format = FormatOf(file);
    absl::StatusOr<std::string> prefix = RequestIdPrefix(file, options);
    absl::StatusOr<std::unique_ptr<ValueFileReader>> reader =
        format.ok() ? ValueFileReader::Open(file, *format, types)
                    : format.status();
    if (!prefix.ok()) {
      report.stopped = prefix.status();
    } else if (!reader.ok()) {
      report.stopped = reader.status();
    } else {
      report = PushValues(*ingestion, **reader, *prefix, options);
    }
    if (output == "json") {
      *all.mutable_list_value()->add_values() = ReportJson(file, report);
    } else {
      PrintText(file, report);
    }
    if (!report.stopped.ok()) {
      exit_code = kStopped;
    } else if (exit_code == 0 &&
               (report.batches_refused > 0 || report.totals.rejected() > 0)) {
      exit_code = kRejected;
    }
  }
  if (output == "json") {
    std::string json;
    google::protobuf::util::JsonPrintOptions print;
    print.add_whitespace = true;
    // A Struct of numbers and strings always prints.
    (void)google::protobuf::util::MessageToJsonString(all, &json, print);
    std::printf("%s", json.c_str());
  }
  return exit_code;
}

}  // namespace
}  // namespace lienthong::ltctl

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "ltctl push --schedule=schedules/{id} FILE.csv|FILE.json ...: push "
      "indicator values to lienthong");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2 || std::string(args[1]) != "push") {
    std::fprintf(stderr, "usage: ltctl push [flags] FILE...; ltctl --help\n");
    return lienthong::ltctl::kUsage;
  }
  return lienthong::ltctl::Push(
      std::vector<std::string>(args.begin() + 2, args.end()));
}
