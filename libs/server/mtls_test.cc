#include "libs/server/mtls.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/log/logger.h"
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

// As an operator's tool would: a reader sees the old file or the new one.
void WriteAtomically(const std::string& path, const std::string& text) {
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
  }
  ASSERT_EQ(std::rename(temp.c_str(), path.c_str()), 0) << path;
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
    LT_ASSERT_OK_AND_ASSIGN(
        std::shared_ptr<grpc::ServerCredentials> creds,
        MtlsServerCredentials(server_files_, &clock_, &logger_));
    ServerOptions options;
    options.credentials = creds;
    LT_ASSERT_OK_AND_ASSIGN(
        server_, GrpcServer::Start(
                     options, {{"lienthong.testing.EchoService", &service_}}));
  }

  // Serves from a certificate directory as the daemon does (LoadPkiFiles),
  // with `crl` as its crl.pem, or none when empty; returns the CRL's path.
  std::string ServeFromDirectory(const std::string& crl) {
    const std::string dir =
        ::testing::TempDir() + "/mtls_" +
        ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    WriteAtomically(dir + "/ca.pem", server_files_.ca_pem);
    WriteAtomically(dir + "/server.pem", server_files_.cert_pem);
    WriteAtomically(dir + "/server.key", server_files_.key_pem);
    if (!crl.empty()) WriteAtomically(dir + "/crl.pem", crl);
    absl::StatusOr<MtlsFiles> files = pki::LoadPkiFiles(dir, "server");
    EXPECT_TRUE(files.ok()) << files.status();
    if (files.ok()) server_files_ = *std::move(files);
    EXPECT_EQ(server_files_.crl_path, dir + "/crl.pem");
    EXPECT_EQ(server_files_.crl_pem, crl);
    StartServer();
    return dir + "/crl.pem";
  }

  void Revoke(const MtlsFiles& client) {
    absl::StatusOr<pki::Certificate> certificate =
        pki::ParseCertificatePem(client.cert_pem);
    ASSERT_TRUE(certificate.ok()) << certificate.status();
    ASSERT_TRUE(
        ca_->Revoke(pki::CertificateSerialHex(certificate->get()), TestNow())
            .ok());
  }

  std::string Crl() {
    absl::StatusOr<std::string> crl = ca_->Crl(TestNow() - absl::Hours(1));
    EXPECT_TRUE(crl.ok()) << crl.status();
    return crl.value_or("");
  }

  std::vector<std::string> LinesWith(absl::string_view text) {
    std::vector<std::string> found;
    for (const std::string& line : sink_.lines()) {
      if (absl::StrContains(line, text)) found.push_back(line);
    }
    return found;
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
  MemoryLogSink sink_;
  Logger logger_{&sink_, &clock_};
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

TEST_F(MtlsTest, ARevocationTakesEffectWithoutARestart) {
  const std::string crl_path = ServeFromDirectory(Crl());  // revokes nobody
  MtlsFiles client = ClientFiles(Leaf("000.01.01.H26", "system"));
  auto channel = ChannelAs(client);
  std::string who;
  ASSERT_TRUE(Call(channel, &who).ok());

  Revoke(client);
  WriteAtomically(crl_path, Crl());
  // Within the recheck interval the verdict already reached may stand.
  clock_.Advance(absl::Seconds(5));
  EXPECT_TRUE(Call(channel, &who).ok());

  clock_.Advance(absl::Seconds(6));
  grpc::Status status = Call(channel, &who);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("CERTIFICATE_REVOKED"));
  // A new connection is refused too; others still get in.
  EXPECT_EQ(Call(ChannelAs(client), &who).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(
      Call(ChannelAs(ClientFiles(Leaf("000.01.02.H26", "system"))), &who).ok());
  EXPECT_EQ(LinesWith("event=crl.reloaded").size(), 1u);
}

TEST_F(MtlsTest, ACrlPastItsNextUpdateIsNoticedOnAnOpenConnection) {
  LT_ASSERT_OK_AND_ASSIGN(
      server_files_.crl_pem,
      ca_->Crl(TestNow() - absl::Hours(1), absl::Hours(1) + absl::Seconds(30)));
  StartServer();
  auto channel = ChannelAs(ClientFiles(Leaf("000.01.01.H26", "system")));
  std::string who;
  ASSERT_TRUE(Call(channel, &who).ok());
  // Past nextUpdate: the verdict cached a minute ago is not reused.
  clock_.Advance(absl::Minutes(1));
  grpc::Status status = Call(channel, &who);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("CERTIFICATE_UNTRUSTED"));
}

