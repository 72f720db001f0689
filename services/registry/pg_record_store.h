#ifndef SERVICES_REGISTRY_PG_RECORD_STORE_H_
#define SERVICES_REGISTRY_PG_RECORD_STORE_H_

// RecordStore on PostgreSQL: a connection for writes and one for reads, each
// used by one thread at a time. A write is one transaction that locks the rows
// it checks, so several processes may share the database.

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/registry/record_store.h"

namespace lienthong {
class PgDatabase;
}  // namespace lienthong

namespace lienthong::registry {

class PgRecordStore final : public RecordStore {
 public:
  // Connects to the database at `conninfo` (a libpq connection string),
  // creating and migrating its tables.
  static absl::StatusOr<std::unique_ptr<PgRecordStore>> Open(
      const std::string& conninfo);
  ~PgRecordStore() override;

  absl::StatusOr<Record> Get(const std::string& kind,
                             const std::string& id) override;
  absl::StatusOr<std::vector<Record>> List(const std::string& kind,
                                           const std::string& owner,
                                           const std::string& after_id,
                                           int limit) override;
  absl::StatusOr<absl::optional<std::string>> FindResponse(
      const std::string& request_id) override;
  absl::StatusOr<std::vector<RecordPut>> Write(
      std::vector<RecordPut> puts, const std::string& request_id,
      const std::function<std::string(const std::vector<RecordPut>&)>& respond)
      override;

 private:
  PgRecordStore(std::unique_ptr<PgDatabase> writer,
                std::unique_ptr<PgDatabase> reader);

  absl::Mutex writer_mutex_;
  std::unique_ptr<PgDatabase> writer_ ABSL_GUARDED_BY(writer_mutex_);
  absl::Mutex reader_mutex_;
  std::unique_ptr<PgDatabase> reader_ ABSL_GUARDED_BY(reader_mutex_);
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_PG_RECORD_STORE_H_
