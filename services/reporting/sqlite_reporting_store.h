#ifndef SERVICES_REPORTING_SQLITE_REPORTING_STORE_H_
#define SERVICES_REPORTING_SQLITE_REPORTING_STORE_H_

// ReportingStore on embedded SQLite (WAL, full sync); saves go through the
// group-commit writer.

#include <memory>
#include <string>

#include "services/reporting/reporting_store.h"

namespace lienthong {
class GroupCommitWriter;
class SqliteDatabase;
}  // namespace lienthong

namespace lienthong::reporting {

class SqliteReportingStore final : public ReportingStore {
 public:
  // Opens (creating and migrating) the database at `path`.
  static absl::StatusOr<std::unique_ptr<SqliteReportingStore>> Open(
      const std::string& path);
  ~SqliteReportingStore() override;

  absl::Status Save(const std::vector<ingestion::v1::Change>& changes) override;
  absl::StatusOr<int64_t> Load(
      const std::function<void(const ingestion::v1::DataValue& value,
                               bool first_late)>& value) override;

 private:
  SqliteReportingStore(std::unique_ptr<GroupCommitWriter> writer,
                       std::unique_ptr<SqliteDatabase> reader);

  std::unique_ptr<GroupCommitWriter> writer_;
  std::unique_ptr<SqliteDatabase> reader_;  // used by Load only
};

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_SQLITE_REPORTING_STORE_H_
