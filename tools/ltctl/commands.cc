#include "tools/ltctl/commands.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "libs/file/read_file.h"
#include "libs/status/grpc_status.h"
#include "tools/ltctl/call_status.h"
#include "tools/ltctl/command_table.h"
#include "tools/ltctl/request_fields.h"

namespace lienthong::ltctl {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Flags that name a resource, with its collection: --unit=298 means
// units/298, as the contract spells it.
std::string PrefixOf(const std::string& flag) {
  static constexpr std::pair<const char*, const char*> kPrefixes[] = {
      {"unit", "units/"},         {"indicator", "indicators/"},
      {"schedule", "schedules/"}, {"plan", "plans/"},
      {"agency", "agencies/"},    {"document", "documents/"}};
  for (const auto& [name, prefix] : kPrefixes) {
    if (flag == name) return prefix;
  }
  return "";
}

// Flags every command whose request has a field of that name accepts.
constexpr const char* kCommonFlags[] = {"request_id", "page_size",
                                        "page_token"};

std::vector<Command> Table() {
  std::vector<Command> table;
  AddRegistryCommands(table);
  AddDocumentCommands(table);
  AddReportingCommands(table);
  return table;
}

// The command with the most words matching the start of `args`.
const Command* Find(const std::vector<Command>& table,
                    const std::vector<std::string>& args, size_t& words) {
  const Command* best = nullptr;
  words = 0;
  for (const Command& command : table) {
    std::vector<std::string> name = absl::StrSplit(command.name, ' ');
    if (name.size() <= words || name.size() > args.size()) continue;
    if (std::equal(name.begin(), name.end(), args.begin())) {
      best = &command;
      words = name.size();
    }
  }
  return best;
}

std::string Usage(const std::vector<Command>& table, const std::string& group) {
  std::string usage;
  for (const Command& command : table) {
    if (!group.empty() &&
        command.name.substr(0, command.name.find(' ')) != group) {
      continue;
    }
    absl::StrAppend(&usage, "  ltctl ", command.name, " ", command.example,
                    "\n");
  }
  return usage;
}

// `values` with the flag's collection before each bare id.
std::vector<std::string> WithPrefix(std::vector<std::string> values,
                                    const std::string& prefix) {
  for (std::string& value : values) {
    if (!prefix.empty() && value.find('/') == std::string::npos) {
      value = prefix + value;
    }
  }
  return values;
}

// Fills `request` from --request, the positional arguments and the flags, in
// that order (later ones win); 0, or the exit status after a message.
int BuildRequest(const Command& command, const std::vector<std::string>& args,
                 const Invocation& run, Message& request) {
  const CommandOptions& options = run.options;
  if (absl::Status parsed = ParseRequest(options.request, request);
      !parsed.ok()) {
    return run.Fail(absl::IsNotFound(parsed) ? kStopped : kUsage,
                    std::string(parsed.message()));
  }
  if (!command.file_field.empty()) {
    if (args.size() != 1) return run.Fail(kUsage, "takes one FILE");
    absl::StatusOr<std::string> content = ReadFile(args[0]);
    if (!content.ok()) {
      return run.Fail(kStopped, std::string(content.status().message()));
    }
    if (absl::Status set = SetField(request, command.file_field, {*content});
        !set.ok()) {
      return run.Fail(kUsage, std::string(set.message()));
    }
  } else if (!args.empty()) {
    if (command.positional.empty()) {
      return run.Fail(
          kUsage, absl::StrCat("takes no arguments, not \"", args[0], "\""));
    }
    if (absl::Status set =
            SetField(request, command.positional,
                     WithPrefix(args, command.positional_prefix));
        !set.ok()) {
      return run.Fail(kUsage, std::string(set.message()));
    }
  }
  for (const auto& [flag, value] : options.flags) {
    std::string path;
    if (auto it = command.flags.find(flag); it != command.flags.end()) {
      path = it->second;
    } else if (std::find(std::begin(kCommonFlags), std::end(kCommonFlags),
                         flag) != std::end(kCommonFlags) &&
               request.GetDescriptor()->FindFieldByName(flag) != nullptr) {
      path = flag;
    } else {
      return run.Fail(kUsage, absl::StrCat("--", flag, " does not apply"));
    }
    absl::StatusOr<const FieldDescriptor*> field =
        FindField(*request.GetDescriptor(), path);
    std::vector<std::string> values = {value};
    if (field.ok() && (*field)->is_repeated()) {
      values = absl::StrSplit(value, ',', absl::SkipEmpty());
    }
    if (absl::Status set =
            SetField(request, path, WithPrefix(values, PrefixOf(flag)));
        !set.ok()) {
      return run.Fail(kUsage, absl::StrCat("--", flag, ": ", set.message()));
    }
  }
  if (!command.own_agency.empty() && !options.own_agency.empty() &&
      !IsFieldSet(request, command.own_agency)) {
    absl::Status set =
        SetField(request, command.own_agency,
                 {absl::StrCat("agencies/", options.own_agency)});
    if (!set.ok()) return run.Fail(kUsage, std::string(set.message()));
  }
  return 0;
}

// Writes the response's bytes field to --out and clears it, so the rest
// prints.
int WriteBytesOut(const Invocation& run, const std::string& field,
                  Message& response) {
  const FieldDescriptor* descriptor =
      response.GetDescriptor()->FindFieldByName(field);
  const std::string bytes =
      response.GetReflection()->GetString(response, descriptor);
  std::ofstream file(run.options.out, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  file.close();
  if (!file) {
    return run.Fail(kStopped, absl::StrCat("cannot write ", run.options.out));
  }
  response.GetReflection()->ClearField(&response, descriptor);
  run.err << "wrote " << bytes.size() << " bytes to " << run.options.out
          << "\n";
  return 0;
}

}  // namespace

std::unique_ptr<grpc::ClientContext> Invocation::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + options.timeout));
  return context;
}

