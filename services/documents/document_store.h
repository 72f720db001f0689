#ifndef SERVICES_DOCUMENTS_DOCUMENT_STORE_H_
#define SERVICES_DOCUMENTS_DOCUMENT_STORE_H_

// Storage of exchanged documents: each document with one delivery per
// recipient and its append-only trace, the recipients' inboxes, the
// idempotency keys of sends and status updates, and the platform's receipts.
// Every method is one transaction: nothing is half written. Implementations:
// SqliteDocumentStore, PgDocumentStore; document_store_conformance tests them
// all.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/optional.h"
#include "lienthong/documents/v1/document.pb.h"

namespace lienthong::documents {

// One entry appended to a delivery's trace, if the delivery is still in
// `expected` (compare and set, so concurrent updates cannot both win).
struct TraceAppend {
  std::string document_id;  // the id of `documents/{id}`
  std::string recipient;    // agencies/{code}
  v1::DeliveryState expected = v1::DELIVERY_STATE_UNSPECIFIED;
  v1::TraceEntry entry;  // entry.state is the new state
};

// A document to store: `document` has its name (`documents/{id}`), header,
// attachments, signature, business type, target, create_time and one
// Delivery per recipient (state UNSPECIFIED, empty trace).
struct NewDocument {
  v1::Document document;
  std::string sender;           // agencies/{code}
  std::string request_id;       // idempotency key of the send; may be empty
  std::string envelope_sha256;  // of the canonical envelope, 64 hex digits
  // Applied in the same transaction, e.g. TAKE_BACK_REQUESTED on the target
  // document's deliveries for a revoke.
  std::vector<TraceAppend> target_updates;
};

// What Send did.
struct SendResult {
  v1::Document document;  // as stored, with its deliveries
  bool replayed = false;  // the (sender, request_id) was stored before
};

// A status update: trace entries and, for an acceptance, the receipt, written
// together.
struct StatusUpdate {
  std::string recipient;   // agencies/{code}: the scope of request_id
  std::string request_id;  // idempotency key; may be empty
  std::vector<TraceAppend> appends;
  absl::optional<v1::Receipt> receipt;
};

// One waiting inbox entry.
struct StoredInboxEntry {
  int64_t entry_id = 0;  // increasing in arrival order, per store
  std::string document_id;
  int32_t redeliveries = 0;  // times listed before
};

class DocumentStore {
 public:
  virtual ~DocumentStore() = default;

  // Stores `document` with its deliveries, an inbox entry per recipient and
  // the target updates. When (sender, request_id) was stored before, stores
  // nothing and returns that document with replayed = true. ALREADY_EXISTS
  // when the id is taken; ABORTED (reason "DELIVERY_STATE_CHANGED") when a
  // target update's delivery is no longer in its expected state.
  virtual absl::StatusOr<SendResult> Send(const NewDocument& document) = 0;

  // The document with its deliveries and traces; NOT_FOUND (reason
  // "DOCUMENT_NOT_FOUND") when unknown.
  virtual absl::StatusOr<v1::Document> Get(const std::string& id) = 0;

  // SHA-256 of the document's canonical envelope, as sent; NOT_FOUND when
  // unknown.
  virtual absl::StatusOr<std::string> EnvelopeSha256(const std::string& id) = 0;

  // Documents sent by `sender`, newest first: at most `limit` of them after
  // the `after_id` document (empty for the first page); `more` tells whether
  // others follow.
  struct Page {
    std::vector<v1::Document> documents;
    bool more = false;
  };
  virtual absl::StatusOr<Page> ListBySender(const std::string& sender,
                                            const std::string& after_id,
                                            int limit) = 0;

  // Appends the update's entries (all or none). When (recipient, request_id)
  // was applied before, changes nothing and returns true in `replayed`.
  // ABORTED (reason "DELIVERY_STATE_CHANGED") when a delivery is not in its
  // expected state; NOT_FOUND when a document or delivery is unknown.
  virtual absl::StatusOr<bool> ApplyStatus(const StatusUpdate& update) = 0;

  // Unacknowledged entries of `recipient` with entry_id > `after_entry`,
  // oldest first, at most `limit`; each listed entry's redeliveries count
  // goes up by one for the next listing.
  virtual absl::StatusOr<std::vector<StoredInboxEntry>> ListInbox(
      const std::string& recipient, int64_t after_entry, int limit) = 0;

  // Acknowledges `entry_ids` of `recipient`; returns how many were waiting.
  // Entries of other recipients are left alone (and not counted).
  virtual absl::StatusOr<int> Acknowledge(
      const std::string& recipient, const std::vector<int64_t>& entry_ids) = 0;

  // Inbox entries not yet acknowledged, of every recipient: the backlog.
  virtual absl::StatusOr<int64_t> CountInboxBacklog() = 0;

  // The receipt of `recipient` for document `id`; NOT_FOUND (reason
  // "RECEIPT_NOT_FOUND") before the recipient accepted it.
  virtual absl::StatusOr<v1::Receipt> GetReceipt(
      const std::string& id, const std::string& recipient) = 0;
};

}  // namespace lienthong::documents

#endif  // SERVICES_DOCUMENTS_DOCUMENT_STORE_H_
