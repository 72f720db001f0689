// DocumentExchange: recipients' status updates, receipts and inboxes.

#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"
#include "services/documents/delivery_rules.h"
#include "services/documents/document_exchange.h"
#include "services/documents/document_names.h"
#include "services/documents/document_store.h"
#include "services/documents/receipt.h"

namespace lienthong::documents {
namespace {

// The recipient's answer to a revoke, update or replace, as the state of the
// earlier document's delivery: accepting it agrees (15), refusing it refuses
// (16).
v1::DeliveryState AnswerOnTarget(v1::DeliveryState answer) {
  if (answer == v1::DELIVERY_STATE_ACCEPTED) {
    return v1::DELIVERY_STATE_TAKE_BACK_AGREED;
  }
  if (answer == v1::DELIVERY_STATE_REFUSED) {
    return v1::DELIVERY_STATE_TAKE_BACK_REFUSED;
  }
  return v1::DELIVERY_STATE_UNSPECIFIED;
}

absl::StatusOr<int> PageSize(int32_t requested) {
  if (requested < 0 || requested > 1000) {
    return InvalidArgumentWithViolations("invalid page size",
                                         "INVALID_PAGE_SIZE",
                                         {{"page_size", "must be 0-1000"}});
  }
  return requested == 0 ? 100 : requested;
}

}  // namespace

absl::StatusOr<v1::Document> DocumentExchange::UpdateStatus(
    const std::string& caller, const v1::UpdateDeliveryStatusRequest& request) {
  std::vector<FieldViolation> violations;
  absl::StatusOr<std::string> id = DocumentIdOf(request.document());
  if (!id.ok()) violations.push_back({"document", "must be documents/{id}"});
  absl::StatusOr<std::string> recipient =
      AgencyCodeOf(request.recipient(), "recipient");
  if (!recipient.ok()) {
    violations.push_back({"recipient", "must be agencies/{code}"});
  }
  if (EdxmlStatusCode(request.state()).empty()) {
    violations.push_back({"state", "must be an edXML status"});
  } else if (request.state() == v1::DELIVERY_STATE_TAKE_BACK_REQUESTED) {
    violations.push_back(
        {"state", "13 is the sender's: it comes with a revoke or update"});
  }
  if (request.request_id().size() > 128) {
    violations.push_back({"request_id", "is longer than 128 characters"});
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid status update",
                                         "INVALID_STATUS_UPDATE", violations);
  }
  if (absl::Status own = CheckCallersAgency(caller, *recipient); !own.ok()) {
    return own;
  }
  absl::StatusOr<v1::Document> document = store_->Get(*id);
  if (!document.ok()) return document.status();
  absl::StatusOr<v1::Delivery> delivery =
      DeliveryTo(*document, request.recipient());
  if (!delivery.ok()) return delivery.status();
  if (delivery->state() == request.state()) {
    // Reported already (a retry): harmless.
    return OnlyDeliveryTo(*std::move(document), request.recipient());
  }
  if (absl::Status allowed =
          CheckTransition(delivery->state(), request.state());
      !allowed.ok()) {
    return allowed;
  }
  const absl::Time now = clock_->Now();
  StatusUpdate update;
  update.recipient = request.recipient();
  update.request_id = request.request_id();
  TraceAppend append;
  append.document_id = *id;
  append.recipient = request.recipient();
  append.expected = delivery->state();
  append.entry.set_state(request.state());
  append.entry.set_reported_by(request.recipient());
  *append.entry.mutable_time() = ToTimestamp(now);
  append.entry.set_note(request.note());
  append.entry.set_handler(request.handler());
  update.appends.push_back(append);
  // Answering a revoke, update or replace answers the earlier document's
  // take-back request too.
  const v1::DeliveryState answer = AnswerOnTarget(request.state());
  if (!document->target_document().empty() &&
      answer != v1::DELIVERY_STATE_UNSPECIFIED) {
    const std::string target_id = *DocumentIdOf(document->target_document());
    absl::StatusOr<v1::Document> target = store_->Get(target_id);
    if (!target.ok()) return target.status();
    absl::StatusOr<v1::Delivery> earlier =
        DeliveryTo(*target, request.recipient());
    if (earlier.ok() &&
        earlier->state() == v1::DELIVERY_STATE_TAKE_BACK_REQUESTED) {
      TraceAppend on_target = append;
      on_target.document_id = target_id;
      on_target.expected = earlier->state();
      on_target.entry.set_state(answer);
      on_target.entry.set_note(absl::StrCat("answer to ", document->name(),
                                            request.note().empty() ? "" : ": ",
                                            request.note()));
      update.appends.push_back(std::move(on_target));
    }
  }
  if (request.state() == v1::DELIVERY_STATE_ACCEPTED) {
    absl::StatusOr<std::string> envelope = store_->EnvelopeSha256(*id);
    if (!envelope.ok()) return envelope.status();
    v1::Receipt receipt;
    receipt.set_document(document->name());
    receipt.set_envelope_sha256(*envelope);
    *receipt.mutable_receive_time() = document->create_time();
    receipt.set_recipient(request.recipient());
    *receipt.mutable_accept_time() = ToTimestamp(now);
    if (absl::Status signed_ = receipts_->Sign(receipt); !signed_.ok()) {
      return signed_;
    }
    update.receipt = std::move(receipt);
  }
  absl::StatusOr<bool> applied = store_->ApplyStatus(update);
  if (!applied.ok()) return applied.status();
  document = store_->Get(*id);
  if (!document.ok()) return document.status();
  return OnlyDeliveryTo(*std::move(document), request.recipient());
}

