#ifndef SERVICES_INGESTION_PG_VALUE_STORE_INTERNAL_H_
#define SERVICES_INGESTION_PG_VALUE_STORE_INTERNAL_H_

// The pieces of PgValueStore that work on its tables inside a transaction the
// caller holds, and helpers for building its queries. Private to
// pg_value_store.cc.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "absl/types/span.h"
#include "libs/storage/migration_runner.h"
#include "libs/storage/pg_database.h"
#include "services/ingestion/value_store.h"

namespace lienthong::ingestion::internal {

// The "ingestion" schema on PostgreSQL.
const std::vector<Migration>& Migrations();

// Statement parameters numbered as a query's optional filters add them, so the
// statement names exactly the parameters it binds (PostgreSQL cannot infer
// the type of one it never uses).
class NumberedParams {
 public:
  // Adds `param`; its placeholder ("$3").
  std::string Add(PgParam param);
  absl::Span<const PgParam> params() const { return params_; }

 private:
  std::vector<PgParam> params_;
};

// The WHERE conditions of `query` on table alias `t` (key order after
// `query.after`, unit(s), indicator, period), adding their parameters.
std::string QueryFilters(const ValueQuery& query, absl::string_view t,
                         NumberedParams& params);

// Parses column `column` of every row as a `Message`.
template <typename Message>
absl::StatusOr<std::vector<Message>> ReadBodies(
    const absl::StatusOr<PgResult>& rows, int column = 0) {
  if (!rows.ok()) return rows.status();
  std::vector<Message> out;
  out.reserve(rows->rows());
  for (int row = 0; row < rows->rows(); ++row) {
    if (!out.emplace_back().ParseFromString(rows->Bytes(row, column))) {
      return absl::DataLossError("stored record does not parse");
    }
  }
  return out;
}

// The current value of `key`, if any.
absl::StatusOr<absl::optional<v1::DataValue>> ReadCurrent(PgDatabase& db,
                                                          const ValueKey& key);

// A change Decide() found necessary.
struct PlannedChange {
  ValueKey key;
  absl::optional<v1::DataValue> current;  // the stored value, if any
  const v1::DataValue* next;              // the new value; null to remove
};

// Decides each write's effect against what `db` holds (reads only), counting
// it in `result`.
absl::StatusOr<std::vector<PlannedChange>> Decide(
    PgDatabase& db, const std::vector<ValueWrite>& writes,
    const std::vector<SliceKey>& replace, ApplyResult& result);

// Writes the planned changes, each as a revision on the change feed numbered
// on from `head` (the feed's last sequence); returns the last sequence
// written (`head` if none).
absl::StatusOr<int64_t> Execute(PgDatabase& db,
                                const std::vector<PlannedChange>& plan,
                                const common::v1::AuditInfo& written,
                                int64_t head);

// A change as the revision it made.
v1::ValueRevision RevisionOf(const v1::Change& change);

}  // namespace lienthong::ingestion::internal

#endif  // SERVICES_INGESTION_PG_VALUE_STORE_INTERNAL_H_
