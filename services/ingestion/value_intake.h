#ifndef SERVICES_INGESTION_VALUE_INTAKE_H_
#define SERVICES_INGESTION_VALUE_INTAKE_H_

// Intake of indicator values: every row is checked against the registry (unit,
// indicator, schedule, period, value type and range, input lock) before
// anything is written; a batch is written whole or not at all, as revisions on
// the change feed. Modes: upsert, replace-slice (omitted values of a re-sent
// report are deleted), delete. No gRPC here.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "lienthong/ingestion/v1/ingestion_service.pb.h"

namespace lienthong {
class Clock;
}  // namespace lienthong

namespace lienthong::ingestion {

class RegistryLookup;
class ValueStore;

// What a batch came to: `status` is OK when it was written (or replayed, or
// validated in a dry run), else why it was refused; `summary` says what it did
// and, when rows were invalid (INVALID_ARGUMENT, nothing written), which.
struct BatchOutcome {
  absl::Status status;
  v1::ImportSummary summary;
};

// What the intake has done since it started, for metrics.
struct IntakeCounts {
  int64_t batches_written = 0;
  int64_t batches_replayed = 0;  // answered from a stored request_id
  int64_t batches_refused = 0;   // nothing written
  int64_t batches_dry_run = 0;
  int64_t values_created = 0;
  int64_t values_updated = 0;
  int64_t values_unchanged = 0;
  int64_t values_deleted = 0;
  int64_t rows_rejected = 0;  // in refused batches and partial ones
};

class ValueIntake {
 public:
  // The arguments must outlive the intake.
  ValueIntake(ValueStore* store, RegistryLookup* registry, const Clock* clock)
      : store_(store), registry_(registry), clock_(clock) {}

  // Validates and applies a batch written by `actor` (the caller's identity),
  // of at most `max_rows` rows (unary calls: 50,000; streams may allow more).
  absl::StatusOr<v1::ImportSummary> Submit(
      const v1::SubmitValuesRequest& request, const std::string& actor,
      int max_rows = 50000);
  // The same, keeping the rejected rows of a refused batch in the outcome.
  BatchOutcome SubmitBatch(const v1::SubmitValuesRequest& request,
                           const std::string& actor, int max_rows = 50000);
  absl::StatusOr<v1::ListValuesResponse> ListValues(
      const v1::ListValuesRequest& request);
  absl::StatusOr<v1::ListValueRevisionsResponse> ListValueRevisions(
      const v1::ListValueRevisionsRequest& request);
  absl::StatusOr<v1::GetChangeFeedPositionResponse> GetChangeFeedPosition(
      const v1::GetChangeFeedPositionRequest& request);

  IntakeCounts counts() const;

 private:
  // Submit, and when rows are invalid, their problems in `*refused`.
  absl::StatusOr<v1::ImportSummary> Run(const v1::SubmitValuesRequest& request,
                                        const std::string& actor, int max_rows,
                                        v1::ImportSummary* refused);
  // Codes of `unit` and the units under it on `date`.
  absl::StatusOr<std::vector<std::string>> UnitAndDescendants(
      const std::string& unit, absl::CivilDay date);

  // Adds what a batch came to to the counts.
  void Count(const absl::StatusOr<v1::ImportSummary>& summary,
             const v1::ImportSummary* refused);

  ValueStore* store_;
  RegistryLookup* registry_;
  const Clock* clock_;
  mutable absl::Mutex counts_mutex_;
  IntakeCounts counts_ ABSL_GUARDED_BY(counts_mutex_);
};

}  // namespace lienthong::ingestion

#endif  // SERVICES_INGESTION_VALUE_INTAKE_H_
