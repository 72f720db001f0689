#include "libs/audit/mutating_methods.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace lienthong::audit {

bool IsMutatingMethod(absl::string_view method) {
  if (absl::StartsWith(method, "/grpc.")) return false;
  size_t slash = method.rfind('/');
  absl::string_view name =
      slash == absl::string_view::npos ? method : method.substr(slash + 1);
  for (absl::string_view read_verb :
       {"Get", "List", "Watch", "Query", "Export", "Summarize", "Resolve",
        "Download", "Verify"}) {
    if (absl::StartsWith(name, read_verb) && name.size() > read_verb.size() &&
        absl::ascii_isupper(name[read_verb.size()])) {
      return false;
    }
  }
  return true;
}

}  // namespace lienthong::audit
