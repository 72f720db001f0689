#ifndef LIBS_STORAGE_MIGRATIONS_H_
#define LIBS_STORAGE_MIGRATIONS_H_

// Versioned schema migrations. Each store owns a named schema ("registry",
// "ingestion", ...) and a list of migrations; the applied ones are recorded in
// schema_migrations, so applying the list again is a no-op, and a database
// written by newer code, or history edited after the fact, is refused rather
// than guessed at.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lienthong {

class SqliteDatabase;

struct Migration {
  int version;  // 1, 2, 3 ... strictly increasing within a schema
  std::string
      name;         // short description, e.g. "create units"; must never change
  std::string sql;  // one or more statements
};

// Applies the migrations of `schema` that the database lacks, in order, each in
// its own transaction together with its record. FAILED_PRECONDITION when the
// database has a version the list does not know, or a recorded name differs
// from the list's; INVALID_ARGUMENT when the list's versions are not strictly
// increasing from 1.
absl::Status ApplyMigrations(SqliteDatabase& db, absl::string_view schema,
                             const std::vector<Migration>& migrations);

// The highest applied version of `schema` (0 when none).
absl::StatusOr<int> SchemaVersion(SqliteDatabase& db, absl::string_view schema);

}  // namespace lienthong

#endif  // LIBS_STORAGE_MIGRATIONS_H_
