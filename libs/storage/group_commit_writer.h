#ifndef LIBS_STORAGE_GROUP_COMMIT_WRITER_H_
#define LIBS_STORAGE_GROUP_COMMIT_WRITER_H_

// Group commit: one writer thread owns the write connection and runs every
// queued write in one transaction, each write in its own savepoint, then
// commits once — one fsync for the whole group instead of one per write. A
// write is acknowledged (its callback gets OK) only after the commit that
// contains it has returned, so an acknowledged write is durable; a write that
// fails is rolled back alone.
//
// Thread safety: Submit(), Write() and stats() may be called from any thread.
// The connection belongs to the writer thread; write functions and done
// callbacks run there, one at a time.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace lienthong {

class SqliteDatabase;

class GroupCommitWriter {
 public:
  // A write: statements on the connection, inside the group's transaction and
  // its own savepoint. It must not begin or end transactions itself, and may
  // use savepoints of its own (not named "group_commit_write").
  using WriteFn = std::function<absl::Status(SqliteDatabase&)>;
  // Called on the writer thread once the write is durable (OK) or has failed;
  // it must not block on other writes (it would stall the writer).
  using DoneFn = std::function<void(absl::Status)>;

  struct Options {
    // Most writes in one transaction (at least 1); bounds the latency of the
    // first one.
    int max_group_size = 1024;
  };

  struct Stats {
    int64_t writes = 0;   // writes run (acknowledged or failed)
    int64_t commits = 0;  // transactions committed
  };

  // Takes the write connection and starts the writer thread.
  GroupCommitWriter(std::unique_ptr<SqliteDatabase> db, Options options);
  explicit GroupCommitWriter(std::unique_ptr<SqliteDatabase> db)
      : GroupCommitWriter(std::move(db), Options()) {}
  // Runs what is queued, then stops the thread.
  ~GroupCommitWriter();

  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Queues `write`; `done` learns its outcome. Never blocks on the disk.
  void Submit(WriteFn write, DoneFn done);

  // Queues `write` and waits until it is durable or has failed.
  absl::Status Write(WriteFn write);

  // Counters since construction, e.g. to show many writes per commit.
  Stats stats() const;

 private:
  struct Job {
    WriteFn write;
    DoneFn done;
  };

  void Loop();
  // Runs and acknowledges `group` in one transaction. Returns the jobs it did
  // not get to run because a failing write lost the transaction.
  std::deque<Job> RunGroup(std::deque<Job>& group);

  std::unique_ptr<SqliteDatabase> db_;  // used only by the writer thread
  const Options options_;
  mutable absl::Mutex mutex_;
  std::deque<Job> queue_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  Stats stats_ ABSL_GUARDED_BY(mutex_);
  std::thread thread_;
};

}  // namespace lienthong

#endif  // LIBS_STORAGE_GROUP_COMMIT_WRITER_H_
