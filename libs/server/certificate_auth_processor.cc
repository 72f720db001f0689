#include "libs/server/certificate_auth_processor.h"

#include <ctime>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/clock/clock.h"
#include "libs/pki/key_material.h"
#include "libs/status/status_details.h"
#include "openssl/asn1.h"
#include "openssl/x509.h"

namespace lienthong {
namespace {

// Bounds the cache: a CA's worth of agencies fits many times over.
constexpr size_t kMaxCached = 10000;

absl::Time ToTime(const ASN1_TIME* time) {
  std::tm tm = {};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    return absl::InfinitePast();
  }
  return absl::FromTM(tm, absl::UTCTimeZone());
}

grpc::Status Unauthenticated(const absl::Status& status) {
  std::string reason = ErrorReason(status);
  return grpc::Status(
      grpc::StatusCode::UNAUTHENTICATED,
      absl::StrCat(reason.empty() ? "" : absl::StrCat(reason, ": "),
                   status.message()));
}

}  // namespace

absl::StatusOr<CertificateAuthProcessor::Verified>
CertificateAuthProcessor::VerifyCached(const std::string& pem) {
  const absl::Time now = clock_->Now();
  {
    absl::MutexLock lock(&mutex_);
    auto it = cache_.find(pem);
    if (it != cache_.end() && now >= it->second.not_before &&
        now <= it->second.not_after) {
      return it->second;
    }
  }
  absl::StatusOr<pki::Certificate> certificate = pki::ParseCertificatePem(pem);
  if (!certificate.ok()) return certificate.status();
  absl::StatusOr<pki::Identity> identity =
      verifier_.Verify(certificate->get(), now);
  if (!identity.ok()) return identity.status();
  absl::StatusOr<std::string> der = pki::CertificateToDer(certificate->get());
  if (!der.ok()) return der.status();
  Verified verified{*std::move(identity), *der == platform_der_,
                    ToTime(X509_get0_notBefore(certificate->get())),
                    ToTime(X509_get0_notAfter(certificate->get()))};
  absl::MutexLock lock(&mutex_);
  if (cache_.size() >= kMaxCached) cache_.clear();
  cache_[pem] = verified;
  return verified;
}

grpc::Status CertificateAuthProcessor::Process(const InputMetadata&,
                                               grpc::AuthContext* context,
                                               OutputMetadata*,
                                               OutputMetadata*) {
  std::vector<grpc::string_ref> pems =
      context->FindPropertyValues("x509_pem_cert");
  if (pems.empty()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "CLIENT_CERTIFICATE_REQUIRED: present a client "
                        "certificate issued by the provincial CA");
  }
  absl::StatusOr<Verified> verified =
      VerifyCached(std::string(pems.front().data(), pems.front().size()));
  if (!verified.ok()) return Unauthenticated(verified.status());
  context->AddProperty(kAgencyProperty, verified->identity.agency_code);
  context->AddProperty(kRoleProperty, verified->identity.role);
  if (verified->platform) context->AddProperty(kPlatformProperty, "1");
  context->SetPeerIdentityPropertyName(kAgencyProperty);
  return grpc::Status::OK;
}

}  // namespace lienthong
