#ifndef SERVICES_DOCUMENTS_DELIVERY_RULES_H_
#define SERVICES_DOCUMENTS_DELIVERY_RULES_H_

// The edXML per-recipient status machine (QCVN 102:2016, status codes 01-16)
// and what it means for sendings that act on an earlier document. Pure logic:
// no storage, no clock.
//
//   from                       allowed to
//   (sent, UNSPECIFIED)        01 arrived
//   01 arrived                 02 refused, 03 accepted, 13
//   03 accepted                04 assigned, 05 handling, 06 done, 13
//   04 assigned                05, 06, 13
//   05 handling                06, 13
//   13 take-back requested     15 take-back agreed, 16 take-back refused
//   16 take-back refused       04, 05, 06 (the recipient carries on)
//
// 02, 06 and 15 are final. Accepted may skip straight to handling or done,
// assigned to done: agencies do not always report every step.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "lienthong/documents/v1/document.pb.h"

namespace lienthong::documents {

// OK when a recipient may go from `from` to `to`. Otherwise
// FAILED_PRECONDITION with reason ILLEGAL_STATUS_TRANSITION, or
// DELIVERY_STATE_UNCHANGED when they are equal (callers that want repeats to
// be harmless check for that first); metadata {"from", "to"} holds edXML
// codes. INVALID_ARGUMENT UNKNOWN_DELIVERY_STATE for a value outside the enum.
absl::Status CheckTransition(v1::DeliveryState from, v1::DeliveryState to);

// Whether no transition leaves `state` (refused, done, take-back agreed).
bool IsFinal(v1::DeliveryState state);

// The two-digit edXML status code of `state`, e.g. "03"; "" for UNSPECIFIED
// (sent, not yet arrived: edXML has no code for it) and unknown values.
std::string EdxmlStatusCode(v1::DeliveryState state);

// The state an edXML status code names; INVALID_ARGUMENT with reason
// UNKNOWN_STATUS_CODE for anything but the nine codes.
absl::StatusOr<v1::DeliveryState> StateFromEdxmlCode(absl::string_view code);

// OK when a sending of `type` may act on an earlier document whose delivery to
// one recipient is in `target_state`. REVOKE, UPDATE and REPLACE are refused
// (FAILED_PRECONDITION) once that recipient is done (DOCUMENT_ALREADY_DONE) or
// never took the document (refused or taken back: DOCUMENT_NOT_DELIVERED).
// NEW sendings have no earlier document, so nothing limits them.
// INVALID_ARGUMENT UNKNOWN_BUSINESS_TYPE / UNKNOWN_DELIVERY_STATE for values
// outside the enums.
absl::Status CheckTargetAllows(v1::BusinessType type,
                               v1::DeliveryState target_state);

}  // namespace lienthong::documents

#endif  // SERVICES_DOCUMENTS_DELIVERY_RULES_H_
