#include "libs/server/audit_interceptor.h"

#include <openssl/evp.h>

#include <string>

#include "absl/strings/escaping.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "libs/audit/audit_log.h"
#include "libs/audit/mutating_methods.h"
#include "libs/log/logger.h"
#include "libs/server/authorizer.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status_details.h"

namespace lienthong {
namespace {

using grpc::experimental::InterceptionHookPoints;

class AuditInterceptor final : public grpc::experimental::Interceptor {
 public:
  AuditInterceptor(grpc::experimental::ServerRpcInfo* info,
                   audit::AuditLog* log, const Logger* logger)
      : info_(info), log_(log), logger_(logger), digest_(EVP_MD_CTX_new()) {
    EVP_DigestInit_ex(digest_, EVP_sha256(), nullptr);
  }
  ~AuditInterceptor() override { EVP_MD_CTX_free(digest_); }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // Generated services hand over their protobuf request message.
      auto* message =
          static_cast<google::protobuf::Message*>(methods->GetRecvMessage());
      if (message != nullptr) Digest(*message);
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      Append(methods);
    }
    methods->Proceed();
  }

 private:
  void Digest(const google::protobuf::Message& message) {
    const std::string bytes = message.SerializeAsString();
    EVP_DigestUpdate(digest_, bytes.data(), bytes.size());
    if (request_id_.empty()) request_id_ = RequestId(message, 2);
  }

  // The request_id field of `message`, or of a message inside it (e.g.
  // SubmitValuesRequest.options.request_id), down to `depth` levels.
  static std::string RequestId(const google::protobuf::Message& message,
                               int depth) {
    const google::protobuf::Descriptor* descriptor = message.GetDescriptor();
    const google::protobuf::Reflection* reflection = message.GetReflection();
    const google::protobuf::FieldDescriptor* field =
        descriptor->FindFieldByName("request_id");
    if (field != nullptr &&
        field->type() == google::protobuf::FieldDescriptor::TYPE_STRING &&
        !field->is_repeated()) {
      return reflection->GetString(message, field);
    }
    if (depth <= 1) return "";
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const google::protobuf::FieldDescriptor* inner = descriptor->field(i);
      if (inner->cpp_type() !=
              google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE ||
          inner->is_repeated() || !reflection->HasField(message, inner)) {
        continue;
      }
      std::string found =
          RequestId(reflection->GetMessage(message, inner), depth - 1);
      if (!found.empty()) return found;
    }
    return "";
  }

  void Append(grpc::experimental::InterceptorBatchMethods* methods) {
    const grpc::Status status = methods->GetSendStatus();
    const Caller caller = CallerOf(*info_->server_context());
    audit::AuditEvent event;
    event.agency = caller.platform ? "" : caller.identity;
    event.role = caller.platform ? "platform" : caller.role;
    event.peer = caller.peer;
    event.method = info_->method();
    event.request_id = request_id_;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(digest_, digest, &length);
    event.request_sha256 = absl::BytesToHexString(
        absl::string_view(reinterpret_cast<const char*>(digest), length));
    const absl::Status result = FromGrpcStatus(status);
    event.result_code = absl::StatusCodeToString(result.code());
    event.result_message = std::string(result.message());
    event.result_reason = ErrorReason(result);
    absl::StatusOr<audit::AuditEntry> appended = log_->Append(event);
    if (appended.ok()) return;
    if (logger_ != nullptr) {
      logger_->Error(
          "audit.append_failed",
          {{"method", event.method}, {"error", appended.status().ToString()}});
    }
    methods->ModifySendStatus(grpc::Status(
        grpc::StatusCode::UNAVAILABLE,
        "AUDIT_UNAVAILABLE: the call could not be audited; retry with the "
        "same request_id"));
  }

  grpc::experimental::ServerRpcInfo* info_;
  audit::AuditLog* log_;
  const Logger* logger_;
  EVP_MD_CTX* digest_;
  std::string request_id_;
};

// Reads pass through untouched.
class PassThroughInterceptor final : public grpc::experimental::Interceptor {
 public:
  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    methods->Proceed();
  }
};

class AuditFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  AuditFactory(audit::AuditLog* log, const Logger* logger)
      : log_(log), logger_(logger) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    if (!audit::IsMutatingMethod(info->method())) {
      return new PassThroughInterceptor();
    }
    return new AuditInterceptor(info, log_, logger_);
  }

 private:
  audit::AuditLog* log_;
  const Logger* logger_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
AuditInterceptorFactory(audit::AuditLog* log, const Logger* logger) {
  return std::make_unique<AuditFactory>(log, logger);
}

}  // namespace lienthong
