#include "services/documents/sqlite_document_store_internal.h"

#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/status/status_details.h"
#include "services/documents/document_names.h"
#include "services/documents/document_store_errors.h"

namespace lienthong::documents::internal {
namespace {}  // namespace

const std::vector<Migration>& Migrations() {
  static const auto* migrations =
      new std::vector<Migration>{{1, "create documents", R"sql(
CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE,
  sender TEXT NOT NULL,
  body BLOB NOT NULL,
  envelope_sha256 TEXT NOT NULL
);
CREATE INDEX documents_by_sender ON documents (sender, seq);
CREATE TABLE deliveries (
  document_id TEXT NOT NULL REFERENCES documents (id),
  recipient TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  state INTEGER NOT NULL,
  PRIMARY KEY (document_id, recipient)
) WITHOUT ROWID;
CREATE TABLE trace (
  document_id TEXT NOT NULL,
  recipient TEXT NOT NULL,
  position INTEGER NOT NULL,
  entry BLOB NOT NULL,
  PRIMARY KEY (document_id, recipient, position),
  FOREIGN KEY (document_id, recipient)
    REFERENCES deliveries (document_id, recipient)
) WITHOUT ROWID;
CREATE TABLE requests (
  scope TEXT NOT NULL,
  request_id TEXT NOT NULL,
  document_id TEXT NOT NULL,
  PRIMARY KEY (scope, request_id)
) WITHOUT ROWID;
CREATE TABLE inbox (
  entry_id INTEGER PRIMARY KEY AUTOINCREMENT,
  recipient TEXT NOT NULL,
  document_id TEXT NOT NULL REFERENCES documents (id),
  acknowledged INTEGER NOT NULL DEFAULT 0,
  redeliveries INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX inbox_waiting ON inbox (recipient, acknowledged, entry_id);
CREATE TABLE receipts (
  document_id TEXT NOT NULL REFERENCES documents (id),
  recipient TEXT NOT NULL,
  body BLOB NOT NULL,
  PRIMARY KEY (document_id, recipient)
) WITHOUT ROWID;
)sql"}};
  return *migrations;
}

absl::StatusOr<bool> DocumentExists(SqliteDatabase& db, const std::string& id) {
  bool found = false;
  absl::Status status = ForEachRow(
      db, "SELECT 1 FROM documents WHERE id = ?",
      [&](const SqliteStatement&) {
        found = true;
        return absl::OkStatus();
      },
      id);
  if (!status.ok()) return status;
  return found;
}

absl::Status LoadDocument(SqliteDatabase& db, const std::string& id,
                          v1::Document& document) {
  bool found = false;
  absl::Status status = ForEachRow(
      db, "SELECT body FROM documents WHERE id = ?",
      [&](const SqliteStatement& row) {
        found = true;
        return Parse(row.ColumnBlob(0), document);
      },
      id);
  if (!status.ok()) return status;
  if (!found) return DocumentNotFound(id);
  // Elements of a repeated message field keep their addresses as it grows.
  absl::flat_hash_map<std::string, v1::Delivery*> by_recipient;
  status = ForEachRow(
      db,
      "SELECT recipient, state FROM deliveries WHERE document_id = ? "
      "ORDER BY ordinal",
      [&](const SqliteStatement& row) {
        v1::Delivery* delivery = document.add_deliveries();
        delivery->set_recipient(row.ColumnText(0));
        delivery->set_state(static_cast<v1::DeliveryState>(row.ColumnInt64(1)));
        by_recipient[delivery->recipient()] = delivery;
        return absl::OkStatus();
      },
      id);
  if (!status.ok()) return status;
  return ForEachRow(
      db,
      "SELECT recipient, entry FROM trace WHERE document_id = ? "
      "ORDER BY recipient, position",
      [&](const SqliteStatement& row) {
        auto delivery = by_recipient.find(row.ColumnText(0));
        if (delivery == by_recipient.end()) {
          return absl::DataLossError("a trace entry without its delivery");
        }
        return Parse(row.ColumnBlob(1), *delivery->second->add_trace());
      },
      id);
}

absl::StatusOr<absl::optional<std::string>> FindRequest(
    SqliteDatabase& db, const std::string& scope,
    const std::string& request_id) {
  absl::optional<std::string> document_id;
  if (request_id.empty()) return document_id;
  absl::Status status = ForEachRow(
      db, "SELECT document_id FROM requests WHERE scope = ? AND request_id = ?",
      [&](const SqliteStatement& row) {
        document_id = row.ColumnText(0);
        return absl::OkStatus();
      },
      scope, request_id);
  if (!status.ok()) return status;
  return document_id;
}

absl::Status SaveRequest(SqliteDatabase& db, const std::string& scope,
                         const std::string& request_id,
                         const std::string& document_id) {
  if (request_id.empty()) return absl::OkStatus();
  return Run(db,
             "INSERT INTO requests (scope, request_id, document_id) "
             "VALUES (?, ?, ?)",
             scope, request_id, document_id)
      .status();
}

absl::Status AppendTrace(SqliteDatabase& db, const TraceAppend& append) {
  absl::optional<int64_t> state;
  int64_t position = 0;
  absl::Status status = ForEachRow(
      db,
      "SELECT d.state, (SELECT COUNT(*) FROM trace t WHERE t.document_id = "
      "d.document_id AND t.recipient = d.recipient) FROM deliveries d "
      "WHERE d.document_id = ? AND d.recipient = ?",
      [&](const SqliteStatement& row) {
        state = row.ColumnInt64(0);
        position = row.ColumnInt64(1);
        return absl::OkStatus();
      },
      append.document_id, append.recipient);
  if (!status.ok()) return status;
  const std::map<std::string, std::string> metadata = {
      {"document", DocumentName(append.document_id)},
      {"recipient", append.recipient}};
  if (!state.has_value()) {
    absl::StatusOr<bool> exists = DocumentExists(db, append.document_id);
    if (!exists.ok()) return exists.status();
    if (!*exists) return DocumentNotFound(append.document_id);
    return WithErrorInfo(absl::NotFoundError(absl::StrCat(
                             DocumentName(append.document_id),
                             " has no delivery to ", append.recipient)),
                         "DELIVERY_NOT_FOUND", metadata);
  }
  if (*state != append.expected) {
    std::map<std::string, std::string> changed = metadata;
    changed["expected"] = v1::DeliveryState_Name(append.expected);
    changed["state"] =
        v1::DeliveryState_Name(static_cast<v1::DeliveryState>(*state));
    return WithErrorInfo(
        absl::AbortedError(
            absl::StrCat("the delivery of ", DocumentName(append.document_id),
                         " to ", append.recipient, " is ", changed["state"],
                         ", not ", changed["expected"])),
        "DELIVERY_STATE_CHANGED", changed);
  }
  absl::StatusOr<int64_t> appended =
      Run(db,
          "INSERT INTO trace (document_id, recipient, position, entry) "
          "VALUES (?, ?, ?, ?)",
          append.document_id, append.recipient, position,
          Blob{append.entry.SerializeAsString()});
  if (!appended.ok()) return appended.status();
  return Run(db,
             "UPDATE deliveries SET state = ? WHERE document_id = ? AND "
             "recipient = ?",
             static_cast<int64_t>(append.entry.state()), append.document_id,
             append.recipient)
      .status();
}

absl::Status InsertDocument(SqliteDatabase& db, const std::string& id,
                            const NewDocument& in) {
  v1::Document body = in.document;
  body.clear_deliveries();  // kept in their own tables
  absl::StatusOr<int64_t> inserted =
      Run(db,
          "INSERT INTO documents (id, seq, sender, body, envelope_sha256) "
          "VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM documents), ?2, "
          "?3, ?4)",
          id, in.sender, Blob{body.SerializeAsString()}, in.envelope_sha256);
  if (!inserted.ok()) return inserted.status();
  const auto& deliveries = in.document.deliveries();
  for (int ordinal = 0; ordinal < deliveries.size(); ++ordinal) {
    const v1::Delivery& delivery = deliveries[ordinal];
    inserted = Run(db,
                   "INSERT INTO deliveries (document_id, recipient, ordinal, "
                   "state) VALUES (?, ?, ?, ?)",
                   id, delivery.recipient(), ordinal,
                   static_cast<int64_t>(delivery.state()));
    for (int position = 0; inserted.ok() && position < delivery.trace_size();
         ++position) {
      inserted = Run(db,
                     "INSERT INTO trace (document_id, recipient, position, "
                     "entry) VALUES (?, ?, ?, ?)",
                     id, delivery.recipient(), position,
                     Blob{delivery.trace(position).SerializeAsString()});
    }
    if (inserted.ok()) {
      inserted =
          Run(db, "INSERT INTO inbox (recipient, document_id) VALUES (?, ?)",
              delivery.recipient(), id);
    }
    if (!inserted.ok()) return inserted.status();
  }
  return absl::OkStatus();
}

}  // namespace lienthong::documents::internal
