#ifndef LIBS_AUDIT_MUTATING_METHODS_H_
#define LIBS_AUDIT_MUTATING_METHODS_H_

// Which RPCs change state, and so are audited. The contract names its RPCs in
// the AIP style, so a read starts with a read verb (Get, List, Watch, ...);
// anything else counts as a mutation, so a new RPC is audited unless it is
// plainly a read.

#include "absl/strings/string_view.h"

namespace lienthong::audit {

// `method` is the full gRPC method, "/package.Service/Method". Health and
// reflection are never mutations.
bool IsMutatingMethod(absl::string_view method);

}  // namespace lienthong::audit

#endif  // LIBS_AUDIT_MUTATING_METHODS_H_
