#ifndef SERVICES_DOCUMENTS_PG_DOCUMENT_STORE_INTERNAL_H_
#define SERVICES_DOCUMENTS_PG_DOCUMENT_STORE_INTERNAL_H_

// The pieces of PgDocumentStore that work on its tables inside a transaction
// the caller holds. Private to pg_document_store.cc. A namespace of its own,
// apart from SqliteDocumentStore's internal one, so a binary may link both.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "libs/storage/migration_runner.h"
#include "services/documents/document_store.h"

namespace lienthong {
class PgDatabase;
}  // namespace lienthong

namespace lienthong::documents::pg_internal {

// The "documents" schema, as SqliteDocumentStore's.
const std::vector<Migration>& Migrations();

template <typename Message>
absl::Status Parse(const std::string& bytes, Message& message) {
  if (message.ParseFromString(bytes)) return absl::OkStatus();
  return absl::DataLossError("a stored record does not parse");
}

// Waits until no other transaction is sending, then holds that turn until
// this transaction ends.
absl::Status LockSends(PgDatabase& db);

// Whether document `id` is stored.
absl::StatusOr<bool> DocumentExists(PgDatabase& db, const std::string& id);

// The document `id` with its deliveries in the order sent, each with its
// trace oldest first; NOT_FOUND when unknown. Consistent only in a
// transaction with one snapshot, or when nobody else can change the document.
absl::Status LoadDocument(PgDatabase& db, const std::string& id,
                          v1::Document& document);

// The document id stored under (`scope`, `request_id`), if any; none for an
// empty request_id.
absl::StatusOr<absl::optional<std::string>> FindRequest(
    PgDatabase& db, const std::string& scope, const std::string& request_id);

// Records (`scope`, `request_id`) for replays; nothing for an empty one.
absl::Status SaveRequest(PgDatabase& db, const std::string& scope,
                         const std::string& request_id,
                         const std::string& document_id);

// Records (`scope`, `request_id`) unless it is recorded: false when it was
// (committed by another transaction, which this one waits for), true when
// this transaction now holds it, or the request_id is empty.
absl::StatusOr<bool> ClaimRequest(PgDatabase& db, const std::string& scope,
                                  const std::string& request_id,
                                  const std::string& document_id);

// Locks the deliveries that `appends` change, in one global order, so
// transactions appending to several deliveries cannot deadlock. Unknown
// deliveries are skipped (AppendTrace reports them).
absl::Status LockDeliveries(PgDatabase& db,
                            const std::vector<TraceAppend>& appends);

// Appends `append.entry` to its delivery's trace if the delivery is still in
// `append.expected` (compare and set), and moves it to the entry's state.
absl::Status AppendTrace(PgDatabase& db, const TraceAppend& append);

// Stores a new document `id`: its body, deliveries, traces and inbox entries.
// The caller holds LockSends, so sequence numbers and inbox entry ids become
// visible in increasing order.
absl::Status InsertDocument(PgDatabase& db, const std::string& id,
                            const NewDocument& in);

// Inserts or replaces `receipt` of document `id`.
absl::Status SaveReceipt(PgDatabase& db, const std::string& id,
                         const v1::Receipt& receipt);

// Waiting inbox entries of `recipient` after `after_entry`, oldest first, at
// most `limit`, locked and with their redelivery counts raised for the next
// listing; the entries carry the counts from before.
absl::StatusOr<std::vector<StoredInboxEntry>> TakeInboxPage(
    PgDatabase& db, const std::string& recipient, int64_t after_entry,
    int limit);

// Acknowledges the waiting entries of `recipient` among `entry_ids`; how many
// there were.
absl::StatusOr<int> AcknowledgeEntries(PgDatabase& db,
                                       const std::string& recipient,
                                       const std::vector<int64_t>& entry_ids);

}  // namespace lienthong::documents::pg_internal

#endif  // SERVICES_DOCUMENTS_PG_DOCUMENT_STORE_INTERNAL_H_
