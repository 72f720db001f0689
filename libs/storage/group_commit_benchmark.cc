// Writes N single-row writes from T threads through GroupCommitWriter, and the
// same rows as one transaction each on a plain connection (the fsync limit:
// what the disk allows without grouping). Prints both and their ratio; the last
// line is JSON. Usage: group_commit_benchmark [rows=20000] [threads=8]
// (or GROUP_COMMIT_BENCH_ROWS in the environment); BENCH_DIR for the files.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/storage/group_commit_writer.h"
#include "libs/storage/sqlite_database.h"

namespace lienthong {
namespace {

constexpr char kSchema[] =
    "CREATE TABLE vals (unit TEXT, indicator TEXT, period TEXT, value REAL)";
constexpr char kInsert[] =
    "INSERT INTO vals (unit, indicator, period, value) VALUES (?, ?, ?, ?)";

absl::Status InsertRow(SqliteDatabase& db, int64_t i) {
  absl::StatusOr<SqliteStatement*> insert = db.Prepare(kInsert);
  if (!insert.ok()) return insert.status();
  return (*insert)
      ->Bind(1, absl::StrCat(i % 3321))
      .Bind(2, absl::StrCat("CDS.", i % 80))
      .Bind(3, "2025-M06")
      .Bind(4, static_cast<double>(i))
      .Run();
}

std::unique_ptr<SqliteDatabase> FreshDatabase(const std::string& path) {
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  auto db = SqliteDatabase::Open({path});
  if (!db.ok() || !(*db)->Exec(kSchema).ok()) {
    std::fprintf(stderr, "cannot create %s\n", path.c_str());
    std::exit(1);
  }
  return *std::move(db);
}

// One transaction (one fsync) per row, single thread. Stops early after
// `budget` so a slow disk keeps the run short; `*done` says how many rows.
double BaselineRowsPerSecond(const std::string& path, int rows,
                             absl::Duration budget, int* done) {
  std::unique_ptr<SqliteDatabase> db = FreshDatabase(path);
  absl::Time start = absl::Now();
  int i = 0;
  for (; i < rows && absl::Now() - start < budget; ++i) {
    absl::Status status = InTransaction(*db, [&] { return InsertRow(*db, i); });
    if (!status.ok()) {
      std::fprintf(stderr, "baseline: %s\n", status.ToString().c_str());
      std::exit(1);
    }
  }
  *done = i;
  return i / absl::ToDoubleSeconds(absl::Now() - start);
}

double GroupCommitRowsPerSecond(const std::string& path, int rows, int threads,
                                int64_t* commits) {
  GroupCommitWriter writer(FreshDatabase(path));
  std::atomic<int64_t> next{0};
  std::atomic<int> failures{0};
  absl::Time start = absl::Now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int64_t i = next++; i < rows; i = next++) {
        if (!writer.Write([i](SqliteDatabase& db) { return InsertRow(db, i); })
                 .ok()) {
          failures++;
        }
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (failures > 0) {
    std::fprintf(stderr, "group commit: %d writes failed\n", failures.load());
    std::exit(1);
  }
  *commits = writer.stats().commits;
  return rows / seconds;
}

}  // namespace
}  // namespace lienthong

int main(int argc, char** argv) {
  const char* rows_env = std::getenv("GROUP_COMMIT_BENCH_ROWS");
  int rows = argc > 1 ? std::atoi(argv[1])
                      : (rows_env != nullptr ? std::atoi(rows_env) : 20000);
  int threads = argc > 2 ? std::atoi(argv[2]) : 8;
  // fsync must cost what it costs on the disk under test: BENCH_DIR picks it
  // when the temporary directory is a tmpfs.
  std::string dir = std::filesystem::temp_directory_path().string();
  if (const char* env = std::getenv("BENCH_DIR")) dir = env;
  std::string path =
      absl::StrCat(dir, "/group_commit_bench.", getpid(), ".sqlite");

  // The baseline is slow by design: measure it on a tenth of the rows.
  int baseline_rows = 0;
  double baseline = lienthong::BaselineRowsPerSecond(
      path, std::max(rows / 10, 100), absl::Seconds(10), &baseline_rows);
  int64_t commits = 0;
  double grouped =
      lienthong::GroupCommitRowsPerSecond(path, rows, threads, &commits);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path + suffix);
  }

  std::printf("baseline (1 transaction per row, %d rows): %.0f rows/s\n",
              baseline_rows, baseline);
  std::printf("group commit (%d rows, %d threads, %lld commits): %.0f rows/s\n",
              rows, threads, static_cast<long long>(commits), grouped);
  std::printf("ratio: %.1fx, %.1f rows per commit\n", grouped / baseline,
              static_cast<double>(rows) / std::max<int64_t>(commits, 1));
  std::printf(
      "{\"bench\":\"group_commit\",\"rows\":%d,\"threads\":%d,"
      "\"rows_per_s\":%.0f,\"baseline_rows_per_s\":%.0f,\"ratio\":%.2f,"
      "\"commits\":%lld}\n",
      rows, threads, grouped, baseline, grouped / baseline,
      static_cast<long long>(commits));
  return 0;
}
