#include "libs/server/trust_store.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/log/logger.h"
#include "libs/pki/certificate_authority.h"
#include "libs/pki/certificate_verifier.h"
#include "libs/pki/key_material.h"
#include "libs/pki/test_certificates.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

using ::lienthong::pki::testing::TestNow;
using ::lienthong::testing::IsOk;
using ::testing::HasSubstr;

// As an operator's tool would: a reader sees the old file or the new one.
void WriteAtomically(const std::string& path, const std::string& text) {
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
  }
  ASSERT_EQ(std::rename(temp.c_str(), path.c_str()), 0) << path;
}

class TrustStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LT_ASSERT_OK_AND_ASSIGN(ca_, pki::testing::TestCa("Provincial CA"));
    LT_ASSERT_OK_AND_ASSIGN(ca_pem_, ca_->CertificatePem());
    const std::string dir =
        ::testing::TempDir() + "/trust_store_" +
        ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    crl_path_ = dir + "/crl.pem";
    LT_ASSERT_OK_AND_ASSIGN(pki::IssuedCertificate alice,
                            ca_->Issue(pki::testing::AgencyLeaf()));
    alice_ = std::move(alice.certificate);
    LT_ASSERT_OK_AND_ASSIGN(pki::IssuedCertificate bob,
                            ca_->Issue(pki::testing::AgencyLeaf()));
    bob_ = std::move(bob.certificate);
  }

  std::shared_ptr<TrustStore> Open(const std::string& initial_crl_pem) {
    TrustStoreOptions options;
    options.logger = &logger_;
    absl::StatusOr<std::shared_ptr<TrustStore>> store = TrustStore::Create(
        ca_pem_, crl_path_, initial_crl_pem, &clock_, options);
    EXPECT_THAT(store, IsOk());
    return store.ok() ? *store : nullptr;
  }

  void Revoke(const pki::Certificate& certificate) {
    ASSERT_THAT(
        ca_->Revoke(pki::CertificateSerialHex(certificate.get()), TestNow()),
        IsOk());
  }

  std::string Crl() {
    absl::StatusOr<std::string> crl = ca_->Crl(TestNow() - absl::Hours(1));
    EXPECT_THAT(crl, IsOk());
    return crl.value_or("");
  }

  // The reason `certificate` is refused now, "" when it is accepted.
  std::string Refusal(TrustStore& store, const pki::Certificate& certificate) {
    absl::Status status = store.Current()
                              .verifier->Verify(certificate.get(), clock_.Now())
                              .status();
    return status.ok() ? "" : ErrorReason(status);
  }

  int CountLines(absl::string_view event) {
    int count = 0;
    for (const std::string& line : sink_.lines()) {
      count += absl::StrContains(line, absl::StrCat("event=", event));
    }
    return count;
  }

  FakeClock clock_{TestNow()};
  MemoryLogSink sink_;
  Logger logger_{&sink_, &clock_};
  std::optional<pki::CertificateAuthority> ca_;
  std::string ca_pem_;
  std::string crl_path_;
  pki::Certificate alice_;
  pki::Certificate bob_;
};

TEST_F(TrustStoreTest, ACrlWrittenLaterIsTakenAfterTheRecheckInterval) {
  std::shared_ptr<TrustStore> store = Open("");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->Current().generation, 1u);
  EXPECT_EQ(Refusal(*store, alice_), "");

  Revoke(alice_);
  WriteAtomically(crl_path_, Crl());
  clock_.Advance(absl::Seconds(9));
  EXPECT_EQ(store->Current().generation, 1u);  // not looked at yet
  EXPECT_EQ(Refusal(*store, alice_), "");

  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(store->Current().generation, 2u);
  EXPECT_EQ(Refusal(*store, alice_), "CERTIFICATE_REVOKED");
  EXPECT_EQ(Refusal(*store, bob_), "");
  EXPECT_EQ(CountLines("crl.reloaded"), 1);
  EXPECT_THAT(sink_.lines().back(), HasSubstr("revoked=1"));
}

TEST_F(TrustStoreTest, TheCrlReadAtStartIsNotTakenAgain) {
  Revoke(alice_);
  const std::string crl = Crl();
  WriteAtomically(crl_path_, crl);
  std::shared_ptr<TrustStore> store = Open(crl);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Refusal(*store, alice_), "CERTIFICATE_REVOKED");
  clock_.Advance(absl::Seconds(10));
  EXPECT_EQ(store->Current().generation, 1u);
  // Touched: a new mtime, the same CRL.
  WriteAtomically(crl_path_, crl);
  clock_.Advance(absl::Seconds(10));
  EXPECT_EQ(store->Current().generation, 1u);
  EXPECT_TRUE(sink_.lines().empty());
}

