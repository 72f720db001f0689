#ifndef SERVICES_REGISTRY_SQLITE_RECORD_STORE_H_
#define SERVICES_REGISTRY_SQLITE_RECORD_STORE_H_

// RecordStore on embedded SQLite: group-committed writes, a read-only
// connection for reads.

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/registry/record_store.h"

namespace lienthong {
class GroupCommitWriter;
class SqliteDatabase;
}  // namespace lienthong

namespace lienthong::registry {

class SqliteRecordStore final : public RecordStore {
 public:
  // Opens (creating and migrating) the database at `path`.
  static absl::StatusOr<std::unique_ptr<SqliteRecordStore>> Open(
      const std::string& path);
  ~SqliteRecordStore() override;

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
  SqliteRecordStore(std::unique_ptr<GroupCommitWriter> writer,
                    std::unique_ptr<SqliteDatabase> reader);

  std::unique_ptr<GroupCommitWriter> writer_;
  absl::Mutex reader_mutex_;
  std::unique_ptr<SqliteDatabase> reader_ ABSL_GUARDED_BY(reader_mutex_);
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_SQLITE_RECORD_STORE_H_
