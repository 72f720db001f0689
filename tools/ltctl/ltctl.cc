// ltctl: the command line for commune, district and province systems.
//
//   ltctl push --schedule=schedules/cds-xa-thang FILE.csv|FILE.json ...
//   ltctl outbox list | flush
//   ltctl health [--service=lienthong.ingestion.v1.IngestionService]
//
// push keeps each file in a local store-and-forward outbox (--outbox) before
// it sends anything, then delivers the outbox in order through
// IngestionService.ImportBatches, retrying a broken link with backoff for up
// to --retry_for. Every batch carries a request_id derived from the file, so
// retries, later flushes and pushing the same file again write nothing twice.
//
// The other commands are one call each (commands.h), e.g.
//
//   ltctl units get|list|ancestors|create|update|merge|split|rename|reparent|
//         events|lineage|import          ltctl units list --parent=30
//   ltctl agencies get|list|create|update|delete
//   ltctl indicators get|list
//   ltctl plans get|list|create|update   ltctl plans list --unit=298
//   ltctl targets list|create|update|delete
//   ltctl tasks get|list|create|update|report|progress|summary
//   ltctl schedules get|list|create|update|resolve
//   ltctl documents send --request=@send.json --attach=KH.pdf --sign
//   ltctl documents get|fetch|download|list|status|edxml|import
//   ltctl inbox list | ack ENTRY_ID...   ltctl receipt ID
//   ltctl rollups [get] --unit=298 --indicator=X --period=2025-M05
//   ltctl completeness --schedule=cds-xa-thang --period=2025-M05 --unit=298
//   ltctl achievement --plan=P --year=2025
//   ltctl discrepancies | overdue
//
// Their request is --request (protobuf JSON, or @FILE), with positional
// arguments (the resource: `units get 298`) and flags (--unit, --period,
// --agency, ...) set on top; --agency defaults to the agency of --cert. Each
// call has a --timeout deadline (30 s). The answer prints as protobuf JSON
// with --output=json; as text, lists print one tab-separated line per item
// and other answers as JSON. A refusal prints its code, message and
// google.rpc details (reason, field violations) on stderr.
//
// Exit status (push, outbox flush): 0 every row accepted; 1 some rows
// rejected or batches refused; 2 bad usage; 3 a file could not be read or a
// push failed for good; 4 the link stayed down: pushes are kept in the outbox
// (ltctl outbox flush delivers them). health: 0 serving, 1 not serving, 2 bad
// usage, 3 unreachable. Other commands: 0 done; 1 the server refused the
// request (INVALID_ARGUMENT, FAILED_PRECONDITION, NOT_FOUND, ALREADY_EXISTS,
// PERMISSION_DENIED, UNAUTHENTICATED, ABORTED, OUT_OF_RANGE); 2 bad usage
// (unknown command, a flag the command does not take, a request that does
// not parse); 3 the server was unreachable or failed (UNAVAILABLE,
// DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL, ...) or a local file could
// not be read or written.

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "libs/clock/clock.h"
#include "libs/server/mtls.h"
#include "libs/status/grpc_status.h"
#include "lienthong/registry/v1/indicator.grpc.pb.h"
#include "tools/ltctl/call_status.h"
#include "tools/ltctl/command_flags.h"
#include "tools/ltctl/commands.h"
#include "tools/ltctl/outbox.h"
#include "tools/ltctl/outbox_delivery.h"
#include "tools/ltctl/push_report.h"
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
ABSL_FLAG(bool, dry_run, false,
          "validate and summarise, write nothing (not through the outbox)");
ABSL_FLAG(bool, accept_partial, false,
          "write the valid rows of a batch and report the invalid ones");
ABSL_FLAG(int, batch_rows, 5000, "rows per batch, 1-50000");
ABSL_FLAG(std::string, source_system, "",
          "source system set on rows that do not name one, e.g. "
          "motcua.xa-phuc-xa");
ABSL_FLAG(std::string, output, "text", "text or json");
ABSL_FLAG(std::string, outbox, "",
          "directory of the store-and-forward outbox; default "
          "$LTCTL_OUTBOX, else $HOME/.lienthong/outbox");
ABSL_FLAG(absl::Duration, retry_for, absl::Minutes(15),
          "how long push and flush retry a broken link before leaving the "
          "rest in the outbox");
ABSL_FLAG(std::string, progress, "auto",
          "progress bars on stderr: auto (when it is a terminal), on, off");
ABSL_FLAG(std::string, service, "",
          "health: the gRPC service to check; empty for the whole server");

