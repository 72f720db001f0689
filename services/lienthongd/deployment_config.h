#ifndef SERVICES_LIENTHONGD_DEPLOYMENT_CONFIG_H_
#define SERVICES_LIENTHONGD_DEPLOYMENT_CONFIG_H_

// The deployment file of one process per service: where each service is
// served, as JSON {"addresses": {"registry": "host:port", ...}}.

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace lienthong {

// Whether `name` is a service a process can host: "registry", "ingestion",
// "reporting" or "documents".
bool IsServiceName(const std::string& name);

// Reads and checks `path`: every name a known service, every address
// "host:port". INVALID_ARGUMENT (DEPLOYMENT_CONFIG_INVALID) when it is not,
// FAILED_PRECONDITION (DEPLOYMENT_CONFIG_UNREADABLE) when it cannot be read.
absl::StatusOr<std::map<std::string, std::string>> ReadDeploymentConfig(
    const std::string& path);

// The address a process hosting `services` listens on: `listen` when given,
// else its services' configured address, else `fallback`. INVALID_ARGUMENT
// (CONFLICTING_ADDRESSES) when its services are configured at different
// addresses, which one port cannot serve.
absl::StatusOr<std::string> ListenAddress(
    const std::string& listen, const std::vector<std::string>& services,
    const std::map<std::string, std::string>& addresses,
    const std::string& fallback);

}  // namespace lienthong

#endif  // SERVICES_LIENTHONGD_DEPLOYMENT_CONFIG_H_