TEST_F(TrustStoreTest, ABadCrlKeepsThePreviousOne) {
  Revoke(alice_);
  const std::string crl = Crl();
  WriteAtomically(crl_path_, crl);
  std::shared_ptr<TrustStore> store = Open(crl);
  ASSERT_NE(store, nullptr);

  WriteAtomically(crl_path_, "-----BEGIN X509 CRL-----\ngarbage\n");
  clock_.Advance(absl::Seconds(10));
  EXPECT_EQ(store->Current().generation, 1u);
  EXPECT_EQ(Refusal(*store, alice_), "CERTIFICATE_REVOKED");
  EXPECT_EQ(Refusal(*store, bob_), "");
  ASSERT_EQ(CountLines("crl.reload_failed"), 1);
  EXPECT_THAT(sink_.lines().back(), HasSubstr("level=error"));
  EXPECT_THAT(sink_.lines().back(), HasSubstr("reason=CRL_MALFORMED"));
  // The same bad file is not reported again.
  clock_.Advance(absl::Seconds(10));
  EXPECT_EQ(store->Current().generation, 1u);
  EXPECT_EQ(CountLines("crl.reload_failed"), 1);

  // Same issuer name, another key: forged, or another province's CA.
  LT_ASSERT_OK_AND_ASSIGN(pki::CertificateAuthority impostor,
                          pki::testing::TestCa("Provincial CA"));
  LT_ASSERT_OK_AND_ASSIGN(std::string forged,
                          impostor.Crl(TestNow() - absl::Hours(1)));
  WriteAtomically(crl_path_, forged);
  clock_.Advance(absl::Seconds(10));
  EXPECT_EQ(store->Current().generation, 1u);
  EXPECT_EQ(Refusal(*store, alice_), "CERTIFICATE_REVOKED");
  EXPECT_EQ(Refusal(*store, bob_), "");
  EXPECT_THAT(sink_.lines().back(), HasSubstr("reason=CRL_NOT_SIGNED_BY_CA"));

  // A good one again is taken.
  Revoke(bob_);
  WriteAtomically(crl_path_, Crl());
  clock_.Advance(absl::Seconds(10));
  EXPECT_EQ(store->Current().generation, 2u);
  EXPECT_EQ(Refusal(*store, bob_), "CERTIFICATE_REVOKED");
}

TEST_F(TrustStoreTest, ACrlThatDisappearsStaysInForce) {
  Revoke(alice_);
  const std::string crl = Crl();
  WriteAtomically(crl_path_, crl);
  std::shared_ptr<TrustStore> store = Open(crl);
  ASSERT_NE(store, nullptr);
  std::filesystem::remove(crl_path_);
  clock_.Advance(absl::Seconds(10));
  EXPECT_EQ(Refusal(*store, alice_), "CERTIFICATE_REVOKED");
  EXPECT_EQ(CountLines("crl.reload_failed"), 1);
  EXPECT_THAT(sink_.lines().back(), HasSubstr("reason=CRL_MISSING"));
}

TEST_F(TrustStoreTest, CreateRefusesACrlTheCaDidNotSign) {
  LT_ASSERT_OK_AND_ASSIGN(pki::CertificateAuthority impostor,
                          pki::testing::TestCa("Provincial CA"));
  LT_ASSERT_OK_AND_ASSIGN(std::string forged,
                          impostor.Crl(TestNow() - absl::Hours(1)));
  absl::StatusOr<std::shared_ptr<TrustStore>> store =
      TrustStore::Create(ca_pem_, crl_path_, forged, &clock_);
  EXPECT_THAT(store, ::lienthong::testing::StatusCodeIs(
                         absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(store.status()), "CRL_NOT_SIGNED_BY_CA");
}

TEST_F(TrustStoreTest, WithoutACrlPathNothingIsWatched) {
  TrustStoreOptions options;
  options.logger = &logger_;
  LT_ASSERT_OK_AND_ASSIGN(
      std::shared_ptr<TrustStore> store,
      TrustStore::Create(ca_pem_, "", "", &clock_, options));
  Revoke(alice_);
  WriteAtomically(crl_path_, Crl());
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(store->Current().generation, 1u);
  EXPECT_EQ(Refusal(*store, alice_), "");
}

}  // namespace
}  // namespace lienthong
