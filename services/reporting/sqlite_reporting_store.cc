#include "services/reporting/sqlite_reporting_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/storage/group_commit_writer.h"
#include "libs/storage/migrations.h"
#include "libs/storage/sqlite_database.h"

namespace lienthong::reporting {
namespace {

const std::vector<Migration>& Migrations() {
  static const auto* migrations = new std::vector<Migration>{
      {1, "reported values and the feed position", R"sql(
CREATE TABLE reported_values (
  unit TEXT NOT NULL,
  indicator TEXT NOT NULL,
  period TEXT NOT NULL,
  body BLOB NOT NULL,
  first_late INTEGER NOT NULL,
  PRIMARY KEY (unit, indicator, period)
) WITHOUT ROWID;
CREATE TABLE feed_position (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  sequence INTEGER NOT NULL
);
INSERT INTO feed_position (id, sequence) VALUES (1, 0);
)sql"}};
  return *migrations;
}

absl::Status SaveChange(SqliteDatabase& db,
                        const ingestion::v1::Change& change) {
  const ingestion::v1::DataValue& value = change.value();
  if (change.kind() == ingestion::v1::CHANGE_KIND_DELETE) {
    absl::StatusOr<SqliteStatement*> remove = db.Prepare(
        "DELETE FROM reported_values WHERE unit = ? AND indicator = ? AND "
        "period = ?");
    if (!remove.ok()) return remove.status();
    return (*remove)
        ->Bind(1, value.unit())
        .Bind(2, value.indicator())
        .Bind(3, value.period().id())
        .Run();
  }
  // The first value's lateness stands: an update keeps the stored flag.
  absl::StatusOr<SqliteStatement*> upsert = db.Prepare(
      "INSERT INTO reported_values (unit, indicator, period, body, first_late) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (unit, indicator, period) DO UPDATE "
      "SET body = excluded.body");
  if (!upsert.ok()) return upsert.status();
  // Only what rollups read: the identity, period and value.
  ingestion::v1::DataValue kept;
  kept.set_unit(value.unit());
  kept.set_indicator(value.indicator());
  *kept.mutable_period() = value.period();
  *kept.mutable_value() = value.value();
  return (*upsert)
      ->Bind(1, value.unit())
      .Bind(2, value.indicator())
      .Bind(3, value.period().id())
      .BindBlob(4, kept.SerializeAsString())
      .Bind(5, int64_t{value.late() ? 1 : 0})
      .Run();
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteReportingStore>>
SqliteReportingStore::Open(const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> db =
      SqliteDatabase::Open({path});
  if (!db.ok()) return db.status();
  if (absl::Status status = ApplyMigrations(**db, "reporting", Migrations());
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> reader =
      (*db)->OpenReadOnly();
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<SqliteReportingStore>(new SqliteReportingStore(
      std::make_unique<GroupCommitWriter>(*std::move(db)), *std::move(reader)));
}

SqliteReportingStore::SqliteReportingStore(
    std::unique_ptr<GroupCommitWriter> writer,
    std::unique_ptr<SqliteDatabase> reader)
    : writer_(std::move(writer)), reader_(std::move(reader)) {}

SqliteReportingStore::~SqliteReportingStore() = default;

absl::Status SqliteReportingStore::Save(
    const std::vector<ingestion::v1::Change>& changes) {
  if (changes.empty()) return absl::OkStatus();
  return writer_->Write([&changes](SqliteDatabase& db) -> absl::Status {
    absl::StatusOr<SqliteStatement*> position =
        db.Prepare("SELECT sequence FROM feed_position WHERE id = 1");
    if (!position.ok()) return position.status();
    if (absl::StatusOr<bool> row = (*position)->Step(); !row.ok()) {
      return row.status();
    }
    int64_t saved = (*position)->ColumnInt64(0);
    (*position)->Reset();
    for (const ingestion::v1::Change& change : changes) {
      if (change.sequence() <= saved) continue;  // saved before
      if (change.sequence() != saved + 1) {
        return absl::FailedPreconditionError(
            absl::StrCat("change ", change.sequence(), " follows the saved ",
                         saved, ": the feed has a gap"));
      }
      if (absl::Status status = SaveChange(db, change); !status.ok()) {
        return status;
      }
      saved = change.sequence();
    }
    absl::StatusOr<SqliteStatement*> move =
        db.Prepare("UPDATE feed_position SET sequence = ? WHERE id = 1");
    if (!move.ok()) return move.status();
    return (*move)->Bind(1, saved).Run();
  });
}

absl::StatusOr<int64_t> SqliteReportingStore::Load(
    const std::function<void(const ingestion::v1::DataValue& value,
                             bool first_late)>& value) {
  // One read transaction: the values and the position agree.
  if (absl::Status status = reader_->Exec("BEGIN"); !status.ok()) {
    return status;
  }
  absl::StatusOr<int64_t> position = [&]() -> absl::StatusOr<int64_t> {
    absl::StatusOr<SqliteStatement*> select =
        reader_->Prepare("SELECT body, first_late FROM reported_values");
    if (!select.ok()) return select.status();
    while (true) {
      absl::StatusOr<bool> row = (*select)->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      ingestion::v1::DataValue stored;
      if (!stored.ParseFromString((*select)->ColumnBlob(0))) {
        return absl::DataLossError("a saved value does not parse");
      }
      value(stored, (*select)->ColumnInt64(1) != 0);
    }
    absl::StatusOr<SqliteStatement*> head =
        reader_->Prepare("SELECT sequence FROM feed_position WHERE id = 1");
    if (!head.ok()) return head.status();
    absl::StatusOr<bool> row = (*head)->Step();
    if (!row.ok()) return row.status();
    int64_t sequence = (*head)->ColumnInt64(0);
    (*head)->Reset();
    return sequence;
  }();
  reader_->Exec("COMMIT").IgnoreError();
  return position;
}

}  // namespace lienthong::reporting
