#include "services/documents/sqlite_document_store.h"

#include <cstdint>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"
#include "libs/status/status_details.h"
#include "libs/storage/group_commit_writer.h"
#include "libs/storage/migrations.h"
#include "libs/storage/sqlite_database.h"
#include "services/documents/document_names.h"
#include "services/documents/document_store_errors.h"
#include "services/documents/sqlite_document_store_internal.h"

namespace lienthong::documents {

using internal::AppendTrace;
using internal::Blob;
using internal::DocumentExists;
using internal::FindRequest;
using internal::ForEachRow;
using internal::InsertDocument;
using internal::LoadDocument;
using internal::Parse;
using internal::Run;
using internal::SaveRequest;

absl::StatusOr<std::unique_ptr<SqliteDocumentStore>> SqliteDocumentStore::Open(
    const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> db =
      SqliteDatabase::Open({path});
  if (!db.ok()) return db.status();
  if (absl::Status status =
          ApplyMigrations(**db, "documents", internal::Migrations());
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> reader =
      (*db)->OpenReadOnly();
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<SqliteDocumentStore>(new SqliteDocumentStore(
      std::make_unique<GroupCommitWriter>(*std::move(db)), *std::move(reader)));
}

SqliteDocumentStore::SqliteDocumentStore(
    std::unique_ptr<GroupCommitWriter> writer,
    std::unique_ptr<SqliteDatabase> reader)
    : writer_(std::move(writer)), reader_(std::move(reader)) {}

SqliteDocumentStore::~SqliteDocumentStore() = default;

absl::Status SqliteDocumentStore::Write(const Body& body) {
  return writer_->Write(body);
}

absl::Status SqliteDocumentStore::Read(const Body& body) {
  absl::MutexLock lock(&reader_mutex_);
  SqliteDatabase& db = *reader_;
  if (absl::Status status = db.Exec("BEGIN"); !status.ok()) return status;
  absl::Status status = body(db);
  absl::Status ended = db.Exec(status.ok() ? "COMMIT" : "ROLLBACK");
  return status.ok() ? ended : status;
}

absl::StatusOr<SendResult> SqliteDocumentStore::Send(const NewDocument& in) {
  absl::StatusOr<std::string> id = StoredDocumentId(in.document.name());
  if (!id.ok()) return id.status();
  absl::flat_hash_set<std::string> recipients;
  for (const v1::Delivery& delivery : in.document.deliveries()) {
    if (!recipients.insert(delivery.recipient()).second) {
      return WithErrorInfo(absl::InvalidArgumentError(absl::StrCat(
                               delivery.recipient(), " is a recipient twice")),
                           "DUPLICATE_RECIPIENT",
                           {{"recipient", delivery.recipient()}});
    }
  }
  const std::string scope = absl::StrCat("send:", in.sender);
  SendResult result;
  absl::Status status = Write([&](SqliteDatabase& db) -> absl::Status {
    absl::StatusOr<absl::optional<std::string>> earlier =
        FindRequest(db, scope, in.request_id);
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) {
      result.replayed = true;
      return LoadDocument(db, **earlier, result.document);
    }
    absl::StatusOr<bool> taken = DocumentExists(db, *id);
    if (!taken.ok()) return taken.status();
    if (*taken) {
      return WithErrorInfo(absl::AlreadyExistsError(absl::StrCat(
                               in.document.name(), " already exists")),
                           "DOCUMENT_EXISTS",
                           {{"document", DocumentName(*id)}});
    }
    for (const TraceAppend& update : in.target_updates) {
      if (absl::Status s = AppendTrace(db, update); !s.ok()) return s;
    }
    if (absl::Status s = InsertDocument(db, *id, in); !s.ok()) return s;
    if (absl::Status s = SaveRequest(db, scope, in.request_id, *id); !s.ok()) {
      return s;
    }
    return LoadDocument(db, *id, result.document);
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<v1::Document> SqliteDocumentStore::Get(const std::string& id) {
  v1::Document document;
  absl::Status status =
      Read([&](SqliteDatabase& db) { return LoadDocument(db, id, document); });
  if (!status.ok()) return status;
  return document;
}

absl::StatusOr<std::string> SqliteDocumentStore::EnvelopeSha256(
    const std::string& id) {
  absl::optional<std::string> sha256;
  absl::Status status = Read([&](SqliteDatabase& db) {
    return ForEachRow(
        db, "SELECT envelope_sha256 FROM documents WHERE id = ?",
        [&](const SqliteStatement& row) {
          sha256 = row.ColumnText(0);
          return absl::OkStatus();
        },
        id);
  });
  if (!status.ok()) return status;
  if (!sha256.has_value()) return DocumentNotFound(id);
  return *std::move(sha256);
}

absl::StatusOr<DocumentStore::Page> SqliteDocumentStore::ListBySender(
    const std::string& sender, const std::string& after_id, int limit) {
  if (limit < 1) return InvalidLimit(limit);
  Page page;
  absl::Status status = Read([&](SqliteDatabase& db) -> absl::Status {
    // The page starts below the `after_id` document's sequence.
    absl::optional<int64_t> before;
    if (after_id.empty()) before = std::numeric_limits<int64_t>::max();
    absl::Status s = ForEachRow(
        db, "SELECT seq FROM documents WHERE id = ? AND sender = ?",
        [&](const SqliteStatement& row) {
          before = row.ColumnInt64(0);
          return absl::OkStatus();
        },
        after_id, sender);
    if (!s.ok()) return s;
    if (!before.has_value()) {
      return WithErrorInfo(
          absl::InvalidArgumentError(absl::StrCat(
              DocumentName(after_id), " is not a document sent by ", sender)),
          "INVALID_PAGE_TOKEN", {{"document", DocumentName(after_id)}});
    }
    std::vector<std::string> ids;
    s = ForEachRow(
        db,
        "SELECT id FROM documents WHERE sender = ? AND seq < ? "
        "ORDER BY seq DESC LIMIT ?",
        [&](const SqliteStatement& row) {
          ids.push_back(row.ColumnText(0));
          return absl::OkStatus();
        },
        sender, *before, int64_t{limit} + 1);
    if (!s.ok()) return s;
    page.more = static_cast<int>(ids.size()) > limit;
    if (page.more) ids.pop_back();
    for (const std::string& id : ids) {
      s = LoadDocument(db, id, page.documents.emplace_back());
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

absl::StatusOr<bool> SqliteDocumentStore::ApplyStatus(
    const StatusUpdate& update) {
  absl::optional<std::string> receipt_id;
  if (update.receipt.has_value()) {
    absl::StatusOr<std::string> id =
        StoredDocumentId(update.receipt->document());
    if (!id.ok()) return id.status();
    receipt_id = *std::move(id);
  }
  const std::string scope = absl::StrCat("status:", update.recipient);
  bool replayed = false;
  absl::Status status = Write([&](SqliteDatabase& db) -> absl::Status {
    absl::StatusOr<absl::optional<std::string>> earlier =
        FindRequest(db, scope, update.request_id);
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) {
      replayed = true;
      return absl::OkStatus();
    }
    for (const TraceAppend& append : update.appends) {
      if (absl::Status s = AppendTrace(db, append); !s.ok()) return s;
    }
    if (receipt_id.has_value()) {
      absl::StatusOr<bool> exists = DocumentExists(db, *receipt_id);
      if (!exists.ok()) return exists.status();
      if (!*exists) return DocumentNotFound(*receipt_id);
      absl::StatusOr<int64_t> written =
          Run(db,
              "INSERT OR REPLACE INTO receipts (document_id, recipient, body) "
              "VALUES (?, ?, ?)",
              *receipt_id, update.receipt->recipient(),
              Blob{update.receipt->SerializeAsString()});
      if (!written.ok()) return written.status();
    }
    // The request's document, for reading the log; updates name one at most.
    std::string document_id = receipt_id.value_or("");
    if (!update.appends.empty()) document_id = update.appends[0].document_id;
    return SaveRequest(db, scope, update.request_id, document_id);
  });
  if (!status.ok()) return status;
  return replayed;
}

absl::StatusOr<std::vector<StoredInboxEntry>> SqliteDocumentStore::ListInbox(
    const std::string& recipient, int64_t after_entry, int limit) {
  if (limit < 1) return InvalidLimit(limit);
  std::vector<StoredInboxEntry> entries;
  absl::Status status = Write([&](SqliteDatabase& db) -> absl::Status {
    absl::Status s = ForEachRow(
        db,
        "SELECT entry_id, document_id, redeliveries FROM inbox WHERE "
        "recipient = ? AND acknowledged = 0 AND entry_id > ? "
        "ORDER BY entry_id LIMIT ?",
        [&](const SqliteStatement& row) {
          entries.push_back({row.ColumnInt64(0), row.ColumnText(1),
                             static_cast<int32_t>(row.ColumnInt64(2))});
          return absl::OkStatus();
        },
        recipient, after_entry, int64_t{limit});
    for (const StoredInboxEntry& entry : entries) {
      if (!s.ok()) break;
      s = Run(db,
              "UPDATE inbox SET redeliveries = redeliveries + 1 "
              "WHERE entry_id = ?",
              entry.entry_id)
              .status();
    }
    return s;
  });
  if (!status.ok()) return status;
  return entries;
}

absl::StatusOr<int64_t> SqliteDocumentStore::CountInboxBacklog() {
  int64_t waiting = 0;
  absl::Status status = Read([&](SqliteDatabase& db) {
    return ForEachRow(db, "SELECT COUNT(*) FROM inbox WHERE acknowledged = 0",
                      [&](const SqliteStatement& row) {
                        waiting = row.ColumnInt64(0);
                        return absl::OkStatus();
                      });
  });
  if (!status.ok()) return status;
  return waiting;
}

absl::StatusOr<int> SqliteDocumentStore::Acknowledge(
    const std::string& recipient, const std::vector<int64_t>& entry_ids) {
  int acknowledged = 0;
  if (entry_ids.empty()) return acknowledged;
  absl::Status status = Write([&](SqliteDatabase& db) -> absl::Status {
    for (int64_t entry_id : entry_ids) {
      absl::StatusOr<int64_t> changed =
          Run(db,
              "UPDATE inbox SET acknowledged = 1 WHERE entry_id = ? AND "
              "recipient = ? AND acknowledged = 0",
              entry_id, recipient);
      if (!changed.ok()) return changed.status();
      acknowledged += static_cast<int>(*changed);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return acknowledged;
}

absl::StatusOr<v1::Receipt> SqliteDocumentStore::GetReceipt(
    const std::string& id, const std::string& recipient) {
  absl::optional<v1::Receipt> receipt;
  absl::Status status = Read([&](SqliteDatabase& db) -> absl::Status {
    absl::Status s = ForEachRow(
        db, "SELECT body FROM receipts WHERE document_id = ? AND recipient = ?",
        [&](const SqliteStatement& row) {
          return Parse(row.ColumnBlob(0), receipt.emplace());
        },
        id, recipient);
    if (!s.ok() || receipt.has_value()) return s;
    absl::StatusOr<bool> exists = DocumentExists(db, id);
    if (!exists.ok()) return exists.status();
    if (!*exists) return DocumentNotFound(id);
    return WithErrorInfo(
        absl::NotFoundError(absl::StrCat("no receipt of ", recipient, " for ",
                                         DocumentName(id))),
        "RECEIPT_NOT_FOUND",
        {{"document", DocumentName(id)}, {"recipient", recipient}});
  });
  if (!status.ok()) return status;
  return *std::move(receipt);
}

}  // namespace lienthong::documents
