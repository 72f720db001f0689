// A process killed in the middle of a write never leaves half a batch behind,
// and every write acknowledged before the crash is still there afterwards.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/storage/group_commit_writer.h"
#include "libs/storage/sqlite_database.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

using ::lienthong::testing::IsOk;

constexpr int kBatchARows = 100;
constexpr int kBatchBRows = 5000;
constexpr int kCrashAtRow = 2500;

absl::Status InsertBatch(SqliteDatabase& db, const std::string& batch, int rows,
                         int crash_at_row) {
  for (int i = 0; i < rows; ++i) {
    if (i == crash_at_row) {
      // Die like a power cut would: no destructors, no rollback, no exit
      // handlers.
      kill(getpid(), SIGKILL);
    }
    absl::StatusOr<SqliteStatement*> insert =
        db.Prepare("INSERT INTO vals (batch, seq, payload) VALUES (?, ?, ?)");
    if (!insert.ok()) return insert.status();
    absl::Status status = (*insert)
                              ->Bind(1, batch)
                              .Bind(2, int64_t{i})
                              .Bind(3, std::string(512, 'v'))
                              .Run();
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// The child: commits batch A through the group-commit writer (acknowledged),
// then dies half-way through batch B. Returns only on failure.
[[noreturn]] void RunChild(const std::string& path) {
  auto db = SqliteDatabase::Open({path});
  if (!db.ok()) _exit(10);
  // A tiny page cache makes SQLite spill batch B's pages into the WAL before
  // the commit, so the crash leaves uncommitted bytes on disk, not only in
  // memory.
  if (!(*db)
           ->Exec("CREATE TABLE vals (batch TEXT, seq INTEGER, payload TEXT);"
                  "PRAGMA cache_size=8")
           .ok()) {
    _exit(11);
  }
  GroupCommitWriter writer(*std::move(db));
  if (!writer
           .Write([](SqliteDatabase& db) {
             return InsertBatch(db, "A", kBatchARows, -1);
           })
           .ok()) {
    _exit(12);
  }
  writer
      .Write([](SqliteDatabase& db) {
        return InsertBatch(db, "B", kBatchBRows, kCrashAtRow);
      })
      .IgnoreError();
  _exit(13);  // not reached: the write above kills the process
}

int64_t CountBatch(SqliteDatabase& db, const std::string& batch) {
  SqliteStatement* count =
      *db.Prepare("SELECT COUNT(*) FROM vals WHERE batch = ?");
  count->Bind(1, batch);
  EXPECT_THAT(count->Step(), IsOk());
  return count->ColumnInt64(0);
}

TEST(CrashSafetyTest, CrashMidBatchKeepsAcknowledgedAndDropsTheHalfBatch) {
  std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/crash.sqlite";
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");

  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) RunChild(path);
  int wait_status = 0;
  ASSERT_EQ(waitpid(child, &wait_status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(wait_status))
      << "child exited with " << WEXITSTATUS(wait_status);
  ASSERT_EQ(WTERMSIG(wait_status), SIGKILL);
  // The crash left a WAL with uncommitted frames in it.
  ASSERT_TRUE(std::filesystem::exists(path + "-wal"));
  EXPECT_GT(std::filesystem::file_size(path + "-wal"), 0u);

  LT_ASSERT_OK_AND_ASSIGN(auto db, SqliteDatabase::Open({path}));
  EXPECT_EQ(CountBatch(*db, "A"), kBatchARows);
  EXPECT_EQ(CountBatch(*db, "B"), 0);
  SqliteStatement* check = *db->Prepare("PRAGMA integrity_check");
  ASSERT_THAT(check->Step(), IsOk());
  EXPECT_EQ(check->ColumnText(0), "ok");
}

}  // namespace
}  // namespace lienthong
