#include "libs/storage/group_commit_writer.h"

#include <utility>
#include <vector>

#include "absl/synchronization/notification.h"
#include "libs/storage/sqlite_database.h"

namespace lienthong {

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<SqliteDatabase> db,
                                     Options options)
    : db_(std::move(db)), options_(options), thread_([this] { Loop(); }) {}

GroupCommitWriter::~GroupCommitWriter() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  thread_.join();
}

void GroupCommitWriter::Submit(WriteFn write, DoneFn done) {
  absl::MutexLock lock(&mutex_);
  queue_.push_back(Job{std::move(write), std::move(done)});
}

absl::Status GroupCommitWriter::Write(WriteFn write) {
  absl::Notification finished;
  absl::Status result;
  Submit(std::move(write), [&](absl::Status status) {
    result = std::move(status);
    finished.Notify();
  });
  finished.WaitForNotification();
  return result;
}

GroupCommitWriter::Stats GroupCommitWriter::stats() const {
  absl::MutexLock lock(&mutex_);
  return stats_;
}

void GroupCommitWriter::Loop() {
  while (true) {
    std::deque<Job> group;
    {
      absl::MutexLock lock(&mutex_);
      mutex_.Await(absl::Condition(
          +[](GroupCommitWriter* self)
               ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mutex_) {
                 return self->stopping_ || !self->queue_.empty();
               },
          this));
      if (queue_.empty()) return;  // stopping, and everything is done
      while (!queue_.empty() &&
             static_cast<int>(group.size()) < options_.max_group_size) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    RunGroup(group);
  }
}

void GroupCommitWriter::RunGroup(std::deque<Job>& group) {
  std::vector<absl::Status> results(group.size());
  absl::Status commit = db_->Begin();
  if (commit.ok()) {
    for (size_t i = 0; i < group.size(); ++i) {
      absl::Status status = db_->Savepoint("write");
      if (status.ok()) status = group[i].write(*db_);
      if (status.ok()) {
        status = db_->ReleaseSavepoint("write");
      } else {
        // Undo this write alone; the others in the group stand.
        db_->RollbackToSavepoint("write").IgnoreError();
        db_->ReleaseSavepoint("write").IgnoreError();
      }
      results[i] = std::move(status);
    }
    commit = db_->Commit();
    if (!commit.ok()) db_->Rollback().IgnoreError();
  }
  {
    absl::MutexLock lock(&mutex_);
    stats_.writes += static_cast<int64_t>(group.size());
    if (commit.ok()) ++stats_.commits;
  }
  for (size_t i = 0; i < group.size(); ++i) {
    // A write that succeeded is only as good as the commit that carries it.
    group[i].done(results[i].ok() ? commit : results[i]);
  }
}

}  // namespace lienthong
