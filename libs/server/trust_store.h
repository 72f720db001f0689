#ifndef LIBS_SERVER_TRUST_STORE_H_
#define LIBS_SERVER_TRUST_STORE_H_

// What a server checks client certificates against: the provincial CA and the
// CRL it publishes, with the CRL file watched so that a revocation takes
// effect without a restart.
//
// At most once per `recheck` (by the injected clock) the CRL file is stat'ed;
// when its inode, size or mtime (with nanoseconds) changed, it is read, and a
// CRL that parses and that the CA signed replaces the previous one (logged as
// event=crl.reloaded). Anything else keeps the previous CRL and is logged as
// event=crl.reload_failed: a damaged or foreign file must neither lock every
// agency out nor quietly un-revoke anyone. For the same reason a CRL file that
// disappears keeps the last one until the next restart. Operators replace the
// file atomically (write a temporary file, rename it over crl.pem), as lt-certs
// does; a file caught half-written fails to parse and is read again once it
// changes.

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/pki/certificate_verifier.h"

namespace lienthong {

class Clock;
class Logger;

struct TrustStoreOptions {
  // How often the CRL file is looked at, and how long a verdict reached with
  // one CRL may be reused (see CertificateAuthProcessor).
  absl::Duration recheck = absl::Seconds(10);
  // Where reloads and failed reloads are reported; may be null.
  const Logger* logger = nullptr;
};

class TrustStore {
 public:
  // A verifier and the generation it belongs to; the generation grows by one
  // each time a new CRL is taken, so callers know when cached verdicts are
  // stale.
  struct Snapshot {
    std::shared_ptr<const pki::CertificateVerifier> verifier;
    uint64_t generation = 0;
  };

  // Trusts `ca_pem` and honours `initial_crl_pem` (empty: none yet), then
  // watches `crl_path` (empty: never reloads). INVALID_ARGUMENT when the CA
  // or the initial CRL does not parse, or when the CA did not sign that CRL
  // (CRL_NOT_SIGNED_BY_CA). `clock` (and the logger) must outlive the store.
  static absl::StatusOr<std::shared_ptr<TrustStore>> Create(
      std::string ca_pem, std::string crl_path,
      const std::string& initial_crl_pem, const Clock* clock,
      TrustStoreOptions options = {});

  TrustStore(const TrustStore&) = delete;
  TrustStore& operator=(const TrustStore&) = delete;

  // The verifier to use now. Cheap: a lock and a shared_ptr copy, except for
  // the one caller per `recheck` that looks at the file. Thread-safe.
  Snapshot Current();

  absl::Duration recheck() const { return options_.recheck; }

 private:
  // What stat says about the CRL file; equal states mean an unchanged file.
  struct FileState {
    bool exists = false;
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    int64_t mtime_seconds = 0;
    int64_t mtime_nanos = 0;

    friend bool operator==(const FileState& a, const FileState& b) {
      return a.exists == b.exists && a.device == b.device &&
             a.inode == b.inode && a.size == b.size &&
             a.mtime_seconds == b.mtime_seconds &&
             a.mtime_nanos == b.mtime_nanos;
    }
    friend bool operator!=(const FileState& a, const FileState& b) {
      return !(a == b);
    }
  };

  TrustStore(std::string ca_pem, std::string crl_path, std::string crl_pem,
             pki::CertificateVerifier verifier, const Clock* clock,
             TrustStoreOptions options);

  static absl::StatusOr<FileState> StatFile(const std::string& path);

  // Looks at the CRL file and takes a new CRL if it changed and is good. Runs
  // on one thread at a time (`checking_`), without holding `mutex_` over I/O.
  void Recheck();
  void ReportFailure(const absl::Status& status) const;

  const std::string ca_pem_;
  const std::string crl_path_;
  const Clock* const clock_;
  const TrustStoreOptions options_;

  absl::Mutex mutex_;
  Snapshot current_ ABSL_GUARDED_BY(mutex_);
  // The CRL text behind `current_` ("" when none), to tell a touched file
  // from a new CRL.
  std::string crl_pem_ ABSL_GUARDED_BY(mutex_);
  // The file as last read; unknown at start, so the first look reads it once
  // (the CRL the caller passed may predate a replacement).
  std::optional<FileState> seen_ ABSL_GUARDED_BY(mutex_);
  absl::Time last_check_ ABSL_GUARDED_BY(mutex_);
  bool checking_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace lienthong

#endif  // LIBS_SERVER_TRUST_STORE_H_
