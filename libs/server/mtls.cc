#include "libs/server/mtls.h"

#include <arpa/inet.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "libs/pki/key_material.h"
#include "libs/server/certificate_auth_processor.h"
#include "libs/server/trust_store.h"

namespace lienthong {

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MtlsServerCredentials(
    const MtlsFiles& files, const Clock* clock, const Logger* logger) {
  TrustStoreOptions trust_options;
  trust_options.logger = logger;
  absl::StatusOr<std::shared_ptr<TrustStore>> trust = TrustStore::Create(
      files.ca_pem, files.crl_path, files.crl_pem, clock, trust_options);
  if (!trust.ok()) return trust.status();
  absl::StatusOr<pki::Certificate> own =
      pki::ParseCertificatePem(files.cert_pem);
  if (!own.ok()) return own.status();
  absl::StatusOr<std::string> own_der = pki::CertificateToDer(own->get());
  if (!own_der.ok()) return own_der.status();

  grpc::SslServerCredentialsOptions options(
      // Requested, not required, and not verified by the handshake: the
      // processor verifies, so a client without a good certificate gets an
      // UNAUTHENTICATED status saying why instead of a dropped connection.
      GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_BUT_DONT_VERIFY);
  options.pem_root_certs = files.ca_pem;
  options.pem_key_cert_pairs.push_back({files.key_pem, files.cert_pem});
  std::shared_ptr<grpc::ServerCredentials> credentials =
      grpc::SslServerCredentials(options);
  credentials->SetAuthMetadataProcessor(
      std::make_shared<CertificateAuthProcessor>(
          *std::move(trust), *std::move(own_der), clock, logger));
  return credentials;
}

std::shared_ptr<grpc::ChannelCredentials> MtlsChannelCredentials(
    const MtlsFiles& files) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = files.ca_pem;
  options.pem_private_key = files.key_pem;
  options.pem_cert_chain = files.cert_pem;
  return grpc::SslCredentials(options);
}

bool IsLoopbackAddress(absl::string_view address) {
  size_t colon = address.rfind(':');
  std::string host(colon == absl::string_view::npos ? address
                                                    : address.substr(0, colon));
  if (host == "localhost") return true;
  if (host == "[::1]") return true;
  in_addr ipv4;
  return inet_pton(AF_INET, host.c_str(), &ipv4) == 1 &&
         (ntohl(ipv4.s_addr) >> 24) == 127;
}

}  // namespace lienthong
