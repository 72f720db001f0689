#ifndef LIBS_SERVER_ADMISSION_H_
#define LIBS_SERVER_ADMISSION_H_

// Admission before authorization, in the hook every adapter already calls
// first: agency callers pass the CallLimiter (rate and calls in flight), the
// platform's own service-to-service calls must carry a deadline, and then the
// policy decides. A call interceptor frees each call's place when it ends.

#include <memory>

#include "grpcpp/support/server_interceptor.h"
#include "libs/server/authorizer.h"

namespace lienthong {

class CallLimiter;

class AdmittingAuthorizer final : public Authorizer {
 public:
  // `limiter` must outlive this.
  AdmittingAuthorizer(std::shared_ptr<const Authorizer> policy,
                      CallLimiter* limiter)
      : policy_(std::move(policy)), limiter_(limiter) {}

  // FAILED_PRECONDITION DEADLINE_REQUIRED for a platform call without a
  // deadline; the limiter's refusal for an agency over its limits; else the
  // policy's answer.
  using Authorizer::Authorize;
  absl::Status Authorize(const Caller& caller, absl::string_view method,
                         absl::string_view resource,
                         const HierarchyDay& day) const override;

 private:
  std::shared_ptr<const Authorizer> policy_;
  CallLimiter* limiter_;
};

// Releases each call from `limiter` when the call ends; `limiter` must outlive
// the server.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
CallReleaseInterceptorFactory(CallLimiter* limiter);

}  // namespace lienthong

#endif  // LIBS_SERVER_ADMISSION_H_
