#include "libs/audit/audit_chain.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "libs/pki/key_material.h"

namespace lienthong::audit {
namespace {

void AppendField(std::string& out, absl::string_view field) {
  absl::StrAppend(&out, field.size(), ":", field, ";");
}

}  // namespace

std::string EntryHash(const AuditEntry& entry) {
  std::string encoded = "lienthong-audit-v1;";
  AppendField(encoded, entry.previous_hash);
  AppendField(encoded, absl::StrCat(entry.sequence));
  AppendField(encoded, absl::StrCat(absl::ToUnixMicros(entry.time)));
  const AuditEvent& event = entry.event;
  for (const std::string* field :
       {&event.agency, &event.role, &event.peer, &event.method,
        &event.request_id, &event.request_sha256, &event.result_code,
        &event.result_message, &event.result_reason}) {
    AppendField(encoded, *field);
  }
  return pki::Sha256Hex(encoded);
}

bool AuditChainVerifier::Fail(const char* failure, int64_t sequence) {
  result_.intact = false;
  result_.failure = failure;
  result_.failure_sequence = sequence;
  return false;
}

bool AuditChainVerifier::Add(const AuditEntry& entry) {
  if (!result_.intact) return false;
  const int64_t expected = result_.head_sequence + 1;
  if (entry.sequence <= result_.head_sequence) {
    return Fail("REORDERED", entry.sequence);
  }
  if (entry.sequence != expected) return Fail("REMOVED", expected);
  if (entry.previous_hash != result_.head_hash) {
    return Fail("UNLINKED", entry.sequence);
  }
  if (EntryHash(entry) != entry.hash) return Fail("ALTERED", entry.sequence);
  if (entry.sequence == anchor_.sequence) {
    anchor_seen_ = true;
    if (entry.hash != anchor_.hash) {
      return Fail("ANCHOR_MISMATCH", entry.sequence);
    }
  }
  ++result_.records;
  result_.head_sequence = entry.sequence;
  result_.head_hash = entry.hash;
  return true;
}

AuditVerification AuditChainVerifier::Finish() const {
  AuditVerification result = result_;
  if (result.intact && anchor_.sequence > 0 && !anchor_seen_) {
    result.intact = false;
    result.failure = "ANCHOR_MISSING";
    result.failure_sequence = anchor_.sequence;
  }
  return result;
}

}  // namespace lienthong::audit
