// Protobuf-level fuzzing of one service's request handling (the service whose
// full name starts with LT_FUZZ_SERVICE): a live daemon, every RPC of the
// service reachable; the first byte picks the method, the rest is sent as the
// request message's bytes, valid or not. The daemon must answer every call
// with a status and never crash.

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "services/lienthongd/daemon.h"
#include "services/lienthongd/generic_call.h"
#include "services/lienthongd/test_pki.h"

#ifndef LT_FUZZ_SERVICE
#error "define LT_FUZZ_SERVICE, e.g. lienthong.registry.v1."
#endif

namespace {

struct Target {
  std::unique_ptr<lienthong::TestPki> pki;
  std::unique_ptr<lienthong::Daemon> daemon;
  std::shared_ptr<grpc::Channel> channel;
  std::vector<const google::protobuf::MethodDescriptor*> methods;
};

Target* target = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Writes go to memory when possible: fsync per call would slow fuzzing.
  const char* base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp";
  const std::string dir =
      std::string(base) + "/lienthong-fuzz-" + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir + "/certs");
  target = new Target();
  absl::StatusOr<lienthong::TestPki> pki =
      lienthong::TestPki::Create(dir + "/certs");
  if (!pki.ok()) std::abort();
  target->pki = std::make_unique<lienthong::TestPki>(*std::move(pki));
  lienthong::DaemonOptions options;
  options.data_dir = dir + "/var";
  options.certs_dir = dir + "/certs";
  absl::StatusOr<std::unique_ptr<lienthong::Daemon>> daemon =
      lienthong::Daemon::Start(options);
  if (!daemon.ok()) std::abort();
  target->daemon = *std::move(daemon);
  // In-process: the platform's own trust, so calls reach the handlers' logic
  // rather than stopping at authorization.
  target->channel = target->daemon->server().InProcessChannel();
  for (const std::string& name : target->daemon->service_names()) {
    if (!absl::StartsWith(name, LT_FUZZ_SERVICE)) continue;
    const google::protobuf::ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            name);
    for (int m = 0; m < service->method_count(); ++m) {
      target->methods.push_back(service->method(m));
    }
  }
  if (target->methods.empty()) std::abort();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const google::protobuf::MethodDescriptor* method =
      target->methods[data[0] % target->methods.size()];
  const std::string request(reinterpret_cast<const char*>(data + 1), size - 1);
  lienthong::GenericCallResult result = lienthong::CallWithBytes(
      target->channel.get(), method, {request}, absl::Milliseconds(200));
  // Every call ends with a status; an answer must parse as the method's
  // response type.
  if (result.answered) {
    const google::protobuf::Message* prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(
            method->output_type());
    std::unique_ptr<google::protobuf::Message> response(prototype->New());
    if (!response->ParseFromString(result.first_response)) std::abort();
  }
  return 0;
}
