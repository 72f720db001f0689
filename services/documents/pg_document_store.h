#ifndef SERVICES_DOCUMENTS_PG_DOCUMENT_STORE_H_
#define SERVICES_DOCUMENTS_PG_DOCUMENT_STORE_H_

// DocumentStore on PostgreSQL: a connection for writes and one for reads, each
// used by one thread at a time. Every mutation is one READ COMMITTED
// transaction that locks what it checks, so several processes may share the
// database; every read is one REPEATABLE READ transaction, so it sees one
// snapshot (a document's states agree with its traces).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/documents/document_store.h"

namespace lienthong {
class PgDatabase;
}  // namespace lienthong

namespace lienthong::documents {

// The PostgreSQL backend of DocumentStore; thread-safe.
class PgDocumentStore final : public DocumentStore {
 public:
  // Connects to the database at `conninfo` (a libpq connection string),
  // creating and migrating its tables.
  static absl::StatusOr<std::unique_ptr<PgDocumentStore>> Open(
      const std::string& conninfo);
  ~PgDocumentStore() override;

  absl::StatusOr<SendResult> Send(const NewDocument& document) override;
  absl::StatusOr<v1::Document> Get(const std::string& id) override;
  absl::StatusOr<std::string> EnvelopeSha256(const std::string& id) override;
  absl::StatusOr<Page> ListBySender(const std::string& sender,
                                    const std::string& after_id,
                                    int limit) override;
  absl::StatusOr<bool> ApplyStatus(const StatusUpdate& update) override;
  absl::StatusOr<std::vector<StoredInboxEntry>> ListInbox(
      const std::string& recipient, int64_t after_entry, int limit) override;
  absl::StatusOr<int> Acknowledge(
      const std::string& recipient,
      const std::vector<int64_t>& entry_ids) override;
  absl::StatusOr<int64_t> CountInboxBacklog() override;
  absl::StatusOr<v1::Receipt> GetReceipt(const std::string& id,
                                         const std::string& recipient) override;

 private:
  using Body = std::function<absl::Status(PgDatabase& db)>;

  PgDocumentStore(std::unique_ptr<PgDatabase> writer,
                  std::unique_ptr<PgDatabase> reader);

  // Runs `body` in a transaction on the writer: commits when it returns OK,
  // rolls back otherwise.
  absl::Status Write(const Body& body) ABSL_LOCKS_EXCLUDED(writer_mutex_);
  // Runs `body` in one snapshot on the reader.
  absl::Status Read(const Body& body) ABSL_LOCKS_EXCLUDED(reader_mutex_);

  absl::Mutex writer_mutex_;
  std::unique_ptr<PgDatabase> writer_ ABSL_GUARDED_BY(writer_mutex_);
  absl::Mutex reader_mutex_;
  std::unique_ptr<PgDatabase> reader_ ABSL_GUARDED_BY(reader_mutex_);
};

}  // namespace lienthong::documents

#endif  // SERVICES_DOCUMENTS_PG_DOCUMENT_STORE_H_
