#ifndef TOOLS_LTCTL_PUSH_REPORT_H_
#define TOOLS_LTCTL_PUSH_REPORT_H_

// A push's report, for people (text) and for scripts (JSON).

#include <string>

#include "google/protobuf/struct.pb.h"
#include "tools/ltctl/value_push.h"

namespace lienthong::ltctl {

// {"file", "batches", "created", ..., "last_sequence", "problems": [...],
// "batch_errors": [...], "stopped"?}.
google::protobuf::Value ReportJson(const std::string& file,
                                   const PushReport& report);
// The same, as compact JSON text.
std::string ReportJsonText(const std::string& file, const PushReport& report);

// The report as lines of text on stdout.
void PrintText(const std::string& file, const PushReport& report);

}  // namespace lienthong::ltctl

#endif  // TOOLS_LTCTL_PUSH_REPORT_H_
