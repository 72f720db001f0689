#include "services/documents/document_exchange.h"

#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/time_util.h"
#include "libs/clock/clock.h"
#include "libs/pki/cms_signature.h"
#include "libs/pki/key_material.h"
#include "libs/status/status_details.h"
#include "services/documents/delivery_rules.h"
#include "services/documents/document_names.h"
#include "services/documents/document_store.h"
#include "services/documents/edxml_package.h"
#include "services/documents/receipt.h"

namespace lienthong::documents {
namespace {

// A fresh document id: 128 random bits in hex.
std::string NewDocumentId() {
  absl::BitGen random;
  return absl::StrFormat("%016x%016x", absl::Uniform<uint64_t>(random),
                         absl::Uniform<uint64_t>(random));
}

// What a well-formed envelope needs, as field violations.
std::vector<FieldViolation> EnvelopeViolations(const v1::Document& document,
                                               int max_recipients) {
  std::vector<FieldViolation> violations;
  const v1::MessageHeader& header = document.header();
  if (header.from().organ_id().empty()) {
    violations.push_back({"document.header.from.organ_id", "is required"});
  }
  if (header.to().empty()) {
    violations.push_back(
        {"document.header.to", "needs at least one recipient"});
  }
  if (header.to_size() > max_recipients) {
    // Checked first, so an oversized list costs nothing more.
    violations.push_back(
        {"document.header.to",
         absl::StrCat("has more than ", max_recipients, " recipients")});
    return violations;
  }
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < header.to_size(); ++i) {
    const std::string& code = header.to(i).organ_id();
    const std::string field = absl::StrCat("document.header.to[", i, "]");
    if (code.empty()) {
      violations.push_back({field + ".organ_id", "is required"});
    } else if (code == header.from().organ_id()) {
      violations.push_back({field + ".organ_id", "is the sender itself"});
    } else if (!seen.insert(code).second) {
      violations.push_back({field + ".organ_id", "is listed twice"});
    }
  }
  if (header.subject().empty()) {
    violations.push_back({"document.header.subject", "is required"});
  }
  if (header.code().code_number().empty()) {
    violations.push_back({"document.header.code.code_number", "is required"});
  }
  if (!header.document_id().empty()) {
    const std::string expected = absl::StrCat(
        header.from().organ_id(), ",",
        header.promulgation_info().promulgation_date(), ",",
        header.code().code_number(), "/", header.code().code_notation());
    if (header.document_id() != expected) {
      violations.push_back(
          {"document.header.document_id",
           absl::StrCat("must be {OrganId},{yyyy/MM/dd},{number}/{notation}: ",
                        expected)});
    }
  }
  for (int i = 0; i < document.attachments_size(); ++i) {
    const v1::AttachmentRef& ref = document.attachments(i);
    const std::string field = absl::StrCat("document.attachments[", i, "]");
    if (!AttachmentSha256(ref.attachment()).ok()) {
      violations.push_back(
          {field + ".attachment", "must be attachments/{sha256}"});
    }
    if (ref.file_name().empty()) {
      violations.push_back({field + ".file_name", "is required"});
    }
  }
  const bool acts_on_earlier =
      document.business_type() != v1::BUSINESS_TYPE_UNSPECIFIED &&
      document.business_type() != v1::BUSINESS_TYPE_NEW;
  if (acts_on_earlier && !DocumentIdOf(document.target_document()).ok()) {
    violations.push_back({"document.target_document",
                          "must name the earlier document, documents/{id}"});
  }
  if (!acts_on_earlier && !document.target_document().empty()) {
    violations.push_back(
        {"document.target_document", "is only for revoke, update, replace"});
  }
  if (document.signature().signature().empty()) {
    violations.push_back({"document.signature.signature", "is required"});
  }
  if (document.signature().signer_certificate().empty()) {
    violations.push_back(
        {"document.signature.signer_certificate", "is required"});
  }
  return violations;
}

}  // namespace

DocumentExchange::DocumentExchange(DocumentStore* store,
                                   AttachmentStore* attachments,
                                   const pki::CertificateVerifier* verifier,
                                   const ReceiptSigner* receipts,
                                   AgencyCheck agencies, const Clock* clock,
                                   DocumentExchangeOptions options)
    : store_(store),
      attachments_(attachments),
      verifier_(verifier),
      receipts_(receipts),
      agencies_(std::move(agencies)),
      clock_(clock),
      options_(std::move(options)) {}

google::protobuf::Timestamp DocumentExchange::ToTimestamp(absl::Time time) {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      absl::ToUnixNanos(time));
}

