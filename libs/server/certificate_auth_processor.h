#ifndef LIBS_SERVER_CERTIFICATE_AUTH_PROCESSOR_H_
#define LIBS_SERVER_CERTIFICATE_AUTH_PROCESSOR_H_

// The one place a call's client certificate is checked. gRPC runs the
// processor on every call of a TLS server (health and reflection included)
// before any handler, so a call either carries a verified identity or never
// reaches a service. The TLS handshake only proves the client holds the
// certificate's key; trust, validity (by the injected clock) and revocation
// are decided here, so a refused client hears why: UNAUTHENTICATED with the
// reason (CLIENT_CERTIFICATE_REQUIRED, CERTIFICATE_EXPIRED, ...) in the
// message.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/security/auth_metadata_processor.h"
#include "libs/pki/identity.h"
#include "libs/server/authorizer.h"
#include "libs/server/trust_store.h"

namespace lienthong {

class Clock;
class Logger;

class CertificateAuthProcessor final : public grpc::AuthMetadataProcessor {
 public:
  // Verifies against `trust`'s current CA and CRL. `clock` and `logger` (may
  // be null) must outlive the processor. A client presenting the certificate
  // whose DER is `platform_der` is one of the platform's own services.
  CertificateAuthProcessor(std::shared_ptr<TrustStore> trust,
                           std::string platform_der, const Clock* clock,
                           const Logger* logger = nullptr)
      : trust_(std::move(trust)),
        platform_der_(std::move(platform_der)),
        clock_(clock),
        logger_(logger) {}

  // Runs inline on the transport thread: verification is CPU only, and the
  // trust store's look at the CRL file is one stat per recheck interval.
  bool IsBlocking() const override { return false; }

  // Refusals are also logged as warnings, event=auth.refused with the reason,
  // subject and serial; at most one line per (reason, subject) a minute, the
  // next one saying how many were left out (suppressed=N).
  grpc::Status Process(const InputMetadata& auth_metadata,
                       grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata,
                       OutputMetadata* response_metadata) override;

 private:
  // A verified certificate, remembered so a connection's calls do not each
  // rebuild the chain; still checked against its validity on every call, and
  // verified again once the trust store's recheck interval has passed (a CRL
  // may have reached its nextUpdate) or the store took a new CRL.
  struct Verified {
    pki::Identity identity;
    bool platform = false;
    absl::Time not_before;
    absl::Time not_after;
    absl::Time verified_at;
  };

  // When a refusal of one (reason, subject) was last logged, and how many
  // have been left out since.
  struct Throttle {
    absl::Time logged_at;
    int64_t suppressed = 0;
  };

  absl::StatusOr<Verified> VerifyCached(const std::string& pem);
  void LogRefusal(absl::string_view reason, absl::string_view pem);

  const std::shared_ptr<TrustStore> trust_;
  const std::string platform_der_;
  const Clock* clock_;
  const Logger* logger_;
  absl::Mutex mutex_;
  // The trust store generation the cache was filled under.
  uint64_t generation_ ABSL_GUARDED_BY(mutex_) = 0;
  // Keyed by the certificate PEM; cleared when it reaches kMaxCached.
  absl::flat_hash_map<std::string, Verified> cache_ ABSL_GUARDED_BY(mutex_);
  absl::Mutex log_mutex_;
  absl::flat_hash_map<std::pair<std::string, std::string>, Throttle> throttles_
      ABSL_GUARDED_BY(log_mutex_);
};

}  // namespace lienthong

#endif  // LIBS_SERVER_CERTIFICATE_AUTH_PROCESSOR_H_
