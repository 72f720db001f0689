#include "services/documents/delivery_rules.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/status/status_details.h"

namespace lienthong::documents {
namespace {

using v1::DeliveryState;

// Every allowed move (see the table in the header); anything else is refused.
struct Transition {
  DeliveryState from;
  DeliveryState to;
};
constexpr Transition kTransitions[] = {
    {v1::DELIVERY_STATE_UNSPECIFIED, v1::DELIVERY_STATE_ARRIVED},
    {v1::DELIVERY_STATE_ARRIVED, v1::DELIVERY_STATE_REFUSED},
    {v1::DELIVERY_STATE_ARRIVED, v1::DELIVERY_STATE_ACCEPTED},
    {v1::DELIVERY_STATE_ACCEPTED, v1::DELIVERY_STATE_ASSIGNED},
    {v1::DELIVERY_STATE_ACCEPTED, v1::DELIVERY_STATE_HANDLING},
    {v1::DELIVERY_STATE_ACCEPTED, v1::DELIVERY_STATE_DONE},
    {v1::DELIVERY_STATE_ASSIGNED, v1::DELIVERY_STATE_HANDLING},
    {v1::DELIVERY_STATE_ASSIGNED, v1::DELIVERY_STATE_DONE},
    {v1::DELIVERY_STATE_HANDLING, v1::DELIVERY_STATE_DONE},
    // The sender may ask for the document back while the recipient holds it.
    {v1::DELIVERY_STATE_ARRIVED, v1::DELIVERY_STATE_TAKE_BACK_REQUESTED},
    {v1::DELIVERY_STATE_ACCEPTED, v1::DELIVERY_STATE_TAKE_BACK_REQUESTED},
    {v1::DELIVERY_STATE_ASSIGNED, v1::DELIVERY_STATE_TAKE_BACK_REQUESTED},
    {v1::DELIVERY_STATE_HANDLING, v1::DELIVERY_STATE_TAKE_BACK_REQUESTED},
    {v1::DELIVERY_STATE_TAKE_BACK_REQUESTED,
     v1::DELIVERY_STATE_TAKE_BACK_AGREED},
    {v1::DELIVERY_STATE_TAKE_BACK_REQUESTED,
     v1::DELIVERY_STATE_TAKE_BACK_REFUSED},
    // The take-back failed, so the recipient goes on handling the document.
    {v1::DELIVERY_STATE_TAKE_BACK_REFUSED, v1::DELIVERY_STATE_ASSIGNED},
    {v1::DELIVERY_STATE_TAKE_BACK_REFUSED, v1::DELIVERY_STATE_HANDLING},
    {v1::DELIVERY_STATE_TAKE_BACK_REFUSED, v1::DELIVERY_STATE_DONE},
};

// The edXML code where there is one, else the enum name, so error metadata
// never holds an empty value.
std::string Describe(DeliveryState state) {
  std::string code = EdxmlStatusCode(state);
  return code.empty() ? v1::DeliveryState_Name(state) : code;
}

absl::Status UnknownState(DeliveryState state) {
  return WithErrorInfo(absl::InvalidArgumentError(absl::StrCat(
                           "unknown delivery state ", static_cast<int>(state))),
                       "UNKNOWN_DELIVERY_STATE",
                       {{"state", absl::StrCat(static_cast<int>(state))}});
}

}  // namespace

absl::Status CheckTransition(DeliveryState from, DeliveryState to) {
  for (DeliveryState state : {from, to}) {
    if (!v1::DeliveryState_IsValid(state)) return UnknownState(state);
  }
  const std::map<std::string, std::string> metadata = {{"from", Describe(from)},
                                                       {"to", Describe(to)}};
  if (from == to) {
    return WithErrorInfo(
        absl::FailedPreconditionError(
            absl::StrCat("the delivery is already in state ", Describe(from))),
        "DELIVERY_STATE_UNCHANGED", metadata);
  }
  for (const Transition& allowed : kTransitions) {
    if (allowed.from == from && allowed.to == to) return absl::OkStatus();
  }
  return WithErrorInfo(absl::FailedPreconditionError(
                           absl::StrCat("a delivery cannot go from status ",
                                        Describe(from), " to ", Describe(to))),
                       "ILLEGAL_STATUS_TRANSITION", metadata);
}

bool IsFinal(DeliveryState state) {
  if (!v1::DeliveryState_IsValid(state)) return false;
  for (const Transition& allowed : kTransitions) {
    if (allowed.from == state) return false;
  }
  return true;
}

std::string EdxmlStatusCode(DeliveryState state) {
  // The enum numbers are the edXML codes by design.
  if (state == v1::DELIVERY_STATE_UNSPECIFIED ||
      !v1::DeliveryState_IsValid(state)) {
    return "";
  }
  int number = static_cast<int>(state);
  return absl::StrCat(number < 10 ? "0" : "", number);
}

absl::StatusOr<DeliveryState> StateFromEdxmlCode(absl::string_view code) {
  int number = 0;
  // Exactly two digits: "3" or "+3" are not codes.
  if (code.size() == 2 && absl::ascii_isdigit(code[0]) &&
      absl::ascii_isdigit(code[1])) {
    number = (code[0] - '0') * 10 + (code[1] - '0');
  }
  if (number == 0 || !v1::DeliveryState_IsValid(number)) {
    return WithErrorInfo(absl::InvalidArgumentError(absl::StrCat(
                             "\"", code, "\" is not an edXML status code")),
                         "UNKNOWN_STATUS_CODE", {{"code", std::string(code)}});
  }
  return static_cast<DeliveryState>(number);
}

absl::Status CheckTargetAllows(v1::BusinessType type,
                               DeliveryState target_state) {
  if (!v1::BusinessType_IsValid(type)) {
    return WithErrorInfo(
        absl::InvalidArgumentError(
            absl::StrCat("unknown business type ", static_cast<int>(type))),
        "UNKNOWN_BUSINESS_TYPE",
        {{"business_type", absl::StrCat(static_cast<int>(type))}});
  }
  if (!v1::DeliveryState_IsValid(target_state)) {
    return UnknownState(target_state);
  }
  if (type == v1::BUSINESS_TYPE_UNSPECIFIED || type == v1::BUSINESS_TYPE_NEW) {
    return absl::OkStatus();
  }
  const std::map<std::string, std::string> metadata = {
      {"business_type", v1::BusinessType_Name(type)},
      {"state", Describe(target_state)}};
  switch (target_state) {
    case v1::DELIVERY_STATE_DONE:
      return WithErrorInfo(
          absl::FailedPreconditionError(absl::StrCat(
              v1::BusinessType_Name(type),
              " of a document the recipient has already handled (06)")),
          "DOCUMENT_ALREADY_DONE", metadata);
    case v1::DELIVERY_STATE_REFUSED:
    case v1::DELIVERY_STATE_TAKE_BACK_AGREED:
      return WithErrorInfo(absl::FailedPreconditionError(absl::StrCat(
                               v1::BusinessType_Name(type),
                               " of a document the recipient does not hold (",
                               Describe(target_state), ")")),
                           "DOCUMENT_NOT_DELIVERED", metadata);
    default:
      return absl::OkStatus();
  }
}

}  // namespace lienthong::documents
