#ifndef SERVICES_DOCUMENTS_SQLITE_DOCUMENT_STORE_INTERNAL_H_
#define SERVICES_DOCUMENTS_SQLITE_DOCUMENT_STORE_INTERNAL_H_

// The pieces of SqliteDocumentStore that work on its tables inside a
// transaction the caller holds, and small helpers for SqliteDatabase
// statements. Private to sqlite_document_store.cc.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "libs/storage/migrations.h"
#include "libs/storage/sqlite_database.h"
#include "services/documents/document_store.h"

namespace lienthong::documents::internal {

// The "documents" schema.
const std::vector<Migration>& Migrations();

// A parameter bound as a BLOB (strings are bound as TEXT).
struct Blob {
  absl::string_view bytes;
};

// Binds `blob` (or, below, any other value) as parameter `index`.
inline void BindOne(SqliteStatement& statement, int index, const Blob& blob) {
  statement.BindBlob(index, blob.bytes);
}
template <typename T>
void BindOne(SqliteStatement& statement, int index, const T& value) {
  statement.Bind(index, value);
}

// The cached statement for `sql` with `args` bound to ?1, ?2, ... in order.
template <typename... Args>
absl::StatusOr<SqliteStatement*> Prepare(SqliteDatabase& db,
                                         absl::string_view sql,
                                         const Args&... args) {
  absl::StatusOr<SqliteStatement*> statement = db.Prepare(sql);
  if (!statement.ok()) return statement;
  int index = 0;
  (BindOne(**statement, ++index, args), ...);
  return statement;
}

// Runs a statement that returns no rows; the number of rows it changed.
template <typename... Args>
absl::StatusOr<int64_t> Run(SqliteDatabase& db, absl::string_view sql,
                            const Args&... args) {
  absl::StatusOr<SqliteStatement*> statement = Prepare(db, sql, args...);
  if (!statement.ok()) return statement.status();
  if (absl::Status status = (*statement)->Run(); !status.ok()) return status;
  return (*statement)->changes();
}

using RowFn = std::function<absl::Status(const SqliteStatement& row)>;

// Runs a query and calls `row` on each result row; `row` must not use `db`
// (preparing another statement would end this one). Leaves the statement
// finished either way, so no read stays open.
template <typename... Args>
absl::Status ForEachRow(SqliteDatabase& db, absl::string_view sql,
                        const RowFn& row, const Args&... args) {
  absl::StatusOr<SqliteStatement*> statement = Prepare(db, sql, args...);
  if (!statement.ok()) return statement.status();
  absl::Status status;
  while (status.ok()) {
    absl::StatusOr<bool> next = (*statement)->Step();
    if (!next.ok()) status = next.status();
    if (!status.ok() || !*next) break;
    status = row(**statement);
  }
  (*statement)->Reset();
  return status;
}

template <typename Message>
absl::Status Parse(const std::string& bytes, Message& message) {
  if (message.ParseFromString(bytes)) return absl::OkStatus();
  return absl::DataLossError("a stored record does not parse");
}

// Whether document `id` is stored.
absl::StatusOr<bool> DocumentExists(SqliteDatabase& db, const std::string& id);

// The document `id` with its deliveries in recipient order, each with its
// trace oldest first; NOT_FOUND when unknown.
absl::Status LoadDocument(SqliteDatabase& db, const std::string& id,
                          v1::Document& document);

// The document id stored under (`scope`, `request_id`), if any; none for an
// empty request_id.
absl::StatusOr<absl::optional<std::string>> FindRequest(
    SqliteDatabase& db, const std::string& scope,
    const std::string& request_id);

// Records (`scope`, `request_id`) for replays; nothing for an empty one.
absl::Status SaveRequest(SqliteDatabase& db, const std::string& scope,
                         const std::string& request_id,
                         const std::string& document_id);

// Appends `append.entry` to its delivery's trace if the delivery is still in
// `append.expected` (compare and set), and moves it to the entry's state.
absl::Status AppendTrace(SqliteDatabase& db, const TraceAppend& append);

// Stores a new document `id`: its body, deliveries, traces and inbox entries.
absl::Status InsertDocument(SqliteDatabase& db, const std::string& id,
                            const NewDocument& in);

}  // namespace lienthong::documents::internal

#endif  // SERVICES_DOCUMENTS_SQLITE_DOCUMENT_STORE_INTERNAL_H_