absl::Status DocumentExchange::VerifySignature(
    v1::Document& document, absl::Time at, std::string* envelope_sha256) const {
  absl::StatusOr<std::string> canonical = CanonicalEnvelope(document);
  if (!canonical.ok()) return canonical.status();
  absl::StatusOr<pki::VerifiedSignature> verified = pki::VerifyDetached(
      document.signature().signature(), *canonical,
      document.signature().signer_certificate(), *verifier_, at);
  if (!verified.ok()) return verified.status();
  const std::string& sender = document.header().from().organ_id();
  if (verified->signer.agency_code != sender) {
    return WithErrorInfo(
        absl::FailedPreconditionError(absl::StrCat(
            "the envelope is signed by agency ", verified->signer.agency_code,
            ", not by its sender ", sender)),
        "SIGNER_NOT_SENDER",
        {{"signer", verified->signer.agency_code}, {"sender", sender}});
  }
  document.mutable_signature()->set_verified(true);
  document.mutable_signature()->set_signer_subject(verified->signer.subject);
  if (envelope_sha256 != nullptr) *envelope_sha256 = pki::Sha256Hex(*canonical);
  return absl::OkStatus();
}

absl::StatusOr<v1::Document> DocumentExchange::Send(
    const std::string& caller, const v1::SendDocumentRequest& request) {
  return Deliver(caller, request.document(), request.request_id());
}

absl::StatusOr<v1::Document> DocumentExchange::Deliver(
    const std::string& caller, v1::Document document,
    const std::string& request_id) {
  if (absl::Status sendable = CheckNotSecret(document); !sendable.ok()) {
    return sendable;
  }
  std::vector<FieldViolation> violations =
      EnvelopeViolations(document, options_.max_recipients);
  if (request_id.size() > 128) {
    violations.push_back({"request_id", "is longer than 128 characters"});
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid document", "INVALID_DOCUMENT",
                                         violations);
  }
  const std::string& sender = document.header().from().organ_id();
  if (absl::Status own = CheckCallersAgency(caller, sender); !own.ok()) {
    return own;
  }
  // Unknown agencies and attachments, all at once. Only the registry's "no
  // such agency" (or "not an agency code") means unknown: any other failure
  // is UNAVAILABLE, so the sender retries instead of dropping a valid
  // document.
  std::vector<FieldViolation> unknown;
  auto check_agency = [&](const std::string& code,
                          std::string field) -> absl::Status {
    absl::Status found = agencies_(code);
    if (absl::IsNotFound(found) || absl::IsInvalidArgument(found)) {
      unknown.push_back({std::move(field),
                         absl::StrCat("agency ", code, " is not registered")});
      return absl::OkStatus();
    }
    if (!found.ok()) {
      return WithErrorInfo(absl::UnavailableError(absl::StrCat(
                               "cannot check agency ", code,
                               " with the registry: ", found.message())),
                           "REGISTRY_UNAVAILABLE", {{"agency", code}});
    }
    return found;
  };
  if (absl::Status checked =
          check_agency(sender, "document.header.from.organ_id");
      !checked.ok()) {
    return checked;
  }
  for (int i = 0; i < document.header().to_size(); ++i) {
    if (absl::Status checked =
            check_agency(document.header().to(i).organ_id(),
                         absl::StrCat("document.header.to[", i, "].organ_id"));
        !checked.ok()) {
      return checked;
    }
  }
  if (!unknown.empty()) {
    return InvalidArgumentWithViolations("unknown agencies", "UNKNOWN_AGENCY",
                                         unknown);
  }
  int64_t total_bytes = 0;
  for (int i = 0; i < document.attachments_size(); ++i) {
    v1::AttachmentRef& ref = *document.mutable_attachments(i);
    absl::StatusOr<int64_t> size =
        attachments_->Size(*AttachmentSha256(ref.attachment()));
    if (!size.ok()) {
      if (!absl::IsNotFound(size.status())) return size.status();
      unknown.push_back(
          {absl::StrCat("document.attachments[", i, "].attachment"),
           "was not uploaded"});
      continue;
    }
    ref.set_size_bytes(*size);
    total_bytes += *size;
  }
  if (!unknown.empty()) {
    return InvalidArgumentWithViolations("attachments must be uploaded first",
                                         "UNKNOWN_ATTACHMENT", unknown);
  }
  if (total_bytes > options_.max_document_bytes) {
    return InvalidArgumentWithViolations(
        absl::StrCat("the attachments total ", total_bytes,
                     " bytes, over the limit of ", options_.max_document_bytes),
        "DOCUMENT_TOO_LARGE", {{"document.attachments", "too large together"}});
  }
  document.clear_deliveries();
  document.clear_create_time();
  document.clear_etag();
  document.clear_name();
  NewDocument stored;
  if (absl::Status verified =
          VerifySignature(document, clock_->Now(), &stored.envelope_sha256);
      !verified.ok()) {
    return verified;
  }
  const absl::Time now = clock_->Now();
  const std::string id = NewDocumentId();
  if (absl::Status targets =
          PlanTargetUpdates(document, id, now, stored.target_updates);
      !targets.ok()) {
    return targets;
  }
  document.set_name(DocumentName(id));
  *document.mutable_create_time() = ToTimestamp(now);
  for (const v1::Organization& to : document.header().to()) {
    document.add_deliveries()->set_recipient(AgencyName(to.organ_id()));
  }
  stored.document = std::move(document);
  stored.sender = AgencyName(sender);
  stored.request_id = request_id;
  absl::StatusOr<SendResult> sent = store_->Send(stored);
  if (!sent.ok()) return sent.status();
  {
    absl::MutexLock lock(&mutex_);
    ++sends_;
  }
  return sent->document;
}

