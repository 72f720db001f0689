#include "tools/ltctl/outbox.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/file/read_file.h"
#include "libs/storage/migrations.h"
#include "libs/storage/sqlite_database.h"

namespace lienthong::ltctl {
namespace {

const std::vector<Migration>& OutboxMigrations() {
  static const auto* migrations =
      new std::vector<Migration>{{1, "create jobs", R"sql(
        CREATE TABLE jobs (
          id INTEGER PRIMARY KEY,
          request_id_prefix TEXT NOT NULL UNIQUE,
          source TEXT NOT NULL,
          copy TEXT NOT NULL,
          schedule TEXT NOT NULL,
          mode INTEGER NOT NULL,
          dry_run INTEGER NOT NULL,
          accept_partial INTEGER NOT NULL,
          batch_rows INTEGER NOT NULL,
          source_system TEXT NOT NULL,
          state INTEGER NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          last_error TEXT NOT NULL DEFAULT '',
          report_json TEXT NOT NULL DEFAULT '',
          queued_unix_micros INTEGER NOT NULL);
      )sql"}};
  return *migrations;
}

absl::Status Errno(const std::string& what) {
  return absl::ErrnoToStatus(errno, what);
}

// Writes `content` to `path` so that it survives a crash once this returns:
// a temporary file, fsynced, renamed over `path`, and the directory fsynced.
absl::Status WriteDurably(const std::string& path, const std::string& content) {
  std::string temporary = path + ".tmp";
  int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Errno(temporary);
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      absl::Status error = Errno(temporary);
      ::close(fd);
      return error;
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    absl::Status error = Errno(temporary);
    ::close(fd);
    return error;
  }
  if (::close(fd) != 0) return Errno(temporary);
  if (::rename(temporary.c_str(), path.c_str()) != 0) return Errno(path);
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return Errno(dir);
  int synced = ::fsync(dir_fd);
  ::close(dir_fd);
  return synced == 0 ? absl::OkStatus() : Errno(dir);
}

constexpr char kColumns[] =
    "id, request_id_prefix, source, copy, schedule, mode, dry_run, "
    "accept_partial, batch_rows, source_system, state, attempts, last_error, "
    "report_json, queued_unix_micros";

OutboxJob JobFrom(const SqliteStatement& row) {
  OutboxJob job;
  job.id = row.ColumnInt64(0);
  job.request_id_prefix = row.ColumnText(1);
  job.source = row.ColumnText(2);
  job.copy = row.ColumnText(3);
  job.options.schedule = row.ColumnText(4);
  job.options.mode = static_cast<ingestion::v1::ImportMode>(row.ColumnInt64(5));
  job.options.dry_run = row.ColumnInt64(6) != 0;
  job.options.accept_partial = row.ColumnInt64(7) != 0;
  job.options.batch_rows = static_cast<int>(row.ColumnInt64(8));
  job.options.source_system = row.ColumnText(9);
  job.state = static_cast<OutboxJob::State>(row.ColumnInt64(10));
  job.attempts = static_cast<int>(row.ColumnInt64(11));
  job.last_error = row.ColumnText(12);
  job.report_json = row.ColumnText(13);
  job.queued = absl::FromUnixMicros(row.ColumnInt64(14));
  return job;
}

}  // namespace

std::string StateName(OutboxJob::State state) {
  switch (state) {
    case OutboxJob::State::kPending:
      return "pending";
    case OutboxJob::State::kDelivered:
      return "delivered";
    case OutboxJob::State::kFailed:
      return "failed";
  }
  return "unknown";
}

Outbox::Outbox(std::string dir, std::unique_ptr<SqliteDatabase> db)
    : dir_(std::move(dir)), db_(std::move(db)) {}

Outbox::~Outbox() = default;

absl::StatusOr<std::unique_ptr<Outbox>> Outbox::Open(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir + "/files", error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create the outbox ", dir, ": ", error.message()));
  }
  SqliteDatabase::Options options;
  options.path = dir + "/outbox.db";
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> db =
      SqliteDatabase::Open(options);
  if (!db.ok()) return db.status();
  if (absl::Status migrated =
          ApplyMigrations(**db, "ltctl_outbox", OutboxMigrations());
      !migrated.ok()) {
    return migrated;
  }
  return std::unique_ptr<Outbox>(new Outbox(dir, *std::move(db)));
}

