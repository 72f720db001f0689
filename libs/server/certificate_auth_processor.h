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

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/security/auth_metadata_processor.h"
#include "libs/pki/certificate_verifier.h"
#include "libs/server/authorizer.h"

namespace lienthong {

class Clock;

class CertificateAuthProcessor final : public grpc::AuthMetadataProcessor {
 public:
  // `clock` must outlive the processor. A client presenting the certificate
  // whose DER is `platform_der` is one of the platform's own services.
  CertificateAuthProcessor(pki::CertificateVerifier verifier,
                           std::string platform_der, const Clock* clock)
      : verifier_(std::move(verifier)),
        platform_der_(std::move(platform_der)),
        clock_(clock) {}

  // Runs inline on the transport thread: verification is CPU only.
  bool IsBlocking() const override { return false; }

  grpc::Status Process(const InputMetadata& auth_metadata,
                       grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata,
                       OutputMetadata* response_metadata) override;

 private:
  // A verified certificate, remembered so a connection's calls do not each
  // rebuild the chain; still checked against its validity on every call.
  struct Verified {
    pki::Identity identity;
    bool platform = false;
    absl::Time not_before;
    absl::Time not_after;
  };

  absl::StatusOr<Verified> VerifyCached(const std::string& pem);

  const pki::CertificateVerifier verifier_;
  const std::string platform_der_;
  const Clock* clock_;
  absl::Mutex mutex_;
  // Keyed by the certificate PEM; cleared when it reaches kMaxCached.
  absl::flat_hash_map<std::string, Verified> cache_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace lienthong

#endif  // LIBS_SERVER_CERTIFICATE_AUTH_PROCESSOR_H_