absl::StatusOr<v1::Receipt> DocumentExchange::GetReceipt(
    const std::string& caller, const v1::GetReceiptRequest& request) {
  absl::StatusOr<std::string> id = DocumentIdOf(request.document());
  if (!id.ok()) return id.status();
  std::string recipient = request.recipient();
  if (recipient.empty()) {
    if (caller.empty()) {
      return InvalidArgumentWithViolations(
          "which recipient's receipt?", "INVALID_RECEIPT_REQUEST",
          {{"recipient", "is required without a client identity"}});
    }
    recipient = AgencyName(caller);
  }
  absl::StatusOr<std::string> code = AgencyCodeOf(recipient, "recipient");
  if (!code.ok()) return code.status();
  absl::StatusOr<v1::Document> document = store_->Get(*id);
  if (!document.ok()) return document.status();
  // The recipient and the sender may read it.
  if (!CheckCallersAgency(caller, *code).ok()) {
    if (absl::Status sender =
            CheckCallersAgency(caller, document->header().from().organ_id());
        !sender.ok()) {
      return sender;
    }
  }
  return store_->GetReceipt(*id, recipient);
}

absl::StatusOr<v1::ListInboxResponse> DocumentExchange::ListInbox(
    const std::string& caller, const v1::ListInboxRequest& request) {
  absl::StatusOr<std::string> code =
      AgencyCodeOf(request.recipient(), "recipient");
  if (!code.ok()) return code.status();
  absl::StatusOr<int> limit = PageSize(request.page_size());
  if (!limit.ok()) return limit.status();
  int64_t after = 0;
  if (!request.page_token().empty() &&
      (!absl::SimpleAtoi(request.page_token(), &after) || after < 0)) {
    return InvalidArgumentWithViolations(
        "invalid page token", "INVALID_PAGE_TOKEN",
        {{"page_token", "is not a token this server gave"}});
  }
  if (absl::Status own = CheckCallersAgency(caller, *code); !own.ok()) {
    return own;
  }
  absl::StatusOr<std::vector<StoredInboxEntry>> entries =
      store_->ListInbox(request.recipient(), after, *limit);
  if (!entries.ok()) return entries.status();
  v1::ListInboxResponse response;
  for (const StoredInboxEntry& stored : *entries) {
    absl::StatusOr<v1::Document> document = store_->Get(stored.document_id);
    if (!document.ok()) return document.status();
    v1::InboxEntry* entry = response.add_entries();
    entry->set_entry_id(absl::StrCat(stored.entry_id));
    *entry->mutable_document() =
        OnlyDeliveryTo(*std::move(document), request.recipient());
    entry->set_redeliveries(stored.redeliveries);
  }
  if (static_cast<int>(entries->size()) == *limit) {
    response.set_next_page_token(absl::StrCat(entries->back().entry_id));
  }
  return response;
}

absl::StatusOr<std::vector<v1::InboxEntry>> DocumentExchange::InboxAfter(
    const std::string& caller, const std::string& recipient,
    int64_t& after_entry) {
  v1::ListInboxRequest request;
  request.set_recipient(recipient);
  request.set_page_token(absl::StrCat(after_entry));
  absl::StatusOr<v1::ListInboxResponse> page = ListInbox(caller, request);
  if (!page.ok()) return page.status();
  std::vector<v1::InboxEntry> entries(page->entries().begin(),
                                      page->entries().end());
  if (!entries.empty()) {
    absl::SimpleAtoi(entries.back().entry_id(), &after_entry);
  }
  return entries;
}

absl::StatusOr<v1::AcknowledgeInboxResponse> DocumentExchange::Acknowledge(
    const std::string& caller, const v1::AcknowledgeInboxRequest& request) {
  absl::StatusOr<std::string> code =
      AgencyCodeOf(request.recipient(), "recipient");
  if (!code.ok()) return code.status();
  std::vector<int64_t> ids;
  std::vector<FieldViolation> violations;
  for (int i = 0; i < request.entry_ids_size(); ++i) {
    int64_t id = 0;
    if (!absl::SimpleAtoi(request.entry_ids(i), &id) || id <= 0) {
      violations.push_back({absl::StrCat("entry_ids[", i, "]"),
                            "is not an entry id this server gave"});
    }
    ids.push_back(id);
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid entry ids",
                                         "INVALID_ENTRY_ID", violations);
  }
  if (absl::Status own = CheckCallersAgency(caller, *code); !own.ok()) {
    return own;
  }
  absl::StatusOr<int> acknowledged =
      store_->Acknowledge(request.recipient(), ids);
  if (!acknowledged.ok()) return acknowledged.status();
  v1::AcknowledgeInboxResponse response;
  response.set_acknowledged(*acknowledged);
  return response;
}

}  // namespace lienthong::documents
