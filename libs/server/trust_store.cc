#include "libs/server/trust_store.h"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/clock/clock.h"
#include "libs/file/read_file.h"
#include "libs/log/logger.h"
#include "libs/pki/key_material.h"
#include "libs/pki/openssl_support.h"
#include "libs/status/status_details.h"

namespace lienthong {
namespace {

// What a log line says about a CRL.
struct CrlSummary {
  size_t revoked = 0;
  absl::Time next_update = absl::InfiniteFuture();
};

// Checks that every CRL in `crl_pem` was signed by one of the CAs in `ca_pem`.
// CertificateVerifier does not: it checks a CRL's signature only while
// verifying a certificate, so a foreign or forged CRL would make every
// certificate fail instead of being refused here.
absl::StatusOr<CrlSummary> CheckCrl(const std::string& ca_pem,
                                    const std::string& crl_pem) {
  absl::StatusOr<std::vector<pki::Certificate>> cas =
      pki::ParseCertificatesPem(ca_pem);
  if (!cas.ok()) return cas.status();
  absl::StatusOr<std::vector<pki::CertificateRevocationList>> crls =
      pki::ParseCrlsPem(crl_pem);
  if (!crls.ok()) return crls.status();
  CrlSummary summary;
  for (const pki::CertificateRevocationList& crl : *crls) {
    bool signed_by_ca = false;
    for (const pki::Certificate& ca : *cas) {
      EVP_PKEY* key = X509_get0_pubkey(ca.get());
      if (key != nullptr &&
          X509_NAME_cmp(X509_CRL_get_issuer(crl.get()),
                        X509_get_subject_name(ca.get())) == 0 &&
          X509_CRL_verify(crl.get(), key) == 1) {
        signed_by_ca = true;
        break;
      }
    }
    ERR_clear_error();
    if (!signed_by_ca) {
      return WithErrorInfo(
          absl::InvalidArgumentError("the CRL is not signed by the trusted CA"),
          "CRL_NOT_SIGNED_BY_CA");
    }
    STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl.get());
    summary.revoked += revoked == nullptr ? 0 : sk_X509_REVOKED_num(revoked);
    const ASN1_TIME* next_update = X509_CRL_get0_nextUpdate(crl.get());
    if (next_update != nullptr) {
      summary.next_update =
          std::min(summary.next_update, pki::Asn1TimeToTime(next_update));
    }
  }
  return summary;
}

absl::StatusOr<pki::CertificateVerifier> BuildVerifier(
    const std::string& ca_pem, const std::string& crl_pem) {
  if (crl_pem.empty()) return pki::CertificateVerifier::Create({ca_pem});
  absl::StatusOr<CrlSummary> checked = CheckCrl(ca_pem, crl_pem);
  if (!checked.ok()) return checked.status();
  return pki::CertificateVerifier::Create({ca_pem}, {crl_pem});
}

}  // namespace

absl::StatusOr<std::shared_ptr<TrustStore>> TrustStore::Create(
    std::string ca_pem, std::string crl_path,
    const std::string& initial_crl_pem, const Clock* clock,
    TrustStoreOptions options) {
  absl::StatusOr<pki::CertificateVerifier> verifier =
      BuildVerifier(ca_pem, initial_crl_pem);
  if (!verifier.ok()) return verifier.status();
  return std::shared_ptr<TrustStore>(
      new TrustStore(std::move(ca_pem), std::move(crl_path), initial_crl_pem,
                     *std::move(verifier), clock, options));
}

TrustStore::TrustStore(std::string ca_pem, std::string crl_path,
                       std::string crl_pem, pki::CertificateVerifier verifier,
                       const Clock* clock, TrustStoreOptions options)
    : ca_pem_(std::move(ca_pem)),
      crl_path_(std::move(crl_path)),
      clock_(clock),
      options_(options),
      current_{
          std::make_shared<const pki::CertificateVerifier>(std::move(verifier)),
          1},
      crl_pem_(std::move(crl_pem)),
      last_check_(clock->Now()) {}

