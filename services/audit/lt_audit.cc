// lt-audit verify: recomputes the hash chain of an audit log file and reports
// the first record that was altered, removed or reordered. Exit status 0 when
// intact, 1 when tampered with, 2 when the file cannot be read.
//
//   lt-audit verify --db var/audit.db [--anchor 1234:9f86d08...]

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "libs/audit/audit_log.h"
#include "libs/audit/sqlite_audit_store.h"

ABSL_FLAG(std::string, db, "var/audit.db", "the audit log file to verify");
ABSL_FLAG(std::string, anchor, "",
          "SEQUENCE:HASH of a record noted earlier, which must still be there "
          "unchanged (catches a rewritten or truncated tail)");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "lt-audit verify --db FILE [--anchor SEQUENCE:HASH]");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() != 2 || std::string(args[1]) != "verify") {
    std::fprintf(stderr,
                 "usage: lt-audit verify --db FILE [--anchor SEQ:HASH]\n");
    return 2;
  }
  lienthong::audit::AuditAnchor anchor;
  const std::string anchor_flag = absl::GetFlag(FLAGS_anchor);
  if (!anchor_flag.empty()) {
    std::vector<std::string> parts = absl::StrSplit(anchor_flag, ':');
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &anchor.sequence) ||
        anchor.sequence <= 0 || parts[1].empty()) {
      std::fprintf(stderr, "--anchor must be SEQUENCE:HASH\n");
      return 2;
    }
    anchor.hash = parts[1];
  }
  const std::string path = absl::GetFlag(FLAGS_db);
  if (!std::filesystem::exists(path)) {
    std::fprintf(stderr, "no audit log at %s\n", path.c_str());
    return 2;
  }
  auto store = lienthong::audit::SqliteAuditStore::Open(path);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 2;
  }
  auto verified = lienthong::audit::VerifyAuditStore(**store, anchor);
  if (!verified.ok()) {
    std::fprintf(stderr, "%s\n", verified.status().ToString().c_str());
    return 2;
  }
  std::printf(
      "{\"intact\": %s, \"records_checked\": %lld, \"head_sequence\": %lld, "
      "\"head_hash\": \"%s\", \"failure\": \"%s\", \"failure_sequence\": "
      "%lld}\n",
      verified->intact ? "true" : "false",
      static_cast<long long>(verified->records),
      static_cast<long long>(verified->head_sequence),
      verified->head_hash.c_str(), verified->failure.c_str(),
      static_cast<long long>(verified->failure_sequence));
  return verified->intact ? 0 : 1;
}
