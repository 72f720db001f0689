#include "libs/storage/group_commit_writer.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/storage/sqlite_database.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;

class GroupCommitWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::string(std::getenv("TEST_TMPDIR")) + "/group.sqlite";
    std::filesystem::remove(path_);
    LT_ASSERT_OK_AND_ASSIGN(auto db, SqliteDatabase::Open({path_}));
    ASSERT_THAT(db->Exec("CREATE TABLE vals (id INTEGER PRIMARY KEY, v TEXT)"),
                IsOk());
    writer_ = std::make_unique<GroupCommitWriter>(std::move(db));
  }

  static GroupCommitWriter::WriteFn InsertRow(int64_t id) {
    return [id](SqliteDatabase& db) -> absl::Status {
      absl::StatusOr<SqliteStatement*> insert =
          db.Prepare("INSERT INTO vals (id, v) VALUES (?, 'x')");
      if (!insert.ok()) return insert.status();
      return (*insert)->Bind(1, id).Run();
    };
  }

  // Rows as a separate reader sees them: only what was committed.
  int64_t CommittedRows() {
    auto reader = SqliteDatabase::Open({path_, /*read_only=*/true});
    EXPECT_THAT(reader, IsOk());
    SqliteStatement* count = *(*reader)->Prepare("SELECT COUNT(*) FROM vals");
    EXPECT_THAT(count->Step(), IsOk());
    return count->ColumnInt64(0);
  }

  std::string path_;
  std::unique_ptr<GroupCommitWriter> writer_;
};

TEST_F(GroupCommitWriterTest, AcknowledgedWriteIsCommitted) {
  ASSERT_THAT(writer_->Write(InsertRow(1)), IsOk());
  EXPECT_EQ(CommittedRows(), 1);
}

TEST_F(GroupCommitWriterTest, QueuedWritesShareOneCommit) {
  // Hold the writer inside a first write while 100 more queue up behind it.
  absl::Notification release;
  absl::Notification held;
  writer_->Submit(
      [&](SqliteDatabase&) {
        held.Notify();
        release.WaitForNotification();
        return absl::OkStatus();
      },
      [](absl::Status) {});
  held.WaitForNotification();
  std::atomic<int> acknowledged{0};
  for (int i = 0; i < 100; ++i) {
    writer_->Submit(InsertRow(i), [&](absl::Status status) {
      EXPECT_THAT(status, IsOk());
      acknowledged.fetch_add(1);
    });
  }
  // The last write is queued before the release too, or the writer could take
  // the first 100 alone.
  absl::Notification last_done;
  absl::Status last;
  writer_->Submit(InsertRow(1000), [&](absl::Status status) {
    last = status;
    last_done.Notify();
  });
  release.Notify();
  last_done.WaitForNotification();  // callbacks run in order
  ASSERT_THAT(last, IsOk());

  EXPECT_EQ(acknowledged.load(), 100);
  EXPECT_EQ(CommittedRows(), 101);
  GroupCommitWriter::Stats stats = writer_->stats();
  EXPECT_EQ(stats.writes, 102);
  // The held write's group, then the 100 queued plus the last one together.
  EXPECT_EQ(stats.commits, 2);
}

TEST_F(GroupCommitWriterTest, AFailedWriteIsUndoneAloneAndReported) {
  absl::Notification release;
  absl::Notification held;
  writer_->Submit(
      [&](SqliteDatabase&) {
        held.Notify();
        release.WaitForNotification();
        return absl::OkStatus();
      },
      [](absl::Status) {});
  held.WaitForNotification();
  absl::Status first, duplicate, partial, third;
  writer_->Submit(InsertRow(1), [&](absl::Status s) { first = s; });
  writer_->Submit(InsertRow(1), [&](absl::Status s) { duplicate = s; });
  // A write that inserts, then fails: its insert must not survive.
  writer_->Submit(
      [](SqliteDatabase& db) -> absl::Status {
        if (absl::Status s = InsertRow(2)(db); !s.ok()) return s;
        return absl::InvalidArgumentError("row 2 of the batch is bad");
      },
      [&](absl::Status s) { partial = s; });
  writer_->Submit(InsertRow(3), [&](absl::Status s) { third = s; });
  release.Notify();
  ASSERT_THAT(writer_->Write(InsertRow(4)), IsOk());

  EXPECT_THAT(first, IsOk());
  EXPECT_THAT(duplicate, StatusCodeIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(partial, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(third, IsOk());
  EXPECT_EQ(CommittedRows(), 3);  // ids 1, 3, 4
}

TEST_F(GroupCommitWriterTest, ConcurrentWritersAreAllAcknowledged) {
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        if (!writer_->Write(InsertRow(t * kWritesPerThread + i)).ok()) {
          failures.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(CommittedRows(), kThreads * kWritesPerThread);
  EXPECT_LE(writer_->stats().commits, kThreads * kWritesPerThread);
}

TEST_F(GroupCommitWriterTest,
       ConcurrentSubmittersBehindAHeldWriteShareACommit) {
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 25;
  constexpr int kWrites = kThreads * kWritesPerThread;
  absl::Notification release;
  absl::Notification held;
  writer_->Submit(
      [&](SqliteDatabase&) {
        held.Notify();
        release.WaitForNotification();
        return absl::OkStatus();
      },
      [](absl::Status) {});
  held.WaitForNotification();

  absl::BlockingCounter submitted(kThreads);
  absl::BlockingCounter acknowledged(kWrites);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        writer_->Submit(InsertRow(t * kWritesPerThread + i),
                        [&](absl::Status status) {
                          if (!status.ok()) failures.fetch_add(1);
                          acknowledged.DecrementCount();
                        });
      }
      submitted.DecrementCount();
    });
  }
  submitted.Wait();  // every write is queued behind the held one
  release.Notify();
  acknowledged.Wait();
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(CommittedRows(), kWrites);
  GroupCommitWriter::Stats stats = writer_->stats();
  EXPECT_EQ(stats.writes, kWrites + 1);
  // The held write's commit, then one for all 200 queued writes.
  EXPECT_EQ(stats.commits, 2);
}