int Invocation::Fail(int exit_code, const std::string& what) const {
  err << "ltctl: " << command << ": " << what << "\n";
  return exit_code;
}

int Invocation::CallFailed(const grpc::Status& status) const {
  absl::Status failed = FromGrpcStatus(status);
  Fail(0, DescribeError(failed));
  return ExitCodeOf(failed.code());
}

int RunCommand(const std::vector<std::string>& args,
               const CommandOptions& options, std::ostream& out,
               std::ostream& err) {
  const std::vector<Command> table = Table();
  size_t words = 0;
  const Command* command = Find(table, args, words);
  if (command == nullptr) {
    std::string group = args.empty() ? "" : args[0];
    std::string usage = Usage(table, group);
    err << "ltctl: unknown command \"" << absl::StrJoin(args, " ")
        << "\"; try:\n"
        << (usage.empty() ? Usage(table, "") : usage);
    return kUsage;
  }
  const Invocation run{options, out, err, command->name};
  if (!options.out.empty() && !command->takes_out) {
    return run.Fail(kUsage, "--out does not apply");
  }
  if ((!options.attachments.empty() || options.sign) &&
      !command->takes_attachments) {
    return run.Fail(kUsage, "--attach and --sign are for documents send");
  }
  if (options.channel == nullptr) return run.Fail(kUsage, "no server");
  std::unique_ptr<Message> request(command->rpc.request->New());
  const std::vector<std::string> rest(args.begin() + words, args.end());
  if (int code = BuildRequest(*command, rest, run, *request); code != 0) {
    return code;
  }
  if (command->run) return command->run(run, *request);
  if (command->prepare) {
    if (int code = command->prepare(run, *request); code != 0) return code;
  }
  std::unique_ptr<Message> response(command->rpc.response->New());
  std::unique_ptr<grpc::ClientContext> context = run.NewContext();
  grpc::Status status = command->rpc.call(options.channel, context.get(),
                                          *request, response.get());
  if (!status.ok()) return run.CallFailed(status);
  if (!command->out_field.empty() && !options.out.empty()) {
    if (int code = WriteBytesOut(run, command->out_field, *response);
        code != 0) {
      return code;
    }
  }
  PrintResponse(*response, options.json, command->text, out, err);
  return 0;
}

bool IsCommandGroup(const std::string& word) {
  for (const Command& command : Table()) {
    if (command.name.substr(0, command.name.find(' ')) == word) return true;
  }
  return false;
}

std::string CommandsUsage() { return Usage(Table(), ""); }

std::vector<std::string> ConvenienceFlags() {
  std::set<std::string> names(std::begin(kCommonFlags), std::end(kCommonFlags));
  for (const Command& command : Table()) {
    for (const auto& [flag, path] : command.flags) names.insert(flag);
  }
  return std::vector<std::string>(names.begin(), names.end());
}

}  // namespace lienthong::ltctl
