#ifndef LIBS_AUDIT_AUDIT_ENTRY_H_
#define LIBS_AUDIT_AUDIT_ENTRY_H_

// One record of the audit log: who did what, when, under which request_id, and
// how it ended, linked to the record before it by hash.

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace lienthong::audit {

// What the caller asked for and how it ended; the log adds the rest.
struct AuditEvent {
  std::string agency;  // the caller's agency code; "" for the platform itself
  std::string role;    // "system", "operator", "auditor" or "platform"
  std::string peer;    // transport address, e.g. "ipv4:10.1.2.3:53312"
  std::string method;  // full gRPC method, e.g. "/pkg.Service/CreateUnit"
  std::string request_id;      // the request's request_id field, if any
  std::string request_sha256;  // hex SHA-256 of the request message(s)
  std::string result_code;     // gRPC code name, e.g. "OK", "NOT_FOUND"
  std::string result_message;  // the error message; "" when OK
  std::string result_reason;   // the error's ErrorInfo reason, if any
};

struct AuditEntry {
  int64_t sequence = 0;  // 1, 2, 3, ... in append order
  absl::Time time;       // when the call ended, by the server's clock
  AuditEvent event;
  std::string previous_hash;  // hex SHA-256 of the record before; "" first
  std::string hash;           // hex SHA-256 over previous_hash and the rest
};

}  // namespace lienthong::audit

#endif  // LIBS_AUDIT_AUDIT_ENTRY_H_
