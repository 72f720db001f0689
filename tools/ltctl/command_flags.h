#ifndef TOOLS_LTCTL_COMMAND_FLAGS_H_
#define TOOLS_LTCTL_COMMAND_FLAGS_H_

// The flags of ltctl's RPC commands (commands.h), read into CommandOptions.
// Part of the binary, beside main: the command library never reads flags.

#include <memory>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "tools/ltctl/commands.h"

namespace lienthong::ltctl {

// CommandOptions from the command line, calling over `channel`. The caller's
// agency comes from the --cert certificate, when there is one.
// INVALID_ARGUMENT for an unusable flag value.
absl::StatusOr<CommandOptions> CommandOptionsFromFlags(
    std::shared_ptr<grpc::Channel> channel);

}  // namespace lienthong::ltctl

#endif  // TOOLS_LTCTL_COMMAND_FLAGS_H_
