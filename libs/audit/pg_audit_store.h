#ifndef LIBS_AUDIT_PG_AUDIT_STORE_H_
#define LIBS_AUDIT_PG_AUDIT_STORE_H_

// The audit log in PostgreSQL, one row per record, each append committed
// (durably) on its own.

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "libs/audit/audit_store.h"

namespace lienthong {
class PgDatabase;
}  // namespace lienthong

namespace lienthong::audit {

class PgAuditStore final : public AuditStore {
 public:
  // Connects to the database at `conninfo` (a libpq connection string),
  // creating and migrating its table.
  static absl::StatusOr<std::unique_ptr<PgAuditStore>> Open(
      const std::string& conninfo);
  ~PgAuditStore() override;

  absl::Status Append(const AuditEntry& entry) override;
  absl::StatusOr<absl::optional<AuditEntry>> Last() override;
  absl::StatusOr<std::vector<AuditEntry>> Scan(int64_t after_sequence,
                                               int limit) override;

 private:
  explicit PgAuditStore(std::unique_ptr<PgDatabase> db);

  absl::Mutex mutex_;
  std::unique_ptr<PgDatabase> db_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace lienthong::audit

#endif  // LIBS_AUDIT_PG_AUDIT_STORE_H_
