#include "services/documents/pg_document_store.h"

#include <cstdint>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"
#include "libs/status/status_details.h"
#include "libs/storage/pg_database.h"
#include "libs/storage/pg_migrations.h"
#include "services/documents/document_names.h"
#include "services/documents/document_store_errors.h"
#include "services/documents/pg_document_store_internal.h"

namespace lienthong::documents {

using pg_internal::AcknowledgeEntries;
using pg_internal::AppendTrace;
using pg_internal::ClaimRequest;
using pg_internal::DocumentExists;
using pg_internal::FindRequest;
using pg_internal::InsertDocument;
using pg_internal::LoadDocument;
using pg_internal::LockDeliveries;
using pg_internal::LockSends;
using pg_internal::Parse;
using pg_internal::SaveReceipt;
using pg_internal::SaveRequest;
using pg_internal::TakeInboxPage;

absl::StatusOr<std::unique_ptr<PgDocumentStore>> PgDocumentStore::Open(
    const std::string& conninfo) {
  absl::StatusOr<std::unique_ptr<PgDatabase>> writer =
      PgDatabase::Connect(conninfo);
  if (!writer.ok()) return writer.status();
  if (absl::Status status =
          ApplyMigrations(**writer, "documents", pg_internal::Migrations());
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::unique_ptr<PgDatabase>> reader =
      PgDatabase::Connect(conninfo);
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<PgDocumentStore>(
      new PgDocumentStore(*std::move(writer), *std::move(reader)));
}

PgDocumentStore::PgDocumentStore(std::unique_ptr<PgDatabase> writer,
                                 std::unique_ptr<PgDatabase> reader)
    : writer_(std::move(writer)), reader_(std::move(reader)) {}

PgDocumentStore::~PgDocumentStore() = default;

absl::Status PgDocumentStore::Write(const Body& body) {
  absl::MutexLock lock(&writer_mutex_);
  if (absl::Status status = writer_->EnsureConnected(); !status.ok()) {
    return status;
  }
  PgDatabase& db = *writer_;
  return InTransaction(db, [&] { return body(db); });
}

absl::Status PgDocumentStore::Read(const Body& body) {
  absl::MutexLock lock(&reader_mutex_);
  if (absl::Status status = reader_->EnsureConnected(); !status.ok()) {
    return status;
  }
  PgDatabase& db = *reader_;
  // REPEATABLE READ: READ COMMITTED would take a snapshot per statement, and
  // a document's deliveries and traces are read by separate statements.
  return InTransaction(
      db, [&] { return body(db); }, PgIsolation::kRepeatableRead);
}

absl::StatusOr<SendResult> PgDocumentStore::Send(const NewDocument& in) {
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
  absl::optional<std::string> earlier_id;
  absl::Status status = Write([&](PgDatabase& db) -> absl::Status {
    // One send at a time, as with SQLite's single writer: the request and id
    // checks below cannot race another send's inserts, and sequence numbers
    // and inbox entry ids are drawn in commit order, so a reader paging past
    // the last one it saw (WatchInbox) never skips one that commits late.
    if (absl::Status s = LockSends(db); !s.ok()) return s;
    absl::StatusOr<absl::optional<std::string>> earlier =
        FindRequest(db, scope, in.request_id);
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) {
      earlier_id = **earlier;
      return absl::OkStatus();
    }
    absl::StatusOr<bool> taken = DocumentExists(db, *id);
    if (!taken.ok()) return taken.status();
    if (*taken) {
      return WithErrorInfo(absl::AlreadyExistsError(absl::StrCat(
                               in.document.name(), " already exists")),
                           "DOCUMENT_EXISTS",
                           {{"document", DocumentName(*id)}});
    }
    if (absl::Status s = LockDeliveries(db, in.target_updates); !s.ok()) {
      return s;
    }
    for (const TraceAppend& update : in.target_updates) {
      if (absl::Status s = AppendTrace(db, update); !s.ok()) return s;
    }
    if (absl::Status s = InsertDocument(db, *id, in); !s.ok()) return s;
    if (absl::Status s = SaveRequest(db, scope, in.request_id, *id); !s.ok()) {
      return s;
    }
    // Nobody else sees the new document before the commit: one snapshot is
    // not needed.
    return LoadDocument(db, *id, result.document);
  });
  if (!status.ok()) return status;
  if (earlier_id.has_value()) {
    // The earlier document may be changing: read it in one snapshot.
    result.replayed = true;
    status = Read([&](PgDatabase& db) {
      return LoadDocument(db, *earlier_id, result.document);
    });
    if (!status.ok()) return status;
  }
  return result;
}

absl::StatusOr<v1::Document> PgDocumentStore::Get(const std::string& id) {
  v1::Document document;
  absl::Status status =
      Read([&](PgDatabase& db) { return LoadDocument(db, id, document); });
  if (!status.ok()) return status;
  return document;
}

absl::StatusOr<std::string> PgDocumentStore::EnvelopeSha256(
    const std::string& id) {
  absl::optional<std::string> sha256;
  absl::Status status = Read([&](PgDatabase& db) -> absl::Status {
    absl::StatusOr<PgResult> rows =
        db.Query("SELECT envelope_sha256 FROM documents WHERE id = $1", {id});
    if (!rows.ok()) return rows.status();
    if (rows->rows() > 0) sha256 = rows->Text(0, 0);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!sha256.has_value()) return DocumentNotFound(id);
  return *std::move(sha256);
}

absl::StatusOr<DocumentStore::Page> PgDocumentStore::ListBySender(
    const std::string& sender, const std::string& after_id, int limit) {
  if (limit < 1) return InvalidLimit(limit);
  Page page;
  absl::Status status = Read([&](PgDatabase& db) -> absl::Status {
    // The page starts below the `after_id` document's sequence.
    absl::optional<int64_t> before;
    if (after_id.empty()) {
      before = std::numeric_limits<int64_t>::max();
    } else {
      absl::StatusOr<PgResult> rows =
          db.Query("SELECT seq FROM documents WHERE id = $1 AND sender = $2",
                   {after_id, sender});
      if (!rows.ok()) return rows.status();
      if (rows->rows() > 0) before = rows->Int64(0, 0);
    }
    if (!before.has_value()) {
      return WithErrorInfo(
          absl::InvalidArgumentError(absl::StrCat(
              DocumentName(after_id), " is not a document sent by ", sender)),
          "INVALID_PAGE_TOKEN", {{"document", DocumentName(after_id)}});
    }
    absl::StatusOr<PgResult> rows = db.Query(
        "SELECT id FROM documents WHERE sender = $1 AND seq < $2 "
        "ORDER BY seq DESC LIMIT $3",
        {sender, *before, int64_t{limit} + 1});
    if (!rows.ok()) return rows.status();
    page.more = rows->rows() > limit;
    const int listed = page.more ? limit : rows->rows();
    for (int row = 0; row < listed; ++row) {
      absl::Status s =
          LoadDocument(db, rows->Text(row, 0), page.documents.emplace_back());
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

absl::StatusOr<bool> PgDocumentStore::ApplyStatus(const StatusUpdate& update) {
  absl::optional<std::string> receipt_id;
  if (update.receipt.has_value()) {
    absl::StatusOr<std::string> id =
        StoredDocumentId(update.receipt->document());
    if (!id.ok()) return id.status();
    receipt_id = *std::move(id);
  }
  // The request's document, for reading the log; updates name one at most.
  std::string document_id = receipt_id.value_or("");
  if (!update.appends.empty()) document_id = update.appends[0].document_id;
  const std::string scope = absl::StrCat("status:", update.recipient);
  bool replayed = false;
  absl::Status status = Write([&](PgDatabase& db) -> absl::Status {
    // Claimed first: a concurrent retry waits for this transaction and then
    // replays it, rather than failing the compare and set this one won.
    absl::StatusOr<bool> claimed =
        ClaimRequest(db, scope, update.request_id, document_id);
    if (!claimed.ok()) return claimed.status();
    if (!*claimed) {
      replayed = true;
      return absl::OkStatus();
    }
    if (absl::Status s = LockDeliveries(db, update.appends); !s.ok()) return s;
    for (const TraceAppend& append : update.appends) {
      if (absl::Status s = AppendTrace(db, append); !s.ok()) return s;
    }
    if (!receipt_id.has_value()) return absl::OkStatus();
    absl::StatusOr<bool> exists = DocumentExists(db, *receipt_id);
    if (!exists.ok()) return exists.status();
    if (!*exists) return DocumentNotFound(*receipt_id);
    return SaveReceipt(db, *receipt_id, *update.receipt);
  });
  if (!status.ok()) return status;
  return replayed;
}

absl::StatusOr<std::vector<StoredInboxEntry>> PgDocumentStore::ListInbox(
    const std::string& recipient, int64_t after_entry, int limit) {
  if (limit < 1) return InvalidLimit(limit);
  std::vector<StoredInboxEntry> entries;
  absl::Status status = Write([&](PgDatabase& db) -> absl::Status {
    absl::StatusOr<std::vector<StoredInboxEntry>> page =
        TakeInboxPage(db, recipient, after_entry, limit);
    if (!page.ok()) return page.status();
    entries = *std::move(page);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return entries;
}

absl::StatusOr<int> PgDocumentStore::Acknowledge(
    const std::string& recipient, const std::vector<int64_t>& entry_ids) {
  int acknowledged = 0;
  if (entry_ids.empty()) return acknowledged;
  absl::Status status = Write([&](PgDatabase& db) -> absl::Status {
    absl::StatusOr<int> count = AcknowledgeEntries(db, recipient, entry_ids);
    if (!count.ok()) return count.status();
    acknowledged = *count;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return acknowledged;
}

absl::StatusOr<int64_t> PgDocumentStore::CountInboxBacklog() {
  int64_t waiting = 0;
  absl::Status status = Read([&](PgDatabase& db) -> absl::Status {
    // The partial index inbox_waiting holds exactly these entries.
    absl::StatusOr<PgResult> rows =
        db.Query("SELECT COUNT(*) FROM inbox WHERE NOT acknowledged");
    if (!rows.ok()) return rows.status();
    waiting = rows->Int64(0, 0);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return waiting;
}

absl::StatusOr<v1::Receipt> PgDocumentStore::GetReceipt(
    const std::string& id, const std::string& recipient) {
  absl::optional<v1::Receipt> receipt;
  absl::Status status = Read([&](PgDatabase& db) -> absl::Status {
    absl::StatusOr<PgResult> rows = db.Query(
        "SELECT body FROM receipts WHERE document_id = $1 AND recipient = $2",
        {id, recipient});
    if (!rows.ok()) return rows.status();
    if (rows->rows() > 0) return Parse(rows->Bytes(0, 0), receipt.emplace());
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
