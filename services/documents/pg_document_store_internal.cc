#include "services/documents/pg_document_store_internal.h"

#include <map>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "libs/status/status_details.h"
#include "libs/storage/pg_database.h"
#include "services/documents/document_names.h"
#include "services/documents/document_store_errors.h"

namespace lienthong::documents::pg_internal {
namespace {

// A PostgreSQL array literal of `ids`, for a `$n::bigint[]` parameter.
std::string BigintArray(const std::vector<int64_t>& ids) {
  return absl::StrCat("{", absl::StrJoin(ids, ","), "}");
}

}  // namespace

// As SqliteDocumentStore's schema, except that documents.seq and
// inbox.entry_id come from identity sequences (drawn under LockSends, see
// InsertDocument) and inbox.acknowledged is a BOOLEAN.
const std::vector<Migration>& Migrations() {
  static const auto* migrations =
      new std::vector<Migration>{{1, "create documents", R"sql(
CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
  sender TEXT NOT NULL,
  body BYTEA NOT NULL,
  envelope_sha256 TEXT NOT NULL
);
CREATE INDEX documents_by_sender ON documents (sender, seq);
CREATE TABLE deliveries (
  document_id TEXT NOT NULL REFERENCES documents (id),
  recipient TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  state INTEGER NOT NULL,
  PRIMARY KEY (document_id, recipient)
);
CREATE TABLE trace (
  document_id TEXT NOT NULL,
  recipient TEXT NOT NULL,
  position INTEGER NOT NULL,
  entry BYTEA NOT NULL,
  PRIMARY KEY (document_id, recipient, position),
  FOREIGN KEY (document_id, recipient)
    REFERENCES deliveries (document_id, recipient)
);
CREATE TABLE requests (
  scope TEXT NOT NULL,
  request_id TEXT NOT NULL,
  document_id TEXT NOT NULL,
  PRIMARY KEY (scope, request_id)
);
CREATE TABLE inbox (
  entry_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  recipient TEXT NOT NULL,
  document_id TEXT NOT NULL REFERENCES documents (id),
  acknowledged BOOLEAN NOT NULL DEFAULT false,
  redeliveries INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX inbox_waiting ON inbox (recipient, entry_id)
  WHERE NOT acknowledged;
CREATE TABLE receipts (
  document_id TEXT NOT NULL REFERENCES documents (id),
  recipient TEXT NOT NULL,
  body BYTEA NOT NULL,
  PRIMARY KEY (document_id, recipient)
);
)sql"}};
  return *migrations;
}

absl::Status LockSends(PgDatabase& db) {
  return db.Exec(
      "SELECT pg_advisory_xact_lock(hashtext('lienthong.documents.send'))");
}

absl::StatusOr<bool> DocumentExists(PgDatabase& db, const std::string& id) {
  absl::StatusOr<PgResult> rows =
      db.Query("SELECT 1 FROM documents WHERE id = $1", {id});
  if (!rows.ok()) return rows.status();
  return rows->rows() > 0;
}

absl::Status LoadDocument(PgDatabase& db, const std::string& id,
                          v1::Document& document) {
  absl::StatusOr<PgResult> rows =
      db.Query("SELECT body FROM documents WHERE id = $1", {id});
  if (!rows.ok()) return rows.status();
  if (rows->rows() == 0) return DocumentNotFound(id);
  if (absl::Status s = Parse(rows->Bytes(0, 0), document); !s.ok()) return s;
  rows = db.Query(
      "SELECT recipient, state FROM deliveries WHERE document_id = $1 "
      "ORDER BY ordinal",
      {id});
  if (!rows.ok()) return rows.status();
  // Elements of a repeated message field keep their addresses as it grows.
  absl::flat_hash_map<std::string, v1::Delivery*> by_recipient;
  for (int row = 0; row < rows->rows(); ++row) {
    v1::Delivery* delivery = document.add_deliveries();
    delivery->set_recipient(rows->Text(row, 0));
    delivery->set_state(static_cast<v1::DeliveryState>(rows->Int64(row, 1)));
    by_recipient[delivery->recipient()] = delivery;
  }
  rows = db.Query(
      "SELECT recipient, entry FROM trace WHERE document_id = $1 "
      "ORDER BY recipient, position",
      {id});
  if (!rows.ok()) return rows.status();
  for (int row = 0; row < rows->rows(); ++row) {
    auto delivery = by_recipient.find(rows->Text(row, 0));
    if (delivery == by_recipient.end()) {
      return absl::DataLossError("a trace entry without its delivery");
    }
    absl::Status s = Parse(rows->Bytes(row, 1), *delivery->second->add_trace());
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::optional<std::string>> FindRequest(
    PgDatabase& db, const std::string& scope, const std::string& request_id) {
  absl::optional<std::string> document_id;
  if (request_id.empty()) return document_id;
  absl::StatusOr<PgResult> rows = db.Query(
      "SELECT document_id FROM requests WHERE scope = $1 AND request_id = $2",
      {scope, request_id});
  if (!rows.ok()) return rows.status();
  if (rows->rows() > 0) document_id = rows->Text(0, 0);
  return document_id;
}

absl::Status SaveRequest(PgDatabase& db, const std::string& scope,
                         const std::string& request_id,
                         const std::string& document_id) {
  if (request_id.empty()) return absl::OkStatus();
  return db
      .Query(
          "INSERT INTO requests (scope, request_id, document_id) "
          "VALUES ($1, $2, $3)",
          {scope, request_id, document_id})
      .status();
}

absl::StatusOr<bool> ClaimRequest(PgDatabase& db, const std::string& scope,
                                  const std::string& request_id,
                                  const std::string& document_id) {
  if (request_id.empty()) return true;
  // ON CONFLICT waits for a transaction inserting the same key and does
  // nothing if it commits: a concurrent retry sees the first as a replay
  // instead of failing on the primary key.
  absl::StatusOr<PgResult> claimed = db.Query(
      "INSERT INTO requests (scope, request_id, document_id) "
      "VALUES ($1, $2, $3) ON CONFLICT (scope, request_id) DO NOTHING",
      {scope, request_id, document_id});
  if (!claimed.ok()) return claimed.status();
  return claimed->affected_rows() == 1;
}

absl::Status LockDeliveries(PgDatabase& db,
                            const std::vector<TraceAppend>& appends) {
  std::set<std::pair<std::string, std::string>> keys;
  for (const TraceAppend& append : appends) {
    keys.emplace(append.document_id, append.recipient);
  }
  if (keys.size() < 2) return absl::OkStatus();  // AppendTrace locks one
  for (const auto& [document_id, recipient] : keys) {
    absl::Status locked =
        db.Query(
              "SELECT 1 FROM deliveries WHERE document_id = $1 AND "
              "recipient = $2 FOR UPDATE",
              {document_id, recipient})
            .status();
    if (!locked.ok()) return locked;
  }
  return absl::OkStatus();
}

absl::Status AppendTrace(PgDatabase& db, const TraceAppend& append) {
  // FOR UPDATE: the state compared is the one replaced, and the trace cannot
  // grow, until this transaction ends; a concurrent append waits here and
  // then reads the state this one wrote.
  absl::StatusOr<PgResult> rows = db.Query(
      "SELECT state FROM deliveries WHERE document_id = $1 AND recipient = $2 "
      "FOR UPDATE",
      {append.document_id, append.recipient});
  if (!rows.ok()) return rows.status();
  const std::map<std::string, std::string> metadata = {
      {"document", DocumentName(append.document_id)},
      {"recipient", append.recipient}};
  if (rows->rows() == 0) {
    absl::StatusOr<bool> exists = DocumentExists(db, append.document_id);
    if (!exists.ok()) return exists.status();
    if (!*exists) return DocumentNotFound(append.document_id);
    return WithErrorInfo(absl::NotFoundError(absl::StrCat(
                             DocumentName(append.document_id),
                             " has no delivery to ", append.recipient)),
                         "DELIVERY_NOT_FOUND", metadata);
  }
  const int64_t state = rows->Int64(0, 0);
  if (state != append.expected) {
    std::map<std::string, std::string> changed = metadata;
    changed["expected"] = v1::DeliveryState_Name(append.expected);
    changed["state"] =
        v1::DeliveryState_Name(static_cast<v1::DeliveryState>(state));
    return WithErrorInfo(
        absl::AbortedError(
            absl::StrCat("the delivery of ", DocumentName(append.document_id),
                         " to ", append.recipient, " is ", changed["state"],
                         ", not ", changed["expected"])),
        "DELIVERY_STATE_CHANGED", changed);
  }
  // A statement of its own, so its snapshot is taken after the lock above:
  // it counts every committed entry.
  absl::Status appended =
      db.Query(
            "INSERT INTO trace (document_id, recipient, position, entry) "
            "SELECT $1::text, $2::text, COUNT(*), $3 FROM trace "
            "WHERE document_id = $1 AND recipient = $2",
            {append.document_id, append.recipient,
             PgParam::Bytes(append.entry.SerializeAsString())})
          .status();
  if (!appended.ok()) return appended;
  return db
      .Query(
          "UPDATE deliveries SET state = $3 WHERE document_id = $1 AND "
          "recipient = $2",
          {append.document_id, append.recipient,
           static_cast<int64_t>(append.entry.state())})
      .status();
}

absl::Status InsertDocument(PgDatabase& db, const std::string& id,
                            const NewDocument& in) {
  v1::Document body = in.document;
  body.clear_deliveries();  // kept in their own tables
  absl::Status inserted =
      db.Query(
            "INSERT INTO documents (id, sender, body, envelope_sha256) "
            "VALUES ($1, $2, $3, $4)",
            {id, in.sender, PgParam::Bytes(body.SerializeAsString()),
             in.envelope_sha256})
          .status();
  if (!inserted.ok()) return inserted;
  const auto& deliveries = in.document.deliveries();
  for (int ordinal = 0; ordinal < deliveries.size(); ++ordinal) {
    const v1::Delivery& delivery = deliveries[ordinal];
    inserted = db.Query(
                     "INSERT INTO deliveries (document_id, recipient, "
                     "ordinal, state) VALUES ($1, $2, $3, $4)",
                     {id, delivery.recipient(), ordinal,
                      static_cast<int64_t>(delivery.state())})
                   .status();
    for (int position = 0; inserted.ok() && position < delivery.trace_size();
         ++position) {
      inserted =
          db.Query(
                "INSERT INTO trace (document_id, recipient, position, entry) "
                "VALUES ($1, $2, $3, $4)",
                {id, delivery.recipient(), position,
                 PgParam::Bytes(delivery.trace(position).SerializeAsString())})
              .status();
    }
    if (inserted.ok()) {
      inserted = db.Query(
                       "INSERT INTO inbox (recipient, document_id) "
                       "VALUES ($1, $2)",
                       {delivery.recipient(), id})
                     .status();
    }
    if (!inserted.ok()) return inserted;
  }
  return absl::OkStatus();
}

absl::Status SaveReceipt(PgDatabase& db, const std::string& id,
                         const v1::Receipt& receipt) {
  // ON CONFLICT: replaces a receipt, as SQLite's INSERT OR REPLACE, also one
  // another transaction is inserting right now.
  return db
      .Query(
          "INSERT INTO receipts (document_id, recipient, body) "
          "VALUES ($1, $2, $3) ON CONFLICT (document_id, recipient) "
          "DO UPDATE SET body = excluded.body",
          {id, receipt.recipient(),
           PgParam::Bytes(receipt.SerializeAsString())})
      .status();
}

absl::StatusOr<std::vector<StoredInboxEntry>> TakeInboxPage(
    PgDatabase& db, const std::string& recipient, int64_t after_entry,
    int limit) {
  // FOR UPDATE, in entry_id order: concurrent listings of one inbox count
  // each listing once, and take their locks in the same order. An entry
  // acknowledged meanwhile is skipped, so a page may come out short.
  absl::StatusOr<PgResult> rows = db.Query(
      "SELECT entry_id, document_id, redeliveries FROM inbox "
      "WHERE recipient = $1 AND NOT acknowledged AND entry_id > $2 "
      "ORDER BY entry_id LIMIT $3 FOR UPDATE",
      {recipient, after_entry, limit});
  if (!rows.ok()) return rows.status();
  std::vector<StoredInboxEntry> entries;
  std::vector<int64_t> entry_ids;
  for (int row = 0; row < rows->rows(); ++row) {
    entries.push_back({rows->Int64(row, 0), rows->Text(row, 1),
                       static_cast<int32_t>(rows->Int64(row, 2))});
    entry_ids.push_back(entries.back().entry_id);
  }
  if (entries.empty()) return entries;
  absl::Status counted =
      db.Query(
            "UPDATE inbox SET redeliveries = redeliveries + 1 "
            "WHERE entry_id = ANY($1::bigint[])",
            {BigintArray(entry_ids)})
          .status();
  if (!counted.ok()) return counted;
  return entries;
}

absl::StatusOr<int> AcknowledgeEntries(PgDatabase& db,
                                       const std::string& recipient,
                                       const std::vector<int64_t>& entry_ids) {
  // Locks in entry_id order, as TakeInboxPage, so that a listing and an
  // acknowledgement of the same entries cannot deadlock. FOR UPDATE rechecks
  // `NOT acknowledged` on an entry another transaction just acknowledged, so
  // each entry is counted once.
  absl::StatusOr<PgResult> acknowledged = db.Query(
      "UPDATE inbox SET acknowledged = true WHERE entry_id IN ("
      "SELECT entry_id FROM inbox WHERE recipient = $1 AND NOT acknowledged "
      "AND entry_id = ANY($2::bigint[]) ORDER BY entry_id FOR UPDATE)",
      {recipient, BigintArray(entry_ids)});
  if (!acknowledged.ok()) return acknowledged.status();
  return static_cast<int>(acknowledged->affected_rows());
}

}  // namespace lienthong::documents::pg_internal
