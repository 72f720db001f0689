#ifndef SERVICES_INGESTION_SQLITE_VALUE_STORE_H_
#define SERVICES_INGESTION_SQLITE_VALUE_STORE_H_

// ValueStore on embedded SQLite: batches go through the group-commit writer
// (many batches per fsync), reads use a separate read-only connection.

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/ingestion/value_store.h"

namespace lienthong {
class GroupCommitWriter;
class SqliteDatabase;
}  // namespace lienthong

namespace lienthong::ingestion {

class SqliteValueStore final : public ValueStore {
 public:
  // Opens (creating and migrating) the database at `path`.
  static absl::StatusOr<std::unique_ptr<SqliteValueStore>> Open(
      const std::string& path);
  ~SqliteValueStore() override;

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

  // Transactions committed so far (each one fsync), for measuring group commit.
  int64_t commits() const override;

 private:
  // A change Decide() found necessary.
  struct PlannedChange {
    ValueKey key;
    absl::optional<v1::DataValue> current;  // the stored value, if any
    const v1::DataValue* next;              // the new value; null to remove
  };

  static absl::StatusOr<std::vector<PlannedChange>> Decide(
      SqliteDatabase& db, const std::vector<ValueWrite>& writes,
      const std::vector<SliceKey>& replace, ApplyResult& result);
  static absl::StatusOr<int64_t> Execute(SqliteDatabase& db,
                                         const std::vector<PlannedChange>& plan,
                                         const common::v1::AuditInfo& written);

  SqliteValueStore(std::unique_ptr<GroupCommitWriter> writer,
                   std::unique_ptr<SqliteDatabase> reader);

  std::unique_ptr<GroupCommitWriter> writer_;
  absl::Mutex reader_mutex_;
  std::unique_ptr<SqliteDatabase> reader_ ABSL_GUARDED_BY(reader_mutex_);
};

}  // namespace lienthong::ingestion

#endif  // SERVICES_INGESTION_SQLITE_VALUE_STORE_H_