absl::Status DocumentExchange::PlanTargetUpdates(
    const v1::Document& document, const std::string& id, absl::Time now,
    std::vector<TraceAppend>& updates) {
  if (document.target_document().empty()) return absl::OkStatus();
  const std::string target_id = *DocumentIdOf(document.target_document());
  absl::StatusOr<v1::Document> target = store_->Get(target_id);
  if (!target.ok()) return target.status();
  const std::string& sender = document.header().from().organ_id();
  if (target->header().from().organ_id() != sender) {
    return WithErrorInfo(absl::FailedPreconditionError(absl::StrCat(
                             document.target_document(), " was not sent by ",
                             sender, "; only its sender may act on it")),
                         "NOT_TARGET_SENDER",
                         {{"target", document.target_document()}});
  }
  for (int i = 0; i < document.header().to_size(); ++i) {
    const std::string recipient =
        AgencyName(document.header().to(i).organ_id());
    const v1::Delivery* delivery = nullptr;
    for (const v1::Delivery& d : target->deliveries()) {
      if (d.recipient() == recipient) delivery = &d;
    }
    if (delivery == nullptr) {
      return InvalidArgumentWithViolations(
          "a recipient did not receive the earlier document",
          "RECIPIENT_NOT_IN_TARGET",
          {{absl::StrCat("document.header.to[", i, "].organ_id"),
            absl::StrCat("did not receive ", document.target_document())}});
    }
    if (absl::Status allowed =
            CheckTargetAllows(document.business_type(), delivery->state());
        !allowed.ok()) {
      return allowed;
    }
    // The earlier document waits for the recipient's answer (13), unless it
    // has not even arrived: then the new sending alone tells it.
    if (!CheckTransition(delivery->state(),
                         v1::DELIVERY_STATE_TAKE_BACK_REQUESTED)
             .ok()) {
      continue;
    }
    TraceAppend update;
    update.document_id = target_id;
    update.recipient = recipient;
    update.expected = delivery->state();
    update.entry.set_state(v1::DELIVERY_STATE_TAKE_BACK_REQUESTED);
    update.entry.set_reported_by(AgencyName(sender));
    *update.entry.mutable_time() = ToTimestamp(now);
    update.entry.set_note(
        absl::StrCat(v1::BusinessType_Name(document.business_type()), " by ",
                     DocumentName(id)));
    updates.push_back(std::move(update));
  }
  return absl::OkStatus();
}

absl::Status DocumentExchange::CheckAttachmentAccess(
    const std::string& caller, const std::string& document_name,
    const std::string& sha256_hex) {
  if (caller.empty() && document_name.empty()) return absl::OkStatus();
  if (document_name.empty()) {
    return InvalidArgumentWithViolations(
        "an agency reads an attachment through a document it sent or received",
        "DOCUMENT_REQUIRED", {{"document", "must be documents/{id}"}});
  }
  absl::StatusOr<std::string> id = DocumentIdOf(document_name);
  if (!id.ok()) return id.status();
  absl::StatusOr<v1::Document> document = store_->Get(*id);
  if (!document.ok()) return document.status();
  if (!caller.empty() && caller != document->header().from().organ_id()) {
    absl::StatusOr<v1::Delivery> delivery =
        DeliveryTo(*document, AgencyName(caller));
    if (!delivery.ok()) return delivery.status();
  }
  const std::string attachment = absl::StrCat("attachments/", sha256_hex);
  for (const v1::AttachmentRef& ref : document->attachments()) {
    if (ref.attachment() == attachment) return absl::OkStatus();
  }
  return WithErrorInfo(absl::NotFoundError(absl::StrCat(
                           document_name, " does not list ", attachment)),
                       "ATTACHMENT_NOT_IN_DOCUMENT",
                       {{"attachment", attachment}});
}