TrustStore::Snapshot TrustStore::Current() {
  const absl::Time now = clock_->Now();
  {
    absl::MutexLock lock(&mutex_);
    // A clock set back counts as due, so a test's or an operator's clock
    // change cannot postpone the next look indefinitely.
    bool due = now >= last_check_ + options_.recheck || now < last_check_;
    if (crl_path_.empty() || checking_ || !due) return current_;
    // Claimed: other callers keep the current verifier meanwhile.
    checking_ = true;
    last_check_ = now;
  }
  Recheck();
  absl::MutexLock lock(&mutex_);
  checking_ = false;
  return current_;
}

absl::StatusOr<TrustStore::FileState> TrustStore::StatFile(
    const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    int error = errno;
    if (error == ENOENT || error == ENOTDIR) return FileState{};
    return WithErrorInfo(absl::NotFoundError(absl::StrCat(
                             "cannot stat ", path, ": ", std::strerror(error))),
                         "FILE_UNREADABLE", {{"path", path}});
  }
  FileState state;
  state.exists = true;
  state.device = info.st_dev;
  state.inode = info.st_ino;
  state.size = info.st_size;
  state.mtime_seconds = info.st_mtim.tv_sec;
  state.mtime_nanos = info.st_mtim.tv_nsec;
  return state;
}

void TrustStore::Recheck() {
  absl::StatusOr<FileState> state = StatFile(crl_path_);
  // Not remembered: a file that cannot be looked at is tried again next time.
  if (!state.ok()) {
    ReportFailure(state.status());
    return;
  }
  bool had_crl;
  {
    absl::MutexLock lock(&mutex_);
    if (seen_.has_value() && *seen_ == *state) return;
    if (!state->exists) seen_ = *state;
    had_crl = !crl_pem_.empty();
  }
  if (!state->exists) {
    if (had_crl) {
      ReportFailure(WithErrorInfo(
          absl::NotFoundError(
              "the CRL file is gone; the last CRL stays until a restart"),
          "CRL_MISSING"));
    }
    return;
  }
  absl::StatusOr<std::string> pem = ReadFile(crl_path_);
  if (!pem.ok()) {
    ReportFailure(pem.status());
    return;
  }
  {
    absl::MutexLock lock(&mutex_);
    // Remembered even if bad: the same bytes would fail again; a fixed file
    // changes its state and is read then.
    seen_ = *state;
    // Touched, or the file the caller already read at start.
    if (*pem == crl_pem_) return;
  }
  absl::StatusOr<CrlSummary> summary = CheckCrl(ca_pem_, *pem);
  if (!summary.ok()) {
    ReportFailure(summary.status());
    return;
  }
  absl::StatusOr<pki::CertificateVerifier> verifier =
      pki::CertificateVerifier::Create({ca_pem_}, {*pem});
  if (!verifier.ok()) {
    ReportFailure(verifier.status());
    return;
  }
  uint64_t generation;
  {
    absl::MutexLock lock(&mutex_);
    generation = current_.generation + 1;
    current_ = {
        std::make_shared<const pki::CertificateVerifier>(*std::move(verifier)),
        generation};
    crl_pem_ = *std::move(pem);
  }
  if (options_.logger != nullptr) {
    options_.logger->Info(
        "crl.reloaded",
        {{"path", crl_path_},
         {"generation", absl::StrCat(generation)},
         {"revoked", absl::StrCat(summary->revoked)},
         {"next_update",
          absl::FormatTime(absl::RFC3339_sec, summary->next_update,
                           absl::UTCTimeZone())}});
  }
}

void TrustStore::ReportFailure(const absl::Status& status) const {
  if (options_.logger == nullptr) return;
  options_.logger->Error("crl.reload_failed",
                         {{"path", crl_path_},
                          {"reason", ErrorReason(status)},
                          {"error", std::string(status.message())}});
}

}  // namespace lienthong
