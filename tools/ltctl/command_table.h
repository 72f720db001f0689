#ifndef TOOLS_LTCTL_COMMAND_TABLE_H_
#define TOOLS_LTCTL_COMMAND_TABLE_H_

// The rows of ltctl's command table and what builds them. A row is typed at
// the table (Unary takes a generated stub's method, so requests and
// responses are checked by the compiler) and run by one generic runner
// (commands.cc) through google::protobuf::Message.

#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_split.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "tools/ltctl/commands.h"
#include "tools/ltctl/response_printer.h"

namespace lienthong::ltctl {

// What a running command has at hand.
struct Invocation {
  const CommandOptions& options;
  std::ostream& out;
  std::ostream& err;
  std::string command;  // its name, for messages

  // A context whose deadline is options.timeout from now.
  std::unique_ptr<grpc::ClientContext> NewContext() const;
  // Prints "ltctl: {command}: {what}" to err and returns `exit_code`.
  int Fail(int exit_code, const std::string& what) const;
  // Reports a failed call (code, message, google.rpc details) and returns its
  // exit status.
  int CallFailed(const grpc::Status& status) const;
};

// A unary method, its request and response types erased.
struct Rpc {
  const google::protobuf::Message* request = nullptr;   // prototype
  const google::protobuf::Message* response = nullptr;  // prototype
  std::function<grpc::Status(
      const std::shared_ptr<grpc::Channel>&, grpc::ClientContext*,
      const google::protobuf::Message&, google::protobuf::Message*)>
      call;
};

// The unary method `method` of a generated stub, e.g.
// Unary(&AdminUnitService::Stub::GetUnit).
template <typename Stub, typename Request, typename Response>
Rpc Unary(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                       Response*)) {
  Rpc rpc;
  rpc.request = &Request::default_instance();
  rpc.response = &Response::default_instance();
  rpc.call = [method](const std::shared_ptr<grpc::Channel>& channel,
                      grpc::ClientContext* context,
                      const google::protobuf::Message& request,
                      google::protobuf::Message* response) {
    Stub stub(channel);
    return (stub.*method)(context, static_cast<const Request&>(request),
                          static_cast<Response*>(response));
  };
  return rpc;
}

// Only a request type, for commands that make their own calls (Command::run).
template <typename Request>
Rpc RequestOf() {
  Rpc rpc;
  rpc.request = &Request::default_instance();
  return rpc;
}

// A step of a command beyond the generic call, on the built request;
// returns 0 to go on, else the exit status.
using Step = std::function<int(const Invocation&, google::protobuf::Message&)>;

// One command: its words, an example, the call, and how the command line
// and the answer map onto the messages. Setters chain.
struct Command {
  Command(std::string name, std::string example, Rpc rpc)
      : name(std::move(name)),
        example(std::move(example)),
        rpc(std::move(rpc)) {}

  // Positional arguments fill `field` (all of them for a repeated one),
  // `prefix` added to those without a '/' ("298" -> "units/298").
  Command& Args(std::string field, std::string prefix = "") {
    positional = std::move(field);
    positional_prefix = std::move(prefix);
    return *this;
  }
  // Accepted flags, space-separated, each "flag" (the field of that name) or
  // "flag=field.path".
  Command& Flags(const std::string& spec) {
    for (absl::string_view item :
         absl::StrSplit(spec, ' ', absl::SkipEmpty())) {
      std::vector<std::string> parts = absl::StrSplit(item, '=');
      flags[parts[0]] = parts.size() > 1 ? parts[1] : parts[0];
    }
    return *this;
  }
  // `field` defaults to the caller's agency, agencies/{code}.
  Command& OwnAgency(std::string field) {
    own_agency = std::move(field);
    return *this;
  }
  // The one positional argument is a file whose bytes fill `field`.
  Command& FileInto(std::string field) {
    file_field = std::move(field);
    return *this;
  }
  // With --out, the response's bytes `field` is written there.
  Command& BytesOut(std::string field) {
    out_field = std::move(field);
    takes_out = true;
    return *this;
  }
  // Text output: one line per element of `list`, with space-separated
  // `columns`.
  Command& Lines(std::string list, const std::string& columns) {
    text.list = std::move(list);
    text.columns = absl::StrSplit(columns, ' ', absl::SkipEmpty());
    return *this;
  }

  std::string name;     // e.g. "units get"
  std::string example;  // e.g. "298"
  Rpc rpc;
  std::string positional;
  std::string positional_prefix;
  std::map<std::string, std::string> flags;  // flag name -> field path
  std::string own_agency;
  std::string file_field;
  std::string out_field;
  TextLayout text;
  bool takes_out = false;          // --out
  bool takes_attachments = false;  // --attach, --sign
  // Before the call: may change the request (uploads, signing).
  Step prepare;
  // Instead of the generic call, for commands of several or streaming calls.
  Step run;
};

// The rows of each area.
void AddRegistryCommands(std::vector<Command>& table);
void AddDocumentCommands(std::vector<Command>& table);
void AddReportingCommands(std::vector<Command>& table);

}  // namespace lienthong::ltctl

#endif  // TOOLS_LTCTL_COMMAND_TABLE_H_