namespace lienthong::ltctl {
namespace {

using google::protobuf::Value;

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

std::string OutboxDir() {
  std::string dir = absl::GetFlag(FLAGS_outbox);
  if (!dir.empty()) return dir;
  if (const char* env = std::getenv("LTCTL_OUTBOX"); env && *env) return env;
  const char* home = std::getenv("HOME");
  return absl::StrCat(home ? home : ".", "/.lienthong/outbox");
}

// The exit status of one file's push that reached its end (or not).
int ExitCodeOf(const PushReport& report) {
  if (!report.stopped.ok()) return kStopped;
  if (report.batches_refused > 0 || report.totals.rejected() > 0) {
    return kRejected;
  }
  return 0;
}

bool OutputJson() { return absl::GetFlag(FLAGS_output) == "json"; }

void PrintJson(const Value& value) {
  std::string json;
  google::protobuf::util::JsonPrintOptions print;
  print.add_whitespace = true;
  // A Struct of numbers and strings always prints.
  (void)google::protobuf::util::MessageToJsonString(value, &json, print);
  std::printf("%s", json.c_str());
}

// Rows in a file, as far as a count of lines tells (0 when it cannot: a JSON
// array), for progress bars.
int EstimateRows(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return 0;
  int lines = 0;
  for (int c; (c = std::fgetc(file)) != EOF;) lines += c == '\n';
  std::fclose(file);
  absl::StatusOr<ValueFileFormat> format = FormatOf(path);
  if (!format.ok()) return 0;
  if (*format == ValueFileFormat::kCsv) return std::max(0, lines - 1);
  return path.size() > 5 && path.substr(path.size() - 5) == ".json" ? 0 : lines;
}

// Progress bars on stderr, one line per job, redrawn in place.
class ProgressBars {
 public:
  ProgressBars() {
    std::string mode = absl::GetFlag(FLAGS_progress);
    enabled_ = mode == "on" || (mode == "auto" && ::isatty(2));
  }
  void Batch(const OutboxJob& job, const PushReport& so_far) {
    if (!enabled_) return;
    int& total = totals_[job.id];
    if (total == 0) total = EstimateRows(job.copy);
    int done = so_far.totals.received();
    if (total > 0) {
      int filled = std::min(30, 30 * done / std::max(1, total));
      std::fprintf(stderr, "\r%s [%s%s] %d/%d rows", job.source.c_str(),
                   std::string(filled, '#').c_str(),
                   std::string(30 - filled, '.').c_str(), done, total);
    } else {
      std::fprintf(stderr, "\r%s: %d rows", job.source.c_str(), done);
    }
    std::fflush(stderr);
    dirty_ = true;
  }
  void Retry(const OutboxJob& job, const absl::Status& error,
             absl::Duration wait) {
    EndLine();
    std::fprintf(stderr, "%s: %s; retrying in %s\n", job.source.c_str(),
                 std::string(error.message()).c_str(),
                 absl::FormatDuration(wait).c_str());
  }
  void EndLine() {
    if (dirty_) std::fprintf(stderr, "\n");
    dirty_ = false;
  }