absl::StatusOr<v1::Document> DocumentExchange::Get(
    const std::string& caller, const v1::GetDocumentRequest& request) {
  absl::StatusOr<std::string> id = DocumentIdOf(request.name());
  if (!id.ok()) return id.status();
  absl::StatusOr<v1::Document> document = store_->Get(*id);
  if (!document.ok()) return document.status();
  if (request.recipient().empty()) {
    if (absl::Status own =
            CheckCallersAgency(caller, document->header().from().organ_id());
        !own.ok()) {
      return own;
    }
    return document;
  }
  absl::StatusOr<std::string> recipient =
      AgencyCodeOf(request.recipient(), "recipient");
  if (!recipient.ok()) return recipient.status();
  if (absl::Status own = CheckCallersAgency(caller, *recipient); !own.ok()) {
    return own;
  }
  absl::StatusOr<v1::Delivery> delivery =
      DeliveryTo(*document, request.recipient());
  if (!delivery.ok()) return delivery.status();
  if (delivery->state() == v1::DELIVERY_STATE_UNSPECIFIED) {
    // Delivery: verified again, then arrival recorded once. A concurrent
    // fetch that recorded it first leaves nothing to do.
    // At the time it was accepted: a certificate expiring since must not
    // strand the document (revocations still count).
    v1::Document verified = *document;
    const absl::Time sent_at = absl::FromUnixNanos(
        google::protobuf::util::TimeUtil::TimestampToNanoseconds(
            document->create_time()));
    if (absl::Status status = VerifySignature(verified, sent_at, nullptr);
        !status.ok()) {
      return status;
    }
    StatusUpdate arrival;
    arrival.recipient = request.recipient();
    TraceAppend append;
    append.document_id = *id;
    append.recipient = request.recipient();
    append.entry.set_state(v1::DELIVERY_STATE_ARRIVED);
    append.entry.set_reported_by(request.recipient());
    *append.entry.mutable_time() = ToTimestamp(clock_->Now());
    arrival.appends.push_back(std::move(append));
    absl::StatusOr<bool> applied = store_->ApplyStatus(arrival);
    if (!applied.ok() && !absl::IsAborted(applied.status())) {
      return applied.status();
    }
    document = store_->Get(*id);
    if (!document.ok()) return document.status();
  }
  return OnlyDeliveryTo(*std::move(document), request.recipient());
}

absl::StatusOr<v1::ListDocumentsResponse> DocumentExchange::List(
    const std::string& caller, const v1::ListDocumentsRequest& request) {
  std::string sender = caller;
  if (!request.sender().empty()) {
    absl::StatusOr<std::string> code = AgencyCodeOf(request.sender(), "sender");
    if (!code.ok()) return code.status();
    sender = *code;
  }
  std::vector<FieldViolation> violations;
  if (sender.empty()) {
    violations.push_back({"sender", "is required without a client identity"});
  }
  if (request.page_size() < 0 || request.page_size() > 1000) {
    violations.push_back({"page_size", "must be 0-1000"});
  }
  if (!request.page_token().empty() &&
      !DocumentIdOf(DocumentName(request.page_token())).ok()) {
    violations.push_back({"page_token", "is not a token this server gave"});
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid list request",
                                         "INVALID_LIST_REQUEST", violations);
  }
  if (absl::Status own = CheckCallersAgency(caller, sender); !own.ok()) {
    return own;
  }
  const int limit = request.page_size() == 0 ? 100 : request.page_size();
  absl::StatusOr<DocumentStore::Page> page =
      store_->ListBySender(AgencyName(sender), request.page_token(), limit);
  if (!page.ok()) return page.status();
  v1::ListDocumentsResponse response;
  for (v1::Document& document : page->documents) {
    *response.add_documents() = std::move(document);
  }
  if (page->more && response.documents_size() > 0) {
    response.set_next_page_token(
        *DocumentIdOf(response.documents().rbegin()->name()));
  }
  return response;
}

int64_t DocumentExchange::sends() const {
  absl::MutexLock lock(&mutex_);
  return sends_;
}

int64_t DocumentExchange::WaitForSend(int64_t seen, absl::Time deadline) const {
  absl::MutexLock lock(&mutex_);
  auto passed = [this, seen]() ABSL_SHARED_LOCKS_REQUIRED(mutex_) {
    return sends_ > seen;
  };
  mutex_.AwaitWithDeadline(absl::Condition(&passed), deadline);
  return sends_;
}

}  // namespace lienthong::documents
