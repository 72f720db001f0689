#ifndef SERVICES_DOCUMENTS_SQLITE_DOCUMENT_STORE_H_
#define SERVICES_DOCUMENTS_SQLITE_DOCUMENT_STORE_H_

// DocumentStore on embedded SQLite (WAL, synchronous=FULL: an acknowledged
// write survives a crash). Mutations go through the group-commit writer: each
// runs atomically in its own savepoint, many share one fsync, and each is
// acknowledged only once committed; reads run in one read
// transaction on a separate read-only connection, so they see a consistent
// snapshot and never wait for the writer's fsync.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/documents/document_store.h"

namespace lienthong {
class GroupCommitWriter;
class SqliteDatabase;
}  // namespace lienthong

namespace lienthong::documents {

// The SQLite backend of DocumentStore; thread-safe.
class SqliteDocumentStore final : public DocumentStore {
 public:
  // Opens (creating and migrating) the database at `path`.
  static absl::StatusOr<std::unique_ptr<SqliteDocumentStore>> Open(
      const std::string& path);
  ~SqliteDocumentStore() override;

  absl::StatusOr<SendResult> Send(const NewDocument& document) override;
  absl::StatusOr<v1::Document> Get(const std::string& id) override;
  absl::StatusOr<std::string> EnvelopeSha256(const std::string& id) override;
  absl::StatusOr<Page> ListBySender(const std::string& sender,
                                    const std::string& after_id,
                                    int limit) override;
  absl::StatusOr<bool> ApplyStatus(const StatusUpdate& update) override;
  absl::StatusOr<std::vector<StoredInboxEntry>> ListInbox(
      const std::string& recipient, int64_t after_entry, int limit) override;
  absl::StatusOr<int64_t> CountInboxBacklog() override;
  absl::StatusOr<int> Acknowledge(
      const std::string& recipient,
      const std::vector<int64_t>& entry_ids) override;
  absl::StatusOr<v1::Receipt> GetReceipt(const std::string& id,
                                         const std::string& recipient) override;

 private:
  using Body = std::function<absl::Status(SqliteDatabase& db)>;

  SqliteDocumentStore(std::unique_ptr<GroupCommitWriter> writer,
                      std::unique_ptr<SqliteDatabase> reader);

  // Runs `body` atomically and waits until it is durable: its changes are
  // committed when it returns OK, rolled back otherwise.
  absl::Status Write(const Body& body);
  // Runs `body` in one read transaction (one snapshot).
  absl::Status Read(const Body& body) ABSL_LOCKS_EXCLUDED(reader_mutex_);

  std::unique_ptr<GroupCommitWriter> writer_;
  absl::Mutex reader_mutex_;
  std::unique_ptr<SqliteDatabase> reader_ ABSL_GUARDED_BY(reader_mutex_);
};

}  // namespace lienthong::documents

#endif  // SERVICES_DOCUMENTS_SQLITE_DOCUMENT_STORE_H_
