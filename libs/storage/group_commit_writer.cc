#include "libs/storage/group_commit_writer.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "libs/storage/sqlite_database.h"

namespace lienthong {
namespace {

constexpr absl::string_view kSavepoint = "group_commit_write";

}  // namespace

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
  const size_t max_group_size =
      static_cast<size_t>(std::max(1, options_.max_group_size));
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
      while (!queue_.empty() && group.size() < max_group_size) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::deque<Job> not_run = RunGroup(group);
    if (!not_run.empty()) {
      // First in line for the next group, in their original order.
      absl::MutexLock lock(&mutex_);
      for (auto it = not_run.rbegin(); it != not_run.rend(); ++it) {
        queue_.push_front(std::move(*it));
      }
    }
  }
}

std::deque<GroupCommitWriter::Job> GroupCommitWriter::RunGroup(
    std::deque<Job>& group) {
  std::vector<absl::Status> results(group.size());
  size_t run = group.size();  // jobs that get an outcome now
  absl::Status commit = db_->Begin();
  if (commit.ok()) {
    bool lost = false;
    for (size_t i = 0; i < group.size() && !lost; ++i) {
      absl::Status status = db_->Savepoint(kSavepoint);
      if (status.ok()) status = group[i].write(*db_);
      if (status.ok()) {
        status = db_->ReleaseSavepoint(kSavepoint);
      } else if (db_->in_transaction()) {
        // Undo this write alone; the others in the group stand.
        db_->RollbackToSavepoint(kSavepoint).IgnoreError();
        db_->ReleaseSavepoint(kSavepoint).IgnoreError();
      }
      results[i] = std::move(status);
      if (!db_->in_transaction()) {
        // SQLite rolled the whole transaction back (a full disk, an I/O error):
        // the writes before this one are gone too. The ones after it have not
        // run and go to the next group.
        lost = true;
        run = i + 1;
        commit = absl::AbortedError(absl::StrCat(
            "the group's transaction was rolled back by a failing write (",
            results[i].ToString(), "); retry"));
      }
    }
    if (!lost) {
      commit = db_->Commit();
      if (!commit.ok() && db_->in_transaction()) {
        db_->Rollback().IgnoreError();
      }
    }
  }
  {
    absl::MutexLock lock(&mutex_);
    stats_.writes += static_cast<int64_t>(run);
    if (commit.ok()) ++stats_.commits;
  }
  for (size_t i = 0; i < run; ++i) {
    // A write that succeeded is only as good as the commit that carries it.
    group[i].done(results[i].ok() ? commit : results[i]);
  }
  std::deque<Job> not_run;
  for (size_t i = run; i < group.size(); ++i) {
    not_run.push_back(std::move(group[i]));
  }
  return not_run;
}

}  // namespace lienthong
