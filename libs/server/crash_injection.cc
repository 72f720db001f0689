#include "libs/server/crash_injection.h"

#include <signal.h>

#include <atomic>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/status/status_details.h"

namespace lienthong {
namespace {

using grpc::experimental::InterceptionHookPoints;

class CrashInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit CrashInterceptor(std::atomic<int>* remaining)
      : remaining_(remaining) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS) &&
        methods->GetSendStatus().ok() && remaining_->fetch_sub(1) == 1) {
      raise(SIGKILL);
    }
    methods->Proceed();
  }

 private:
  std::atomic<int>* remaining_;
};

class PassThrough final : public grpc::experimental::Interceptor {
 public:
  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    methods->Proceed();
  }
};

class CrashFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CrashFactory(const CrashPoint& point)
      : method_(point.method), remaining_(point.after_calls) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    if (method_ != info->method()) return new PassThrough();
    return new CrashInterceptor(&remaining_);
  }

 private:
  const std::string method_;
  std::atomic<int> remaining_;
};

}  // namespace

absl::StatusOr<CrashPoint> ParseCrashPoint(absl::string_view spec) {
  size_t colon = spec.rfind(':');
  CrashPoint point;
  if (colon != absl::string_view::npos) {
    point.method = std::string(spec.substr(0, colon));
  }
  // "/package.Service/Method": two slashes, a dotted service, a method.
  std::vector<absl::string_view> parts = absl::StrSplit(point.method, '/');
  bool method_ok = parts.size() == 3 && parts[0].empty() &&
                   absl::StrContains(parts[1], '.') && !parts[2].empty() &&
                   parts[1].back() != '.';
  if (colon == absl::string_view::npos || !method_ok ||
      !absl::SimpleAtoi(spec.substr(colon + 1), &point.after_calls) ||
      point.after_calls < 1) {
    return WithErrorInfo(
        absl::InvalidArgumentError(
            absl::StrCat("crash point \"", spec,
                         "\" is not /package.Service/Method:N with N >= 1")),
        "INVALID_CRASH_POINT");
  }
  return point;
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
CrashInjectionInterceptorFactory(const CrashPoint& point) {
  return std::make_unique<CrashFactory>(point);
}

}  // namespace lienthong