absl::StatusOr<OutboxJob> Outbox::Enqueue(const std::string& path,
                                          const PushOptions& options,
                                          absl::Time now) {
  absl::StatusOr<std::string> prefix = RequestIdPrefix(path, options);
  if (!prefix.ok()) return prefix.status();
  absl::StatusOr<std::string> content = ReadFile(path);
  if (!content.ok()) return content.status();
  // The copy keeps the extension, which says the file's format.
  std::string copy =
      absl::StrCat(dir_, "/files/", *prefix,
                   std::filesystem::path(path).extension().string());
  if (absl::Status written = WriteDurably(copy, *content); !written.ok()) {
    return written;
  }
  absl::StatusOr<SqliteStatement*> upsert = db_->Prepare(
      "INSERT INTO jobs (request_id_prefix, source, copy, schedule, mode, "
      "dry_run, accept_partial, batch_rows, source_system, state, "
      "queued_unix_micros) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10) "
      "ON CONFLICT (request_id_prefix) DO UPDATE SET source = ?2, state = 0, "
      "last_error = '', report_json = ''");
  if (!upsert.ok()) return upsert.status();
  (*upsert)
      ->Bind(1, *prefix)
      .Bind(2, path)
      .Bind(3, copy)
      .Bind(4, options.schedule)
      .Bind(5, static_cast<int64_t>(options.mode))
      .Bind(6, options.dry_run ? 1 : 0)
      .Bind(7, options.accept_partial ? 1 : 0)
      .Bind(8, options.batch_rows)
      .Bind(9, options.source_system)
      .Bind(10, absl::ToUnixMicros(now));
  if (absl::Status run = (*upsert)->Run(); !run.ok()) return run;
  absl::StatusOr<SqliteStatement*> select = db_->Prepare(absl::StrCat(
      "SELECT ", kColumns, " FROM jobs WHERE request_id_prefix = ?1"));
  if (!select.ok()) return select.status();
  (*select)->Bind(1, *prefix);
  absl::StatusOr<bool> found = (*select)->Step();
  if (!found.ok()) return found.status();
  if (!*found) return absl::InternalError("the queued job vanished");
  return JobFrom(**select);
}

absl::StatusOr<std::vector<OutboxJob>> Outbox::List(bool pending_only) {
  absl::StatusOr<SqliteStatement*> select = db_->Prepare(
      absl::StrCat("SELECT ", kColumns, " FROM jobs",
                   pending_only ? " WHERE state = 0" : "", " ORDER BY id"));
  if (!select.ok()) return select.status();
  std::vector<OutboxJob> jobs;
  while (true) {
    absl::StatusOr<bool> row = (*select)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    jobs.push_back(JobFrom(**select));
  }
  return jobs;
}

absl::Status Outbox::RecordAttempt(int64_t id, const std::string& error) {
  absl::StatusOr<SqliteStatement*> update = db_->Prepare(
      "UPDATE jobs SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1");
  if (!update.ok()) return update.status();
  return (*update)->Bind(1, id).Bind(2, error).Run();
}

absl::Status Outbox::Finish(int64_t id, OutboxJob::State state,
                            const std::string& report_json) {
  absl::StatusOr<SqliteStatement*> update = db_->Prepare(
      "UPDATE jobs SET attempts = attempts + 1, state = ?2, report_json = ?3, "
      "last_error = '' WHERE id = ?1");
  if (!update.ok()) return update.status();
  return (*update)
      ->Bind(1, id)
      .Bind(2, static_cast<int64_t>(state))
      .Bind(3, report_json)
      .Run();
}

}  // namespace lienthong::ltctl