TEST_F(GroupCommitWriterTest, MaxGroupSizeBoundsAGroup) {
  path_ += ".small_groups";
  std::filesystem::remove(path_);
  LT_ASSERT_OK_AND_ASSIGN(auto db, SqliteDatabase::Open({path_}));
  ASSERT_THAT(db->Exec("CREATE TABLE vals (id INTEGER PRIMARY KEY, v TEXT)"),
              IsOk());
  GroupCommitWriter::Options options;
  options.max_group_size = 10;
  writer_ = std::make_unique<GroupCommitWriter>(std::move(db), options);

  absl::Notification release;
  absl::Notification held;
  writer_->Submit(
      [&](SqliteDatabase&) {
        held.Notify();
        release.WaitForNotification();
        return absl::OkStatus();
      },
      [](absl::Status) {});
  held.WaitForNotification();
  absl::BlockingCounter acknowledged(100);
  for (int i = 0; i < 100; ++i) {
    writer_->Submit(InsertRow(i), [&](absl::Status status) {
      EXPECT_THAT(status, IsOk());
      acknowledged.DecrementCount();
    });
  }
  release.Notify();
  acknowledged.Wait();
  EXPECT_EQ(CommittedRows(), 100);
  EXPECT_EQ(writer_->stats().commits, 1 + 10);
}

TEST_F(GroupCommitWriterTest, AWriteThatLosesTheTransactionFailsOnlyItsGroup) {
  absl::Notification release;
  absl::Notification held;
  writer_->Submit(
      [&](SqliteDatabase&) {
        held.Notify();
        release.WaitForNotification();
        return absl::OkStatus();
      },
      [](absl::Status) {});
  held.WaitForNotification();
  absl::Status before, losing, after;
  writer_->Submit(InsertRow(1), [&](absl::Status s) { before = s; });
  // What SQLite does on a full disk or an I/O error: the whole transaction is
  // rolled back, not just this write's savepoint.
  writer_->Submit(
      [](SqliteDatabase& db) -> absl::Status {
        if (absl::Status s = InsertRow(2)(db); !s.ok()) return s;
        db.Exec("ROLLBACK").IgnoreError();
        return absl::ResourceExhaustedError("database or disk is full");
      },
      [&](absl::Status s) { losing = s; });
  writer_->Submit(InsertRow(3), [&](absl::Status s) { after = s; });
  release.Notify();
  ASSERT_THAT(writer_->Write(InsertRow(4)), IsOk());

  // The write before it was in the lost transaction: not acknowledged.
  EXPECT_THAT(before, StatusCodeIs(absl::StatusCode::kAborted));
  EXPECT_THAT(losing, StatusCodeIs(absl::StatusCode::kResourceExhausted));
  // The writes after it had not run yet; they ran in the next group.
  EXPECT_THAT(after, IsOk());
  EXPECT_EQ(CommittedRows(), 2);  // ids 3, 4
  EXPECT_EQ(writer_->stats().writes, 5);
}

TEST_F(GroupCommitWriterTest, DestructionRunsWhatIsQueued) {
  std::atomic<int> acknowledged{0};
  for (int i = 0; i < 20; ++i) {
    writer_->Submit(InsertRow(i), [&](absl::Status status) {
      if (status.ok()) acknowledged.fetch_add(1);
    });
  }
  writer_.reset();
  EXPECT_EQ(acknowledged.load(), 20);
  EXPECT_EQ(CommittedRows(), 20);
}

}  // namespace
}  // namespace lienthong
