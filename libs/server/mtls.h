#ifndef LIBS_SERVER_MTLS_H_
#define LIBS_SERVER_MTLS_H_

// Mutual TLS for every server and client of the platform: one provincial CA,
// an optional CRL, and a certificate and key per party, in a directory laid out
// as lt-certs writes it (ca.pem, crl.pem, {name}.pem, {name}.key).

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/pki/pki_files.h"

namespace grpc {
class ChannelCredentials;
class ServerCredentials;
}  // namespace grpc

namespace lienthong {

class Clock;
class Logger;

// One party's TLS material (pki::LoadPkiFiles reads it from a directory).
using MtlsFiles = pki::PkiFiles;

// Server credentials presenting `files`' certificate and asking every client
// for one; each call's certificate is then verified against the CA and CRL at
// `clock`'s time (see CertificateAuthProcessor). The CRL at `files.crl_path`
// is watched and a new one taken within 10 s (see TrustStore). INVALID_ARGUMENT
// when the CA or CRL does not parse or the CA did not sign the CRL. Refusals
// and CRL reloads are logged to `logger` (may be null). `clock` and `logger`
// must outlive the credentials.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MtlsServerCredentials(
    const MtlsFiles& files, const Clock* clock, const Logger* logger = nullptr);

// Client credentials presenting `files`' certificate and trusting servers
// whose certificate the CA issued for the dialled host name or address.
std::shared_ptr<grpc::ChannelCredentials> MtlsChannelCredentials(
    const MtlsFiles& files);

// True when the host of "host:port" is a loopback name or address
// (localhost, 127.0.0.0/8, [::1]), the only place plain text is allowed.
bool IsLoopbackAddress(absl::string_view address);

}  // namespace lienthong

#endif  // LIBS_SERVER_MTLS_H_
