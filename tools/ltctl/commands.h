#ifndef TOOLS_LTCTL_COMMANDS_H_
#define TOOLS_LTCTL_COMMANDS_H_

// ltctl's commands that call the platform's RPCs: registry (units, agencies,
// indicators, plans, targets, tasks, schedules), documents (send, fetch,
// inbox, statuses, receipts) and reporting (rollups, completeness,
// achievement). Each is one row of a table: a unary method of a generated
// stub, the field its positional arguments fill, the flags it accepts and how
// its answer prints. main parses flags into CommandOptions; nothing here reads
// them.

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/channel.h"

namespace lienthong::ltctl {

// What every command runs with.
struct CommandOptions {
  // The connection to lienthong, with the caller's credentials.
  std::shared_ptr<grpc::Channel> channel;
  // The deadline of each call, from its start.
  absl::Duration timeout = absl::Seconds(30);
  // Print responses in protobuf's JSON mapping rather than text.
  bool json = false;
  // The request in protobuf's JSON mapping, or "@path" of a file holding it;
  // flags and arguments are set on top. Empty for none.
  std::string request;
  // The convenience flags given, by name without dashes ("unit" ->
  // "units/298"); see ConvenienceFlags().
  std::map<std::string, std::string> flags;
  // The caller's agency code (from its certificate), e.g. "DEMO.298.UBND":
  // the default sender, recipient and inbox. Empty on plain text.
  std::string own_agency;
  // documents send: files to upload and attach; whether to sign the envelope
  // with the certificate and key in these PEM files.
  std::vector<std::string> attachments;
  bool sign = false;
  std::string sign_cert_file;
  std::string sign_key_file;
  // Where downloads go (a file, or a directory for documents fetch).
  std::string out;
};

// Runs the command `args` names, e.g. {"units", "get", "298"}, printing its
// answer to `out` and problems to `err`. Returns the exit status (see
// call_status.h): 0, kRejected, kUsage or kStopped.
int RunCommand(const std::vector<std::string>& args,
               const CommandOptions& options, std::ostream& out,
               std::ostream& err);

// Whether `word` starts one of these commands ("units", "rollups", ...).
bool IsCommandGroup(const std::string& word);

// One line per command with an example, for usage messages.
std::string CommandsUsage();

// The flag names CommandOptions::flags may carry, those of every command;
// main defines one flag each.
std::vector<std::string> ConvenienceFlags();

}  // namespace lienthong::ltctl

#endif  // TOOLS_LTCTL_COMMANDS_H_
