#include "libs/storage/migration_runner.h"

#include "absl/strings/str_cat.h"

namespace lienthong {
namespace {

absl::Status CheckList(absl::string_view schema,
                       const std::vector<Migration>& migrations) {
  int previous = 0;
  for (const Migration& migration : migrations) {
    if (migration.version <= previous) {
      return absl::FailedPreconditionError(absl::StrCat(
          "migrations of schema ", schema,
          " must have positive, strictly increasing versions; ",
          migration.version, " (", migration.name, ") follows ", previous));
    }
    previous = migration.version;
  }
  return absl::OkStatus();
}

// The database's history must be a prefix of the list: same versions, same
// names, nothing newer, nothing inserted below what is applied.
absl::Status CheckHistory(absl::string_view schema,
                          const std::vector<Migration>& migrations,
                          const MigrationHistory& applied) {
  std::map<int, const Migration*> known;
  for (const Migration& migration : migrations) {
    known[migration.version] = &migration;
  }
  int newest_known = migrations.empty() ? 0 : migrations.back().version;
  for (const auto& [version, name] : applied) {
    auto it = known.find(version);
    if (version > newest_known) {
      return absl::FailedPreconditionError(
          absl::StrCat("database schema ", schema, " is at version ", version,
                       ", newer than this program knows (", newest_known,
                       "); upgrade the program"));
    }
    if (it == known.end()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "database schema ", schema, " has version ", version, " (", name,
          ") that this program does not know; migrations must never be "
          "edited once released"));
    }
    if (it->second->name != name) {
      return absl::FailedPreconditionError(
          absl::StrCat("database schema ", schema, " version ", version,
                       " was applied as \"", name,
                       "\" but this program calls it \"", it->second->name,
                       "\"; migrations must never be edited once released"));
    }
  }
  int newest_applied = applied.empty() ? 0 : applied.rbegin()->first;
  for (const Migration& migration : migrations) {
    if (migration.version < newest_applied &&
        applied.count(migration.version) == 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "migration ", schema, " v", migration.version, " (", migration.name,
          ") is older than the applied v", newest_applied,
          "; migrations must never be edited once released"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int> SchemaVersion(MigrationTarget& target,
                                  absl::string_view schema) {
  absl::StatusOr<bool> exists = target.HasHistoryTable();
  if (!exists.ok()) return exists.status();
  if (!*exists) return 0;
  absl::StatusOr<MigrationHistory> applied = target.History(schema);
  if (!applied.ok()) return applied.status();
  return applied->empty() ? 0 : applied->rbegin()->first;
}

absl::Status ApplyMigrations(MigrationTarget& target, absl::string_view schema,
                             const std::vector<Migration>& migrations) {
  if (absl::Status status = CheckList(schema, migrations); !status.ok()) {
    return status;
  }
  if (absl::Status status = target.CreateHistoryTable(); !status.ok()) {
    return status;
  }
  // Check everything before applying anything; when nothing is missing (every
  // start but the first) this takes no write lock.
  absl::StatusOr<MigrationHistory> applied = target.History(schema);
  if (!applied.ok()) return applied.status();
  if (absl::Status status = CheckHistory(schema, migrations, *applied);
      !status.ok()) {
    return status;
  }
  for (const Migration& migration : migrations) {
    if (applied->count(migration.version) > 0) continue;
    absl::Status status = target.InMigrationTransaction([&]() -> absl::Status {
      // Another process may have migrated since the check above; under the
      // migration lock the history is final.
      absl::StatusOr<MigrationHistory> now = target.History(schema);
      if (!now.ok()) return now.status();
      if (absl::Status s = CheckHistory(schema, migrations, *now); !s.ok()) {
        return s;
      }
      if (now->count(migration.version) > 0) return absl::OkStatus();
      if (absl::Status s = target.Exec(migration.sql); !s.ok()) return s;
      return target.Record(schema, migration);
    });
    if (!status.ok()) {
      return absl::Status(
          status.code(),
          absl::StrCat("migration ", schema, " v", migration.version, " (",
                       migration.name, ") failed: ", status.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace lienthong
