#ifndef SERVICES_REPORTING_PG_REPORTING_STORE_H_
#define SERVICES_REPORTING_PG_REPORTING_STORE_H_

// ReportingStore on PostgreSQL: a connection for saves and one for loads,
// each used by one thread at a time; every save is one transaction.

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/reporting/reporting_store.h"

namespace lienthong {
class PgDatabase;
}  // namespace lienthong

namespace lienthong::reporting {

class PgReportingStore final : public ReportingStore {
 public:
  // Connects to the database at `conninfo` (a libpq connection string),
  // creating and migrating its tables.
  static absl::StatusOr<std::unique_ptr<PgReportingStore>> Open(
      const std::string& conninfo);
  ~PgReportingStore() override;

  absl::Status Save(const std::vector<ingestion::v1::Change>& changes) override;
  absl::StatusOr<int64_t> Load(
      const std::function<void(const ingestion::v1::DataValue& value,
                               bool first_late)>& value) override;

 private:
  PgReportingStore(std::unique_ptr<PgDatabase> writer,
                   std::unique_ptr<PgDatabase> reader);

  absl::Mutex writer_mutex_;
  std::unique_ptr<PgDatabase> writer_ ABSL_GUARDED_BY(writer_mutex_);
  absl::Mutex reader_mutex_;
  std::unique_ptr<PgDatabase> reader_ ABSL_GUARDED_BY(reader_mutex_);
};

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_PG_REPORTING_STORE_H_