 private:
  bool enabled_ = false;
  bool dirty_ = false;
  std::map<int64_t, int> totals_;
};

// Delivers the outbox and prints what happened to each job; the exit status.
int Flush(Outbox& outbox,
          const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
  Connector connect = [&credentials] {
    // Its own subchannel: a fresh connection, not one waiting out gRPC's
    // reconnect backoff after the server was down.
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
        absl::GetFlag(FLAGS_server), credentials, args);
    return Connection{ingestion::v1::IngestionService::NewStub(channel),
                      IndicatorTypes(channel)};
  };
  RetryPolicy policy;
  policy.retry_for = absl::GetFlag(FLAGS_retry_for);
  SystemClock clock;
  ProgressBars bars;
  DeliveryHooks hooks;
  hooks.sleep = [](absl::Duration wait) { absl::SleepFor(wait); };
  hooks.on_batch = [&](const OutboxJob& job, const PushReport& so_far) {
    bars.Batch(job, so_far);
  };
  hooks.on_retry = [&](const OutboxJob& job, const absl::Status& error,
                       absl::Duration wait) { bars.Retry(job, error, wait); };
  std::vector<DeliveryResult> results =
      DeliverPending(outbox, connect, policy, clock, hooks);
  bars.EndLine();
  int exit_code = 0;
  Value all;
  for (const DeliveryResult& result : results) {
    const OutboxJob& job = result.job;
    if (OutputJson()) {
      Value entry = ReportJson(job.source, result.report);
      (*entry.mutable_struct_value()->mutable_fields())["outbox_state"]
          .set_string_value(StateName(job.state));
      *all.mutable_list_value()->add_values() = entry;
    } else {
      PrintText(job.source, result.report);
      if (job.state == OutboxJob::State::kPending) {
        std::printf("  kept in the outbox (%s); ltctl outbox flush sends it\n",
                    OutboxDir().c_str());
      }
    }
    int code = job.state == OutboxJob::State::kPending  ? kKeptInOutbox
               : job.state == OutboxJob::State::kFailed ? kStopped
               : (result.report.batches_refused > 0 ||
                  result.report.totals.rejected() > 0)
                   ? kRejected
                   : 0;
    exit_code = std::max(exit_code, code);
  }
  if (OutputJson()) PrintJson(all);
  return exit_code;
}

absl::StatusOr<PushOptions> OptionsFromFlags() {
  PushOptions options;
  options.schedule = absl::GetFlag(FLAGS_schedule);
  options.dry_run = absl::GetFlag(FLAGS_dry_run);
  options.accept_partial = absl::GetFlag(FLAGS_accept_partial);
  options.batch_rows = absl::GetFlag(FLAGS_batch_rows);
  options.source_system = absl::GetFlag(FLAGS_source_system);
  const std::map<std::string, ingestion::v1::ImportMode> modes = {
      {"upsert", ingestion::v1::IMPORT_MODE_UPSERT},
      {"replace-slice", ingestion::v1::IMPORT_MODE_REPLACE_SLICE},
      {"delete", ingestion::v1::IMPORT_MODE_DELETE}};
  auto mode = modes.find(absl::GetFlag(FLAGS_mode));
  if (options.schedule.empty() || mode == modes.end() ||
      options.batch_rows < 1 || options.batch_rows > 50000) {
    return absl::InvalidArgumentError(
        "usage: ltctl push --schedule=schedules/{id} "
        "[--mode=upsert|replace-slice|delete] FILE...");
  }
  options.mode = mode->second;
  return options;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> ChannelFromFlags() {
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      Credentials();
  if (!credentials.ok()) return credentials.status();
  return grpc::CreateChannel(absl::GetFlag(FLAGS_server), *credentials);
}

int Usage(const absl::Status& status) {
  std::fprintf(stderr, "ltctl: %s\n", std::string(status.message()).c_str());
  return kUsage;
}

// A dry run writes nothing, so it skips the outbox and reports directly.
int DryRun(const std::vector<std::string>& files, const PushOptions& options,
           const std::shared_ptr<grpc::Channel>& channel) {
  auto ingestion = ingestion::v1::IngestionService::NewStub(channel);
  ValueTypeLookup types = IndicatorTypes(channel);
  int exit_code = 0;
  Value all;
  for (const std::string& file : files) {
    PushReport report;
    absl::StatusOr<ValueFileFormat> format = FormatOf(file);
    absl::StatusOr<std::unique_ptr<ValueFileReader>> reader =
        format.ok() ? ValueFileReader::Open(file, *format, types)
                    : format.status();
    if (reader.ok()) {
      report = PushValues(*ingestion, **reader, "", options);
    } else {
      report.stopped = reader.status();
    }
    if (OutputJson()) {
      *all.mutable_list_value()->add_values() = ReportJson(file, report);
    } else {
      PrintText(file, report);
    }
    exit_code = std::max(exit_code, ExitCodeOf(report));
  }
  if (OutputJson()) PrintJson(all);
  return exit_code;
}

int Push(const std::vector<std::string>& files) {
  absl::StatusOr<PushOptions> options = OptionsFromFlags();
  if (!options.ok()) return Usage(options.status());
  if (files.empty()) return Usage(absl::InvalidArgumentError("no file"));
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      Credentials();
  if (!credentials.ok()) return Usage(credentials.status());
  if (options->dry_run) {
    return DryRun(
        files, *options,
        grpc::CreateChannel(absl::GetFlag(FLAGS_server), *credentials));
  }
  absl::StatusOr<std::unique_ptr<Outbox>> outbox = Outbox::Open(OutboxDir());
  if (!outbox.ok()) return Usage(outbox.status());
  // Every file is kept before anything is sent: a push cut short by the
  // link, or by the process dying, is still there to flush.
  for (const std::string& file : files) {
    absl::StatusOr<OutboxJob> queued =
        (*outbox)->Enqueue(file, *options, absl::Now());
    if (!queued.ok()) {
      std::fprintf(stderr, "ltctl: %s\n", queued.status().ToString().c_str());
      return kStopped;
    }
  }
  return Flush(**outbox, *credentials);
}

int OutboxCommand(const std::vector<std::string>& args) {
  if (args.size() != 1 || (args[0] != "list" && args[0] != "flush")) {
    return Usage(absl::InvalidArgumentError("usage: ltctl outbox list|flush"));
  }
  absl::StatusOr<std::unique_ptr<Outbox>> outbox = Outbox::Open(OutboxDir());
  if (!outbox.ok()) return Usage(outbox.status());
  if (args[0] == "flush") {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
        Credentials();
    if (!credentials.ok()) return Usage(credentials.status());
    return Flush(**outbox, *credentials);
  }
  absl::StatusOr<std::vector<OutboxJob>> jobs = (*outbox)->List(false);
  if (!jobs.ok()) {
    std::fprintf(stderr, "ltctl: %s\n", jobs.status().ToString().c_str());
    return kStopped;
  }
  Value all;
  all.mutable_list_value();
  for (const OutboxJob& job : *jobs) {
    if (!OutputJson()) {
      std::printf("%lld\t%s\t%s\t%s\tattempts %d\t%s\n",
                  static_cast<long long>(job.id), StateName(job.state).c_str(),
                  job.source.c_str(), absl::FormatTime(job.queued).c_str(),
                  job.attempts, job.last_error.c_str());
      continue;
    }
    Value entry;
    auto& fields = *entry.mutable_struct_value()->mutable_fields();
    fields["id"].set_number_value(static_cast<double>(job.id));
    fields["state"].set_string_value(StateName(job.state));
    fields["file"].set_string_value(job.source);
    fields["schedule"].set_string_value(job.options.schedule);
    fields["request_id_prefix"].set_string_value(job.request_id_prefix);
    fields["queued"].set_string_value(absl::FormatTime(job.queued));
    fields["attempts"].set_number_value(job.attempts);
    fields["last_error"].set_string_value(job.last_error);
    *all.mutable_list_value()->add_values() = entry;
  }
  if (OutputJson()) PrintJson(all);
  return 0;
}

// grpc.health.v1.Health/Check, for probes: 0 serving, 1 not, 3 unreachable.
int Health() {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = ChannelFromFlags();
  if (!channel.ok()) return Usage(channel.status());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(absl::GetFlag(FLAGS_service));
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = grpc::health::v1::Health::NewStub(*channel)->Check(
      &context, request, &response);
  if (!status.ok()) {
    std::fprintf(stderr, "ltctl: health: %s\n", status.error_message().c_str());
    return status.error_code() == grpc::StatusCode::NOT_FOUND ? kRejected
                                                              : kStopped;
  }
  bool serving =
      response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  std::printf("%s\n", grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                          response.status())
                          .c_str());
  return serving ? 0 : kRejected;
}

// The commands of commands.h: one call each, over the flags' channel.
int Call(const std::vector<std::string>& args) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = ChannelFromFlags();
  if (!channel.ok()) return Usage(channel.status());
  absl::StatusOr<CommandOptions> options = CommandOptionsFromFlags(*channel);
  if (!options.ok()) return Usage(options.status());
  return RunCommand(args, *options, std::cout, std::cerr);
}

}  // namespace
}  // namespace lienthong::ltctl

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(absl::StrCat(
      "lienthong from the command line:\n  ltctl push "
      "--schedule=schedules/{id} FILE.csv|FILE.json ...\n  ltctl outbox "
      "list|flush\n  ltctl health\n",
      lienthong::ltctl::CommandsUsage()));
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  std::string output = absl::GetFlag(FLAGS_output);
  std::string progress = absl::GetFlag(FLAGS_progress);
  if (args.size() < 2 || (output != "text" && output != "json") ||
      (progress != "auto" && progress != "on" && progress != "off")) {
    std::fprintf(stderr, "usage: ltctl COMMAND [flags] ...; ltctl --help\n");
    return lienthong::ltctl::kUsage;
  }
  std::string command = args[1];
  std::vector<std::string> rest(args.begin() + 2, args.end());
  if (command == "push") return lienthong::ltctl::Push(rest);
  if (command == "outbox") return lienthong::ltctl::OutboxCommand(rest);
  if (command == "health" && rest.empty()) return lienthong::ltctl::Health();
  if (lienthong::ltctl::IsCommandGroup(command)) {
    return lienthong::ltctl::Call(
        std::vector<std::string>(args.begin() + 1, args.end()));
  }
  std::fprintf(stderr, "usage: ltctl COMMAND [flags] ...; commands:\n%s",
               lienthong::ltctl::CommandsUsage().c_str());
  return lienthong::ltctl::kUsage;
}
