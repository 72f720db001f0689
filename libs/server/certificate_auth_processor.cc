#include "libs/server/certificate_auth_processor.h"

#include <ctime>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "libs/clock/clock.h"
#include "libs/log/logger.h"
#include "libs/pki/key_material.h"
#include "libs/pki/openssl_support.h"
#include "libs/status/status_details.h"
#include "openssl/asn1.h"
#include "openssl/x509.h"

namespace lienthong {
namespace {

// Bounds the cache: a CA's worth of agencies fits many times over.
constexpr size_t kMaxCached = 10000;

// One refusal line per (reason, subject) per interval.
constexpr absl::Duration kRefusalLogInterval = absl::Minutes(1);
// Bounds the refusal throttles: certificates with made-up subjects cost an
// attacker nothing, so past this many pairs the rest share one throttle per
// reason, and the log stays bounded whatever is presented.
constexpr size_t kMaxThrottled = 1000;
constexpr absl::string_view kOtherSubjects = "*";

constexpr absl::string_view kNoCertificate = "CLIENT_CERTIFICATE_REQUIRED";

grpc::Status Unauthenticated(absl::string_view reason,
                             const absl::Status& status) {
  return grpc::Status(
      grpc::StatusCode::UNAUTHENTICATED,
      absl::StrCat(reason.empty() ? "" : absl::StrCat(reason, ": "),
                   status.message()));
}

}  // namespace

absl::StatusOr<CertificateAuthProcessor::Verified>
CertificateAuthProcessor::VerifyCached(const std::string& pem) {
  const absl::Time now = clock_->Now();
  const TrustStore::Snapshot trust = trust_->Current();
  {
    absl::MutexLock lock(&mutex_);
    // Verdicts reached before the store took a new CRL are void.
    if (trust.generation > generation_) {
      cache_.clear();
      generation_ = trust.generation;
    }
    auto it = cache_.find(pem);
    if (it != cache_.end() && now >= it->second.not_before &&
        now <= it->second.not_after && now >= it->second.verified_at &&
        now < it->second.verified_at + trust_->recheck()) {
      return it->second;
    }
  }
  absl::StatusOr<pki::Certificate> certificate = pki::ParseCertificatePem(pem);
  if (!certificate.ok()) return certificate.status();
  absl::StatusOr<pki::Identity> identity =
      trust.verifier->Verify(certificate->get(), now);
  if (!identity.ok()) return identity.status();
  absl::StatusOr<std::string> der = pki::CertificateToDer(certificate->get());
  if (!der.ok()) return der.status();
  Verified verified{
      *std::move(identity), *der == platform_der_,
      pki::Asn1TimeToTime(X509_get0_notBefore(certificate->get())),
      pki::Asn1TimeToTime(X509_get0_notAfter(certificate->get())), now};
  absl::MutexLock lock(&mutex_);
  // A verdict from an older generation is still this call's answer, but
  // another thread has already moved the cache on: not kept.
  if (trust.generation != generation_) return verified;
  if (cache_.size() >= kMaxCached) cache_.clear();
  cache_[pem] = verified;
  return verified;
}

void CertificateAuthProcessor::LogRefusal(absl::string_view reason,
                                          absl::string_view pem) {
  if (logger_ == nullptr) return;
  // Only refused calls parse again, to name the certificate in the line.
  std::string subject;
  std::string serial;
  std::string agency;
  if (!pem.empty()) {
    absl::StatusOr<pki::Certificate> certificate =
        pki::ParseCertificatePem(pem);
    if (certificate.ok()) {
      subject = pki::SubjectString(certificate->get());
      serial = pki::CertificateSerialHex(certificate->get());
      absl::StatusOr<pki::Identity> identity =
          pki::IdentityFromCertificate(certificate->get());
      if (identity.ok()) agency = identity->agency_code;
    }
  }
  const absl::Time now = clock_->Now();
  int64_t suppressed = 0;
  {
    absl::MutexLock lock(&log_mutex_);
    std::pair<std::string, std::string> key(reason, subject);
    auto it = throttles_.find(key);
    if (it == throttles_.end() && throttles_.size() >= kMaxThrottled) {
      // Forgets quiet pairs; those with a pending count wait for their line.
      absl::erase_if(throttles_, [now](const auto& entry) {
        return entry.second.suppressed == 0 &&
               now >= entry.second.logged_at + kRefusalLogInterval;
      });
      if (throttles_.size() >= kMaxThrottled) {
        key.second = std::string(kOtherSubjects);
      }
      it = throttles_.find(key);
    }
    if (it != throttles_.end()) {
      Throttle& throttle = it->second;
      if (now >= throttle.logged_at &&
          now < throttle.logged_at + kRefusalLogInterval) {
        ++throttle.suppressed;
        return;
      }
      suppressed = throttle.suppressed;
      throttle = Throttle{now, 0};
    } else {
      throttles_.emplace(std::move(key), Throttle{now, 0});
    }
  }
  // gRPC (1.51) gives the processor no peer address: neither the AuthContext
  // nor the metadata carry one, so the certificate has to name the caller.
  if (pem.empty()) {
    logger_->Warning("auth.refused",
                     {{"reason", std::string(reason)},
                      {"suppressed", absl::StrCat(suppressed)}});
    return;
  }
  logger_->Warning("auth.refused", {{"reason", std::string(reason)},
                                    {"subject", subject},
                                    {"agency", agency},
                                    {"serial", serial},
                                    {"suppressed", absl::StrCat(suppressed)}});
}

grpc::Status CertificateAuthProcessor::Process(const InputMetadata&,
                                               grpc::AuthContext* context,
                                               OutputMetadata*,
                                               OutputMetadata*) {
  std::vector<grpc::string_ref> pems =
      context->FindPropertyValues("x509_pem_cert");
  if (pems.empty()) {
    LogRefusal(kNoCertificate, "");
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        absl::StrCat(kNoCertificate,
                                     ": present a client certificate issued "
                                     "by the provincial CA"));
  }
  const std::string pem(pems.front().data(), pems.front().size());
  absl::StatusOr<Verified> verified = VerifyCached(pem);
  if (!verified.ok()) {
    std::string reason = ErrorReason(verified.status());
    LogRefusal(reason.empty()
                   ? absl::StatusCodeToString(verified.status().code())
                   : reason,
               pem);
    return Unauthenticated(reason, verified.status());
  }
  context->AddProperty(kAgencyProperty, verified->identity.agency_code);
  context->AddProperty(kRoleProperty, verified->identity.role);
  if (verified->platform) context->AddProperty(kPlatformProperty, "1");
  context->SetPeerIdentityPropertyName(kAgencyProperty);
  return grpc::Status::OK;
}

}  // namespace lienthong
