#include "libs/server/admission.h"

#include "absl/strings/str_cat.h"
#include "libs/server/call_limiter.h"
#include "libs/status/status_details.h"

namespace lienthong {
namespace {

// Frees the call's place when the call's context (which owns this) goes.
class CallReleaseInterceptor final : public grpc::experimental::Interceptor {
 public:
  CallReleaseInterceptor(CallLimiter* limiter, const void* call)
      : limiter_(limiter), call_(call) {}
  ~CallReleaseInterceptor() override { limiter_->Release(call_); }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    methods->Proceed();
  }

 private:
  CallLimiter* limiter_;
  const void* call_;
};

class CallReleaseFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallReleaseFactory(CallLimiter* limiter) : limiter_(limiter) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    // The same key CallerOf gives: the call's server context.
    const grpc::ServerContextBase* context = info->server_context();
    return new CallReleaseInterceptor(limiter_, context);
  }

 private:
  CallLimiter* limiter_;
};

}  // namespace

absl::Status AdmittingAuthorizer::Authorize(const Caller& caller,
                                            absl::string_view method,
                                            absl::string_view resource,
                                            const HierarchyDay& day) const {
  if (caller.platform && caller.deadline == absl::InfiniteFuture()) {
    return WithErrorInfo(
        absl::FailedPreconditionError(absl::StrCat(
            "DEADLINE_REQUIRED: service-to-service calls must set a deadline (",
            method, ")")),
        "DEADLINE_REQUIRED", {{"method", std::string(method)}});
  }
  if (caller.authenticated && !caller.platform && caller.call != nullptr) {
    if (absl::Status admitted = limiter_->Admit(caller.call, caller.identity);
        !admitted.ok()) {
      return admitted;
    }
  }
  return policy_->Authorize(caller, method, resource, day);
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
CallReleaseInterceptorFactory(CallLimiter* limiter) {
  return std::make_unique<CallReleaseFactory>(limiter);
}

}  // namespace lienthong
