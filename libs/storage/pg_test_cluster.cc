#include "libs/storage/pg_test_cluster.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "libs/storage/pg_database.h"

namespace lienthong {
namespace {

namespace fs = std::filesystem;

// With listen_addresses='' the port only names the socket file, which sits in
// the cluster's own directory: any number will do.
constexpr int kPort = 5432;
constexpr absl::string_view kSocketName = "/.s.PGSQL.5432";
constexpr absl::string_view kDirPattern = "/pg-XXXXXX";

// The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl.
absl::StatusOr<std::string> FindBinDir() {
  std::error_code error;
  std::string best;
  double best_version = -1;
  for (const fs::directory_entry& entry :
       fs::directory_iterator("/usr/lib/postgresql", error)) {
    double version = 0;
    fs::path bin = entry.path() / "bin";
    if (absl::SimpleAtod(entry.path().filename().string(), &version) &&
        version > best_version && fs::exists(bin / "initdb") &&
        fs::exists(bin / "pg_ctl")) {
      best_version = version;
      best = bin.string();
    }
  }
  if (best.empty()) {
    return absl::FailedPreconditionError(
        "no PostgreSQL server under /usr/lib/postgresql/*/bin (Debian: apt "
        "install postgresql)");
  }
  return best;
}

// Whether every directory from `path` up to / lets others through, so a
// server running as another user reaches what is below.
bool OthersCanReach(const fs::path& path) {
  std::error_code error;
  fs::path dir = fs::canonical(path, error);
  if (error) return false;
  while (true) {
    struct stat info;
    if (stat(dir.c_str(), &info) != 0 || (info.st_mode & S_IXOTH) == 0) {
      return false;
    }
    if (dir == dir.root_path()) return true;
    dir = dir.parent_path();
  }
}

std::string TempBase(bool as_root) {
  const char* base = std::getenv("TEST_TMPDIR");
  if (base == nullptr || *base == '\0') base = std::getenv("TMPDIR");
  if (base == nullptr || *base == '\0') return "/tmp";
  size_t socket_path = strlen(base) + kDirPattern.size() + kSocketName.size();
  if (socket_path >= sizeof(sockaddr_un::sun_path)) return "/tmp";
  if (as_root && !OthersCanReach(base)) return "/tmp";
  return base;
}

// The last few lines of a log, for an error message.
std::string LogTail(const std::string& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  std::string text = content.str();
  constexpr size_t kTail = 2000;
  return text.size() > kTail ? text.substr(text.size() - kTail) : text;
}

// A value in a key=value connection string or postgresql.conf: quoted, with
// quotes and backslashes escaped.
std::string Quoted(absl::string_view value) {
  return absl::StrCat(
      "'", absl::StrReplaceAll(value, {{"\\", "\\\\"}, {"'", "\\'"}}), "'");
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgTestCluster>> PgTestCluster::Start(
    const Options& options) {
  std::string bin_dir = options.bin_dir;
  if (bin_dir.empty()) {
    absl::StatusOr<std::string> found = FindBinDir();
    if (!found.ok()) return found.status();
    bin_dir = *found;
  }
  bool as_root = geteuid() == 0;
  int uid = -1;
  int gid = -1;
  if (as_root) {
    const passwd* nobody = getpwnam("nobody");
    if (nobody == nullptr) {
      return absl::FailedPreconditionError(
          "running as root, and there is no user \"nobody\" to run "
          "PostgreSQL as (it refuses root)");
    }
    uid = static_cast<int>(nobody->pw_uid);
    gid = static_cast<int>(nobody->pw_gid);
  }
  std::string pattern = absl::StrCat(TempBase(as_root), kDirPattern);
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(
        absl::StrCat("mkdtemp ", pattern, ": ", strerror(errno)));
  }
  std::unique_ptr<PgTestCluster> cluster(
      new PgTestCluster(std::move(bin_dir), pattern, uid, gid));
  // mkdtemp made it 0700, as PostgreSQL wants its directories.
  if (as_root && chown(cluster->dir_.c_str(), uid, gid) != 0) {
    return absl::InternalError(
        absl::StrCat("chown ", cluster->dir_, ": ", strerror(errno)));
  }
  // On failure the destructor stops what started and removes the directory.
  if (absl::Status status = cluster->InitAndStart(); !status.ok()) {
    return status;
  }
  return cluster;
}

absl::Status PgTestCluster::InitAndStart() {
  std::string data = dir_ + "/data";
  // --no-sync only skips initdb's own final fsync, which a throwaway cluster
  // does not need; the server itself runs with fsync=on.
  if (absl::Status status = Run("initdb",
                                {"-D", data, "-A", "trust", "-U", "postgres",
                                 "-E", "UTF8", "--locale=C", "--no-sync"},
                                dir_ + "/initdb.log");
      !status.ok()) {
    return status;
  }
  // Later settings in postgresql.conf win over initdb's.
  {
    std::ofstream conf(data + "/postgresql.conf", std::ios::app);
    conf << "\n# PgTestCluster: no TCP, only a Unix socket in its directory.\n"
         << "listen_addresses = ''\n"
         << "unix_socket_directories = " << Quoted(dir_) << "\n"
         << "port = " << kPort << "\n"
         << "fsync = on\n"
         << "synchronous_commit = on\n";
    if (!conf.good()) {
      return absl::InternalError(
          absl::StrCat("cannot write ", data, "/postgresql.conf"));
    }
  }
  if (absl::Status status = Run(
          "pg_ctl",
          {"-D", data, "-l", dir_ + "/server.log", "-w", "-t", "60", "start"},
          dir_ + "/pg_ctl.log");
      !status.ok()) {
    return absl::InternalError(absl::StrCat(
        status.message(), "\nserver.log: ", LogTail(dir_ + "/server.log")));
  }
  return absl::OkStatus();
}

PgTestCluster::~PgTestCluster() {
  // Also after a failed start, whose server may be up all the same.
  if (fs::exists(dir_ + "/data/postmaster.pid")) {
    // Immediate: nothing in a throwaway cluster needs a clean shutdown.
    Run("pg_ctl", {"-D", dir_ + "/data", "-m", "immediate", "-w", "stop"},
        dir_ + "/pg_ctl.log")
        .IgnoreError();
  }
  std::error_code error;
  fs::remove_all(dir_, error);
}

absl::StatusOr<std::string> PgTestCluster::CreateDatabase() {
  std::string name = absl::StrCat("test_", ++databases_);
  absl::StatusOr<std::unique_ptr<PgDatabase>> admin =
      PgDatabase::Connect(ConnInfo("postgres"));
  if (!admin.ok()) return admin.status();
  if (absl::Status status =
          (*admin)->Exec(absl::StrCat("CREATE DATABASE ", name));
      !status.ok()) {
    return status;
  }
  return ConnInfo(name);
}

std::string PgTestCluster::ConnInfo(absl::string_view name) const {
  return absl::StrCat("host=", Quoted(dir_), " port=", kPort,
                      " user=postgres dbname=", Quoted(name));
}

absl::Status PgTestCluster::Run(const std::string& program,
                                const std::vector<std::string>& args,
                                const std::string& log) const {
  // Everything the child needs is made before fork: between fork and exec
  // only async-signal-safe calls.
  std::vector<std::string> command = {bin_dir_ + "/" + program};
  command.insert(command.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : command) argv.push_back(arg.data());
  argv.push_back(nullptr);
  rlimit files;
  int max_fd =
      getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY
          ? static_cast<int>(std::min<rlim_t>(files.rlim_cur, 65536))
          : 65536;

  pid_t pid = fork();
  if (pid < 0) {
    return absl::InternalError(absl::StrCat("fork: ", strerror(errno)));
  }
  if (pid == 0) {
    // The server outlives this call: it must not hold on to the test's files
    // or pipes (the test runner would wait for them to close).
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3, ~0U, 0) != 0)
#endif
      for (int fd = 3; fd < max_fd; ++fd) close(fd);
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int log_fd =
        open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (null_fd < 0 || log_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
        dup2(log_fd, STDOUT_FILENO) < 0 || dup2(log_fd, STDERR_FILENO) < 0) {
      _exit(126);
    }
    // The working directory must be one the server's user can read.
    if (chdir(dir_.c_str()) != 0) _exit(126);
    if (uid_ >= 0 && (setgroups(0, nullptr) != 0 || setgid(gid_) != 0 ||
                      setuid(uid_) != 0)) {
      _exit(126);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return absl::InternalError(absl::StrCat("waitpid: ", strerror(errno)));
    }
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(
      program, " failed (",
      WIFEXITED(status) ? absl::StrCat("exit ", WEXITSTATUS(status))
                        : absl::StrCat("signal ", WTERMSIG(status)),
      "): ", LogTail(log)));
}

}  // namespace lienthong
