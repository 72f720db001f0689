#include "libs/server/mtls.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/pki/certificate_authority.h"
#include "libs/pki/key_material.h"
#include "libs/pki/test_certificates.h"
#include "libs/server/authorizer.h"
#include "libs/server/grpc_server.h"
#include "libs/testing/echo.grpc.pb.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

using ::lienthong::pki::testing::LeafNotAfter;
using ::lienthong::pki::testing::TestNow;
using ::lienthong::testing::EchoRequest;
using ::lienthong::testing::EchoResponse;
using ::lienthong::testing::EchoService;
using ::testing::HasSubstr;

// Answers with the caller the server saw: "agency/role".
class WhoAmIService final : public EchoService::CallbackService {
 public:
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const EchoRequest*,
                                 EchoResponse* response) override {
    Caller caller = CallerOf(*context);
    response->set_message(
        caller.authenticated
            ? absl::StrCat(caller.identity, "/", caller.role,
                           caller.platform ? " (platform)" : "")
            : "anonymous");
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

MtlsFiles FilesOf(pki::CertificateAuthority& ca,
                  const pki::IssuedCertificate& issued) {
  MtlsFiles files;
  files.ca_pem = *ca.CertificatePem();
  files.cert_pem = *pki::CertificateToPem(issued.certificate.get());
  files.key_pem = *pki::PrivateKeyToPem(issued.key.get());
  return files;
}

pki::LeafSpec Leaf(const std::string& agency, const std::string& role) {
  pki::LeafSpec spec = pki::testing::AgencyLeaf();
  spec.agency_code = agency;
  spec.role = role;
  return spec;
}

class MtlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LT_ASSERT_OK_AND_ASSIGN(ca_, pki::testing::TestCa("Provincial CA"));
    pki::LeafSpec server = Leaf("000.00.00.H26", "system");
    server.server = true;
    server.dns_names = {"localhost"};
    server.ip_addresses = {"127.0.0.1"};
    // Clients check the server by the wall clock; the server checks clients
    // by the injected one.
    server.not_before = pki::testing::LeafNotBefore();
    server.not_after = absl::Now() + absl::Hours(24);
    LT_ASSERT_OK_AND_ASSIGN(pki::IssuedCertificate issued, ca_->Issue(server));
    server_files_ = FilesOf(*ca_, issued);
  }

  void StartServer() {
    LT_ASSERT_OK_AND_ASSIGN(std::shared_ptr<grpc::ServerCredentials> creds,
                            MtlsServerCredentials(server_files_, &clock_));
    ServerOptions options;
    options.credentials = creds;
    LT_ASSERT_OK_AND_ASSIGN(
        server_, GrpcServer::Start(
                     options, {{"lienthong.testing.EchoService", &service_}}));
  }

  std::shared_ptr<grpc::Channel> ChannelAs(const MtlsFiles& files) {
    return grpc::CreateChannel(server_->target(),
                               MtlsChannelCredentials(files));
  }

  MtlsFiles ClientFiles(const pki::LeafSpec& spec) {
    absl::StatusOr<pki::IssuedCertificate> issued = ca_->Issue(spec);
    EXPECT_TRUE(issued.ok()) << issued.status();
    return FilesOf(*ca_, *issued);
  }

  static grpc::Status Call(const std::shared_ptr<grpc::Channel>& channel,
                           std::string* who) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    EchoResponse response;
    grpc::Status status =
        EchoService::NewStub(channel)->Echo(&context, EchoRequest(), &response);
    *who = response.message();
    return status;
  }

  FakeClock clock_{TestNow()};
  std::optional<pki::CertificateAuthority> ca_;
  MtlsFiles server_files_;
  WhoAmIService service_;
  std::unique_ptr<GrpcServer> server_;
};

TEST_F(MtlsTest, CallerIsTheAgencyAndRoleOfTheClientCertificate) {
  StartServer();
  std::string who;
  ASSERT_TRUE(
      Call(ChannelAs(ClientFiles(Leaf("000.01.01.H26", "system"))), &who).ok());
  EXPECT_EQ(who, "000.01.01.H26/system");
  ASSERT_TRUE(
      Call(ChannelAs(ClientFiles(Leaf("000.00.00.H26", "auditor"))), &who)
          .ok());
  EXPECT_EQ(who, "000.00.00.H26/auditor");
}