TEST_F(MtlsTest, AGarbageCrlKeepsThePreviousOne) {
  MtlsFiles revoked = ClientFiles(Leaf("000.01.01.H26", "system"));
  Revoke(revoked);
  const std::string crl_path = ServeFromDirectory(Crl());
  WriteAtomically(crl_path, "this is not a CRL\n");
  clock_.Advance(absl::Seconds(11));
  std::string who;
  grpc::Status status = Call(ChannelAs(revoked), &who);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("CERTIFICATE_REVOKED"));
  EXPECT_TRUE(
      Call(ChannelAs(ClientFiles(Leaf("000.01.02.H26", "system"))), &who).ok());
  std::vector<std::string> failed = LinesWith("event=crl.reload_failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_THAT(failed.front(), HasSubstr("reason=CRL_MALFORMED"));
}

TEST_F(MtlsTest, ACrlAddedWhereNoneWasIsPickedUp) {
  const std::string crl_path = ServeFromDirectory("");
  MtlsFiles client = ClientFiles(Leaf("000.01.01.H26", "system"));
  std::string who;
  ASSERT_TRUE(Call(ChannelAs(client), &who).ok());
  Revoke(client);
  WriteAtomically(crl_path, Crl());
  clock_.Advance(absl::Seconds(11));
  grpc::Status status = Call(ChannelAs(client), &who);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("CERTIFICATE_REVOKED"));
}

TEST_F(MtlsTest, RefusalsAreLoggedAtMostOnceAMinutePerCertificate) {
  StartServer();
  LT_ASSERT_OK_AND_ASSIGN(pki::CertificateAuthority other,
                          pki::testing::TestCa("Another province"));
  LT_ASSERT_OK_AND_ASSIGN(pki::IssuedCertificate issued,
                          other.Issue(Leaf("000.01.01.H26", "system")));
  MtlsFiles files = FilesOf(other, issued);
  files.ca_pem = server_files_.ca_pem;
  auto channel = ChannelAs(files);
  std::string who;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(Call(channel, &who).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  std::vector<std::string> lines = LinesWith("event=auth.refused");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], HasSubstr("level=warning"));
  EXPECT_THAT(lines[0], HasSubstr("reason=CERTIFICATE_UNTRUSTED"));
  EXPECT_THAT(lines[0], HasSubstr("agency=000.01.01.H26"));
  EXPECT_THAT(
      lines[0],
      HasSubstr(absl::StrCat(
          "serial=", pki::CertificateSerialHex(issued.certificate.get()))));
  EXPECT_THAT(lines[0], HasSubstr("suppressed=0"));

  clock_.Advance(absl::Minutes(1));
  ASSERT_EQ(Call(channel, &who).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  lines = LinesWith("event=auth.refused");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[1], HasSubstr("suppressed=2"));

  // Another reason is another line.
  grpc::SslCredentialsOptions anonymous;
  anonymous.pem_root_certs = server_files_.ca_pem;
  ASSERT_EQ(Call(grpc::CreateChannel(server_->target(),
                                     grpc::SslCredentials(anonymous)),
                 &who)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  lines = LinesWith("event=auth.refused");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[2], HasSubstr("reason=CLIENT_CERTIFICATE_REQUIRED"));
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

TEST(MtlsServerCredentialsTest, RefusesACrlTheCaDidNotSign) {
  LT_ASSERT_OK_AND_ASSIGN(pki::CertificateAuthority ca,
                          pki::testing::TestCa("Provincial CA"));
  LT_ASSERT_OK_AND_ASSIGN(pki::CertificateAuthority impostor,
                          pki::testing::TestCa("Provincial CA"));
  LT_ASSERT_OK_AND_ASSIGN(pki::IssuedCertificate issued,
                          ca.Issue(Leaf("000.00.00.H26", "system")));
  MtlsFiles files = FilesOf(ca, issued);
  LT_ASSERT_OK_AND_ASSIGN(files.crl_pem, impostor.Crl(TestNow()));
  FakeClock clock(TestNow());
  EXPECT_EQ(MtlsServerCredentials(files, &clock).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace lienthong
