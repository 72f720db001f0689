#include "services/lienthongd/deployment_config.h"

#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "libs/status/status_details.h"
#include "services/lienthongd/deployment_config.pb.h"

namespace lienthong {
namespace {

// "host:port" or "[v6]:port" with a port in 1..65535.
bool IsHostPort(const std::string& address) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  int port = 0;
  return absl::SimpleAtoi(address.substr(colon + 1), &port) && port > 0 &&
         port <= 65535;
}

}  // namespace

bool IsServiceName(const std::string& name) {
  return name == "registry" || name == "ingestion" || name == "reporting" ||
         name == "documents";
}

absl::StatusOr<std::map<std::string, std::string>> ReadDeploymentConfig(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return WithErrorInfo(
        absl::FailedPreconditionError(absl::StrCat("cannot read ", path)),
        "DEPLOYMENT_CONFIG_UNREADABLE", {{"path", path}});
  }
  std::stringstream content;
  content << in.rdbuf();
  lienthongd::internal::DeploymentConfig config;
  google::protobuf::util::Status parsed =
      google::protobuf::util::JsonStringToMessage(content.str(), &config);
  if (!parsed.ok()) {
    return WithErrorInfo(
        absl::InvalidArgumentError(absl::StrCat(
            path, " is not a deployment config: ",
            std::string(parsed.message().data(), parsed.message().size()))),
        "DEPLOYMENT_CONFIG_INVALID", {{"path", path}});
  }
  // Sorted, so the violations come in a stable order.
  std::map<std::string, std::string> addresses(config.addresses().begin(),
                                               config.addresses().end());
  std::vector<FieldViolation> violations;
  for (const auto& [service, address] : addresses) {
    std::string field = absl::StrCat("addresses.", service);
    if (!IsServiceName(service)) {
      violations.push_back(
          {field,
           "not a service: registry, ingestion, reporting or documents"});
    } else if (!IsHostPort(address)) {
      violations.push_back(
          {field, absl::StrCat("\"", address, "\" is not host:port")});
    }
  }
  if (!violations.empty()) {
    return WithFieldViolations(
        WithErrorInfo(absl::InvalidArgumentError(
                          absl::StrCat(path, " has invalid addresses")),
                      "DEPLOYMENT_CONFIG_INVALID", {{"path", path}}),
        violations);
  }
  return addresses;
}

absl::StatusOr<std::string> ListenAddress(
    const std::string& listen, const std::vector<std::string>& services,
    const std::map<std::string, std::string>& addresses,
    const std::string& fallback) {
  if (!listen.empty()) return listen;
  std::string configured;
  for (const std::string& service : services) {
    auto found = addresses.find(service);
    if (found == addresses.end()) continue;
    if (!configured.empty() && configured != found->second) {
      return WithErrorInfo(
          absl::InvalidArgumentError(absl::StrCat(
              "the services of this process are configured at different "
              "addresses (",
              configured, ", ", found->second,
              "); one process serves one address: give --listen or one "
              "address")),
          "CONFLICTING_ADDRESSES");
    }
    configured = found->second;
  }
  return configured.empty() ? fallback : configured;
}

}  // namespace lienthong
