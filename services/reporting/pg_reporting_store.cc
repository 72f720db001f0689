#include "services/reporting/pg_reporting_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/storage/pg_database.h"
#include "libs/storage/pg_migrations.h"

namespace lienthong::reporting {
namespace {

// Values a load reads per round trip: bounds its memory, whatever the table
// holds.
constexpr int kLoadBatch = 10000;

// As SqliteReportingStore's schema.
const std::vector<Migration>& Migrations() {
  static const auto* migrations = new std::vector<Migration>{
      {1, "reported values and the feed position", R"sql(
CREATE TABLE reported_values (
  unit TEXT NOT NULL,
  indicator TEXT NOT NULL,
  period TEXT NOT NULL,
  body BYTEA NOT NULL,
  first_late BOOLEAN NOT NULL,
  PRIMARY KEY (unit, indicator, period)
);
CREATE TABLE feed_position (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  sequence BIGINT NOT NULL
);
INSERT INTO feed_position (id, sequence) VALUES (1, 0);
)sql"}};
  return *migrations;
}

absl::Status SaveChange(PgDatabase& db, const ingestion::v1::Change& change) {
  const ingestion::v1::DataValue& value = change.value();
  if (change.kind() == ingestion::v1::CHANGE_KIND_DELETE) {
    return db
        .Query(
            "DELETE FROM reported_values WHERE unit = $1 AND indicator = $2 "
            "AND period = $3",
            {value.unit(), value.indicator(), value.period().id()})
        .status();
  }
  // Only what rollups read: the identity, period and value.
  ingestion::v1::DataValue kept;
  kept.set_unit(value.unit());
  kept.set_indicator(value.indicator());
  *kept.mutable_period() = value.period();
  *kept.mutable_value() = value.value();
  // The first value's lateness stands: an update keeps the stored flag.
  return db
      .Query(
          "INSERT INTO reported_values (unit, indicator, period, body, "
          "first_late) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit, "
          "indicator, period) DO UPDATE SET body = excluded.body",
          {value.unit(), value.indicator(), value.period().id(),
           PgParam::Bytes(kept.SerializeAsString()), value.late()})
      .status();
}

absl::StatusOr<int64_t> SavedPosition(PgDatabase& db, bool for_update) {
  absl::StatusOr<PgResult> position = db.Query(
      for_update ? "SELECT sequence FROM feed_position WHERE id = 1 FOR UPDATE"
                 : "SELECT sequence FROM feed_position WHERE id = 1");
  if (!position.ok()) return position.status();
  if (position->rows() != 1) {
    return absl::DataLossError("the feed position is missing");
  }
  return position->Int64(0, 0);
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgReportingStore>> PgReportingStore::Open(
    const std::string& conninfo) {
  absl::StatusOr<std::unique_ptr<PgDatabase>> writer =
      PgDatabase::Connect(conninfo);
  if (!writer.ok()) return writer.status();
  if (absl::Status status =
          ApplyMigrations(**writer, "reporting", Migrations());
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::unique_ptr<PgDatabase>> reader =
      PgDatabase::Connect(conninfo);
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<PgReportingStore>(
      new PgReportingStore(*std::move(writer), *std::move(reader)));
}

PgReportingStore::PgReportingStore(std::unique_ptr<PgDatabase> writer,
                                   std::unique_ptr<PgDatabase> reader)
    : writer_(std::move(writer)), reader_(std::move(reader)) {}

PgReportingStore::~PgReportingStore() = default;

absl::Status PgReportingStore::Save(
    const std::vector<ingestion::v1::Change>& changes) {
  if (changes.empty()) return absl::OkStatus();
  absl::MutexLock lock(&writer_mutex_);
  if (absl::Status status = writer_->EnsureConnected(); !status.ok()) {
    return status;
  }
  PgDatabase& db = *writer_;
  return InTransaction(db, [&]() -> absl::Status {
    // FOR UPDATE: another process saving the same feed waits here, so no
    // change is applied twice.
    absl::StatusOr<int64_t> saved = SavedPosition(db, /*for_update=*/true);
    if (!saved.ok()) return saved.status();
    for (const ingestion::v1::Change& change : changes) {
      if (change.sequence() <= *saved) continue;  // saved before
      if (change.sequence() != *saved + 1) {
        return absl::FailedPreconditionError(
            absl::StrCat("change ", change.sequence(), " follows the saved ",
                         *saved, ": the feed has a gap"));
      }
      if (absl::Status status = SaveChange(db, change); !status.ok()) {
        return status;
      }
      *saved = change.sequence();
    }
    return db
        .Query("UPDATE feed_position SET sequence = $1 WHERE id = 1", {*saved})
        .status();
  });
}

absl::StatusOr<int64_t> PgReportingStore::Load(
    const std::function<void(const ingestion::v1::DataValue& value,
                             bool first_late)>& value) {
  absl::MutexLock lock(&reader_mutex_);
  if (absl::Status status = reader_->EnsureConnected(); !status.ok()) {
    return status;
  }
  PgDatabase& db = *reader_;
  int64_t position = 0;
  // One snapshot (REPEATABLE READ; READ COMMITTED takes one per statement):
  // the values and the position agree.
  absl::Status status = InTransaction(
      db,
      [&]() -> absl::Status {
        if (absl::Status declared =
                db.Exec("DECLARE saved_values NO SCROLL CURSOR FOR "
                        "SELECT body, first_late FROM reported_values");
            !declared.ok()) {
          return declared;
        }
        while (true) {
          absl::StatusOr<PgResult> batch = db.Query(
              absl::StrCat("FETCH ", kLoadBatch, " FROM saved_values"));
          if (!batch.ok()) return batch.status();
          if (batch->rows() == 0) break;
          for (int row = 0; row < batch->rows(); ++row) {
            ingestion::v1::DataValue stored;
            if (!stored.ParseFromString(batch->Bytes(row, 0))) {
              return absl::DataLossError("a saved value does not parse");
            }
            value(stored, batch->Bool(row, 1));
          }
        }
        absl::StatusOr<int64_t> saved = SavedPosition(db, /*for_update=*/false);
        if (!saved.ok()) return saved.status();
        position = *saved;
        return absl::OkStatus();
      },
      PgIsolation::kRepeatableRead);
  if (!status.ok()) return status;
  return position;
}

}  // namespace lienthong::reporting
