#ifndef SERVICES_INGESTION_PG_VALUE_STORE_H_
#define SERVICES_INGESTION_PG_VALUE_STORE_H_

// ValueStore on PostgreSQL: a connection for batches and one for reads, each
// used by one thread at a time. Every batch is one transaction, durable when
// its commit returns (synchronous_commit; the server groups WAL flushes
// itself), and batches take turns on the feed's head row, so several
// processes may share the database and the feed stays in commit order.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/ingestion/value_store.h"

namespace lienthong {
class PgDatabase;
}  // namespace lienthong

namespace lienthong::ingestion {

class PgValueStore final : public ValueStore {
 public:
  // Connects to the database at `conninfo` (a libpq connection string),
  // creating and migrating its tables.
  static absl::StatusOr<std::unique_ptr<PgValueStore>> Open(
      const std::string& conninfo);
  ~PgValueStore() override;

  absl::StatusOr<absl::optional<v1::DataValue>> Get(
      const ValueKey& key) override;
  absl::StatusOr<std::vector<v1::DataValue>> List(
      const ValueQuery& query) override;
  absl::StatusOr<std::vector<v1::DataValue>> ListAsOf(
      const ValueQuery& query, int64_t as_of_unix_nanos) override;
  absl::StatusOr<std::vector<v1::ValueRevision>> Revisions(const ValueKey& key,
                                                           int limit) override;
  absl::StatusOr<absl::optional<std::string>> FindResponse(
      const std::string& request_id) override;
  absl::StatusOr<ApplyResult> Apply(
      std::vector<ValueWrite> writes, const std::vector<SliceKey>& replace,
      const common::v1::AuditInfo& written,
      const std::function<std::string(const ApplyResult&)>& respond) override;
  absl::StatusOr<ApplyResult> Plan(
      const std::vector<ValueWrite>& writes,
      const std::vector<SliceKey>& replace) override;
  absl::StatusOr<std::vector<v1::Change>> ChangesAfter(int64_t after,
                                                       int limit) override;
  absl::StatusOr<int64_t> HeadSequence() override;

  // Batches committed so far by this store (one transaction each), as
  // SqliteValueStore::commits() counts its group commits.
  int64_t commits() const override;

 private:
  PgValueStore(std::unique_ptr<PgDatabase> writer,
               std::unique_ptr<PgDatabase> reader);

  absl::Mutex writer_mutex_;
  std::unique_ptr<PgDatabase> writer_ ABSL_GUARDED_BY(writer_mutex_);
  absl::Mutex reader_mutex_;
  std::unique_ptr<PgDatabase> reader_ ABSL_GUARDED_BY(reader_mutex_);
  std::atomic<int64_t> commits_{0};
};

}  // namespace lienthong::ingestion

#endif  // SERVICES_INGESTION_PG_VALUE_STORE_H_
