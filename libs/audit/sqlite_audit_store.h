#ifndef LIBS_AUDIT_SQLITE_AUDIT_STORE_H_
#define LIBS_AUDIT_SQLITE_AUDIT_STORE_H_

// The audit log in its own SQLite file (audit.db under the data directory),
// one row per record, synced on every append.

#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "libs/audit/audit_store.h"

namespace lienthong {
class SqliteDatabase;
}  // namespace lienthong

namespace lienthong::audit {

class SqliteAuditStore final : public AuditStore {
 public:
  // Opens or creates the log at `path` (":memory:" for tests).
  static absl::StatusOr<std::unique_ptr<SqliteAuditStore>> Open(
      const std::string& path);
  ~SqliteAuditStore() override;

  absl::Status Append(const AuditEntry& entry) override;
  absl::StatusOr<absl::optional<AuditEntry>> Last() override;
  absl::StatusOr<std::vector<AuditEntry>> Scan(int64_t after_sequence,
                                               int limit) override;

 private:
  explicit SqliteAuditStore(std::unique_ptr<SqliteDatabase> db);

  absl::Mutex mutex_;
  std::unique_ptr<SqliteDatabase> db_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace lienthong::audit

#endif  // LIBS_AUDIT_SQLITE_AUDIT_STORE_H_