TEST_F(MtlsTest, ThePlatformsOwnCertificateMarksAServiceToServiceCall) {
  StartServer();
  std::string who;
  ASSERT_TRUE(Call(ChannelAs(server_files_), &who).ok());
  EXPECT_EQ(who, "000.00.00.H26/system (platform)");
  // The same agency and role under another certificate is not the platform.
  ASSERT_TRUE(
      Call(ChannelAs(ClientFiles(Leaf("000.00.00.H26", "system"))), &who).ok());
  EXPECT_EQ(who, "000.00.00.H26/system");
}

TEST_F(MtlsTest, AClientWithoutCertificateIsRefusedEvenHealth) {
  StartServer();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = server_files_.ca_pem;
  auto channel =
      grpc::CreateChannel(server_->target(), grpc::SslCredentials(options));
  std::string who;
  grpc::Status status = Call(channel, &who);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("CLIENT_CERTIFICATE_REQUIRED"));

  grpc::ClientContext context;
  grpc::health::v1::HealthCheckResponse response;
  EXPECT_EQ(grpc::health::v1::Health::NewStub(channel)
                ->Check(&context, {}, &response)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(MtlsTest, ACertificateFromAnotherCaIsUntrusted) {
  StartServer();
  LT_ASSERT_OK_AND_ASSIGN(pki::CertificateAuthority other,
                          pki::testing::TestCa("Another province"));
  LT_ASSERT_OK_AND_ASSIGN(pki::IssuedCertificate issued,
                          other.Issue(Leaf("000.01.01.H26", "system")));
  MtlsFiles files = FilesOf(other, issued);
  files.ca_pem = server_files_.ca_pem;  // it still trusts our server
  std::string who;
  grpc::Status status = Call(ChannelAs(files), &who);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("CERTIFICATE_UNTRUSTED"));
}

TEST_F(MtlsTest, ACertificateExpiresByTheServersClockEvenOnAnOpenConnection) {
  StartServer();
  auto channel = ChannelAs(ClientFiles(Leaf("000.01.01.H26", "system")));
  std::string who;
  ASSERT_TRUE(Call(channel, &who).ok());
  clock_.Set(LeafNotAfter() + absl::Seconds(1));
  grpc::Status status = Call(channel, &who);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("CERTIFICATE_EXPIRED"));
}

TEST_F(MtlsTest, ARevokedCertificateIsRefused) {
  MtlsFiles client = ClientFiles(Leaf("000.01.01.H26", "system"));
  LT_ASSERT_OK_AND_ASSIGN(pki::Certificate certificate,
                          pki::ParseCertificatePem(client.cert_pem));
  ASSERT_TRUE(
      ca_->Revoke(pki::CertificateSerialHex(certificate.get()), TestNow())
          .ok());
  LT_ASSERT_OK_AND_ASSIGN(server_files_.crl_pem,
                          ca_->Crl(TestNow() - absl::Hours(1)));
  StartServer();
  std::string who;
  grpc::Status status = Call(ChannelAs(client), &who);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("CERTIFICATE_REVOKED"));
  // Others still get in.
  EXPECT_TRUE(
      Call(ChannelAs(ClientFiles(Leaf("000.01.02.H26", "system"))), &who).ok());
}

TEST_F(MtlsTest, ACertificateWithoutAgencyIsRefused) {
  StartServer();
  std::string who;
  grpc::Status status = Call(ChannelAs(ClientFiles(Leaf("", "system"))), &who);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("CERTIFICATE_WITHOUT_AGENCY"));
}

TEST_F(MtlsTest, InProcessCallsComeFromThePlatformItself) {
  StartServer();
  std::string who;
  grpc::Status status = Call(server_->InProcessChannel(), &who);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(who, "anonymous");
}

TEST(LoopbackTest, OnlyLoopbackHostsCount) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopbackAddress("127.1.2.3:0"));
  EXPECT_TRUE(IsLoopbackAddress("localhost:50051"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0:50051"));
  EXPECT_FALSE(IsLoopbackAddress("[::]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.5:50051"));
  EXPECT_FALSE(IsLoopbackAddress("127.example.org:50051"));
}

TEST(MtlsServerCredentialsTest, RefusesACaThatDoesNotParse) {
  MtlsFiles files;
  files.ca_pem = "not a certificate";
  FakeClock clock(TestNow());
  EXPECT_EQ(MtlsServerCredentials(files, &clock).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(LoadPkiFilesTest, NamesAMissingFile) {
  absl::StatusOr<MtlsFiles> files =
      pki::LoadPkiFiles(::testing::TempDir(), "nobody");
  EXPECT_EQ(files.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace lienthong
