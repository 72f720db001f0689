// ltctl's RPC commands through the library, against the real lienthongd
// (all services, mutual TLS) on a free port: registry writes and reads as the
// operator, a signed document with an attachment from a district to its
// province and through the province's inbox, reporting answers, and the exit
// status and message of each kind of failure.

#include "tools/ltctl/commands.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "lienthong/documents/v1/document_service.pb.h"
#include "tools/ltctl/call_status.h"
#include "tools/ltctl/document_transfer.h"
#include "tools/ltctl/test_daemon.h"

namespace lienthong::ltctl {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kOperator[] = "OP.30";
constexpr char kProvince[] = "DEMO.30.UBND";
constexpr char kDistrict[] = "DEMO.298.UBND";
constexpr char kProvinceUnit[] = R"({"unit": {"code": "30",
    "level": "UNIT_LEVEL_PROVINCE", "kind": "UNIT_KIND_PROVINCE",
    "displayName": "Tỉnh Hải Dương"}})";
constexpr char kDistrictUnit[] = R"({"unit": {"code": "298",
    "level": "UNIT_LEVEL_DISTRICT", "kind": "UNIT_KIND_RURAL_DISTRICT",
    "displayName": "Huyện Tứ Kỳ", "parents": [{"parent": "units/30"}]}})";

std::string TestDir(const std::string& name) {
  return absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
}

std::string ReadAll(const std::string& path) {
  std::stringstream content;
  content << std::ifstream(path, std::ios::binary).rdbuf();
  return content.str();
}

// What a command printed and returned.
struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

// Who runs a command: its certificate files and agency.
struct Caller {
  CertificateFiles files;
  std::string agency;
};

class CommandsTest : public ::testing::Test {
 protected:
  // One daemon for the suite, with what every test builds on: the province
  // (30) and a district (298), and an agency of each.
  static void SetUpTestSuite() {
    auto daemon = TestDaemon::Start(
        absl::StrCat(std::getenv("TEST_SRCDIR"),
                     "/lienthong/services/lienthongd/lienthongd"),
        TestDir("commands"));
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = daemon->release();
    operator_ = new Caller(As(kOperator, "operator"));
    for (const char* request : {kProvinceUnit, kDistrictUnit}) {
      CommandOptions options = Options(*operator_);
      options.request = request;
      Result created = Run({"units", "create"}, options);
      ASSERT_EQ(created.code, 0) << created.err;
    }
    for (const auto& [code, unit] :
         {std::pair<std::string, std::string>{kProvince, "30"},
          {kDistrict, "298"}}) {
      CommandOptions options = Options(*operator_);
      options.request = absl::StrCat(R"({"agency": {"code": ")", code,
                                     R"(", "displayName": "UBND )", unit,
                                     R"(", "unit": "units/)", unit, R"("}})");
      Result created = Run({"agencies", "create"}, options);
      ASSERT_EQ(created.code, 0) << created.err;
    }
  }

  static void TearDownTestSuite() {
    delete operator_;
    delete daemon_;
    operator_ = nullptr;
    daemon_ = nullptr;
  }

  void SetUp() override { ASSERT_NE(daemon_, nullptr) << "no daemon"; }

  static Caller As(const std::string& agency, const std::string& role) {
    absl::StatusOr<CertificateFiles> files = daemon_->Issue(agency, role);
    EXPECT_TRUE(files.ok()) << files.status();
    return Caller{files.ok() ? *files : CertificateFiles{}, agency};
  }

  // What ltctl's main would build for `caller`'s --cert and --key.
  static CommandOptions Options(const Caller& caller) {
    CommandOptions options;
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
        daemon_->Channel(caller.files);
    EXPECT_TRUE(channel.ok()) << channel.status();
    if (channel.ok()) options.channel = *channel;
    options.own_agency = caller.agency;
    return options;
  }

  static Result Run(const std::vector<std::string>& args,
                    const CommandOptions& options) {
    std::ostringstream out, err;
    Result result;
    result.code = RunCommand(args, options, out, err);
    result.out = out.str();
    result.err = err.str();
    return result;
  }

  static TestDaemon* daemon_;
  static Caller* operator_;
};

TestDaemon* CommandsTest::daemon_ = nullptr;
Caller* CommandsTest::operator_ = nullptr;

TEST_F(CommandsTest, CreatesAUnitThenGetsAndListsIt) {
  CommandOptions options = Options(*operator_);
  options.request = R"({"unit": {"code": "299", "level": "UNIT_LEVEL_DISTRICT",
      "kind": "UNIT_KIND_RURAL_DISTRICT", "displayName": "Huyện Thanh Hà",
      "parents": [{"parent": "units/30"}]}, "requestId": "ltctl-test-299"})";
  Result created = Run({"units", "create"}, options);
  ASSERT_EQ(created.code, 0) << created.err;
  EXPECT_THAT(created.out, HasSubstr(R"("name": "units/299")"));

  // A bare code is the unit's resource name.
  Result got = Run({"units", "get", "299"}, Options(*operator_));
  ASSERT_EQ(got.code, 0) << got.err;
  EXPECT_THAT(got.out, HasSubstr("Huyện Thanh Hà"));

  // As text, a list is one line per unit; --parent takes the full name.
  options = Options(*operator_);
  options.flags = {{"parent", "units/30"}};
  Result listed = Run({"units", "list"}, options);
  ASSERT_EQ(listed.code, 0) << listed.err;
  EXPECT_THAT(listed.out,
              HasSubstr("units/298\tHuyện Tứ Kỳ\tDISTRICT\tRURAL_DISTRICT"));
  EXPECT_THAT(listed.out,
              HasSubstr("units/299\tHuyện Thanh Hà\tDISTRICT\tRURAL_DISTRICT"));

  // Flags fill in the rest of a request; dates as YYYY-MM-DD.
  options = Options(*operator_);
  options.flags = {{"display_name", "Huyện Thanh Hà mới"},
                   {"effective_date", "2025-07-01"},
                   {"legal_reference", "NQ 1656/NQ-UBTVQH15"}};
  Result renamed = Run({"units", "rename", "299"}, options);
  ASSERT_EQ(renamed.code, 0) << renamed.err;
  EXPECT_THAT(renamed.out, HasSubstr("SUCCESSION_TYPE_RENAME"));
  EXPECT_THAT(renamed.out, HasSubstr(R"("month": 7)"));
}

TEST_F(CommandsTest, RefusalsExitOneWithTheServersDetails) {
  Result missing = Run({"units", "get", "99"}, Options(*operator_));
  EXPECT_EQ(missing.code, kRejected);
  EXPECT_THAT(missing.err, HasSubstr("ltctl: units get: NOT_FOUND"));
  EXPECT_THAT(missing.out, IsEmpty());

  // Field violations come from the google.rpc details.
  CommandOptions options = Options(*operator_);
  options.request = R"({"unit": {"code": "1", "level": "UNIT_LEVEL_PROVINCE",
      "kind": "UNIT_KIND_PROVINCE", "displayName": "Tỉnh"}})";
  Result invalid = Run({"units", "create"}, options);
  EXPECT_EQ(invalid.code, kRejected);
  EXPECT_THAT(invalid.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(invalid.err, HasSubstr("\n  unit.code: must be 2 digits"));

  // Only operators administer the registry.
  options.channel = Options(As(kDistrict, "system")).channel;
  Result denied = Run({"units", "create"}, options);
  EXPECT_EQ(denied.code, kRejected);
  EXPECT_THAT(denied.err, HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(denied.err, HasSubstr("[ROLE_NOT_ALLOWED"));
}

TEST_F(CommandsTest, BadUsageExitsTwoBeforeAnyCall) {
  CommandOptions options = Options(*operator_);
  options.request = R"({"unit": )";
  Result malformed = Run({"units", "create"}, options);
  EXPECT_EQ(malformed.code, kUsage);
  EXPECT_THAT(malformed.err,
              HasSubstr("--request is not a "
                        "lienthong.registry.v1.CreateUnitRequest in JSON"));

  options.request = R"({"unitt": {}})";
  EXPECT_EQ(Run({"units", "create"}, options).code, kUsage);

  options = Options(*operator_);
  options.flags = {{"period", "2025-M05"}};
  Result stray = Run({"units", "get", "30"}, options);
  EXPECT_EQ(stray.code, kUsage);
  EXPECT_THAT(stray.err, HasSubstr("--period does not apply"));

  options.flags = {{"level", "TOWN"}};
  Result bad_enum = Run({"units", "list"}, options);
  EXPECT_EQ(bad_enum.code, kUsage);
  EXPECT_THAT(bad_enum.err,
              HasSubstr("--level: \"TOWN\" is not one of PROVINCE, DISTRICT, "
                        "COMMUNE"));

  Result unknown = Run({"units", "frobnicate"}, Options(*operator_));
  EXPECT_EQ(unknown.code, kUsage);
  EXPECT_THAT(unknown.err, HasSubstr("ltctl units get 298"));

  Result arguments = Run({"units", "list", "30"}, Options(*operator_));
  EXPECT_EQ(arguments.code, kUsage);

  // A request file that cannot be read is a local failure, as in push.
  options = Options(*operator_);
  options.request = "@" + TestDir("no-such-request.json");
  EXPECT_EQ(Run({"units", "create"}, options).code, kStopped);
}

TEST_F(CommandsTest, UnreachableServerExitsThree) {
  CommandOptions options;
  options.channel =
      grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials());
  options.timeout = absl::Seconds(5);
  Result result = Run({"units", "get", "30"}, options);
  EXPECT_EQ(result.code, kStopped);
  EXPECT_THAT(result.err, HasSubstr("ltctl: units get: "));
}

TEST_F(CommandsTest, SignedDocumentReachesTheInboxAndIsAnswered) {
  const Caller district = As(kDistrict, "system");
  const Caller province = As(kProvince, "system");
  const std::string dir = TestDir("documents");
  std::filesystem::create_directories(dir);
  const std::string attachment = dir + "/bao-cao-thang-5.txt";
  std::ofstream(attachment) << "Báo cáo kết quả chuyển đổi số tháng 5\n";

  // The district sends: sender from its certificate, attachment uploaded,
  // envelope signed with its key.
  CommandOptions send = Options(district);
  send.request = absl::StrCat(R"({"requestId": "ltctl-send-1", "document": {
      "businessType": "BUSINESS_TYPE_NEW", "header": {
        "to": [{"organId": ")",
                              kProvince, R"(", "organName": "UBND tỉnh"}],
        "code": {"codeNumber": "57", "codeNotation": "BC-UBND"},
        "subject": "Báo cáo tháng 5 năm 2025"}}})");
  send.attachments = {attachment};
  send.sign = true;
  send.sign_cert_file = district.files.cert;
  send.sign_key_file = district.files.key;
  send.json = true;
  Result sent = Run({"documents", "send"}, send);
  ASSERT_EQ(sent.code, 0) << sent.err;
  documents::v1::Document document;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(sent.out, &document).ok())
      << sent.out;
  EXPECT_TRUE(document.signature().verified());
  EXPECT_EQ(document.header().from().organ_id(), kDistrict);
  ASSERT_EQ(document.attachments_size(), 1);
  EXPECT_EQ(document.attachments(0).file_name(), "bao-cao-thang-5.txt");
  const std::string name = document.name();

  // The province's inbox, as text and as JSON.
  Result inbox = Run({"inbox", "list"}, Options(province));
  ASSERT_EQ(inbox.code, 0) << inbox.err;
  EXPECT_THAT(inbox.out,
              HasSubstr(absl::StrCat("\t", name, "\t", kDistrict, "\t0\t",
                                     "Báo cáo tháng 5 năm 2025\n")));
  CommandOptions json = Options(province);
  json.json = true;
  inbox = Run({"inbox", "list"}, json);
  documents::v1::ListInboxResponse entries;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(inbox.out, &entries).ok())
      << inbox.out;
  ASSERT_EQ(entries.entries_size(), 1);

  // The attachment comes back byte for byte, checked against its name.
  CommandOptions download = Options(province);
  download.flags = {{"document", name}};
  download.out = dir + "/downloaded.txt";
  Result downloaded =
      Run({"documents", "download", document.attachments(0).attachment()},
          download);
  ASSERT_EQ(downloaded.code, 0) << downloaded.err;
  EXPECT_EQ(ReadAll(download.out), ReadAll(attachment));
  // A download never replaces a file; a malformed name is a usage error.
  std::ofstream(download.out, std::ios::trunc) << "kept";
  EXPECT_EQ(Run({"documents", "download", document.attachments(0).attachment()},
                download)
                .code,
            kStopped);
  EXPECT_EQ(ReadAll(download.out), "kept");
  EXPECT_EQ(Run({"documents", "download", "bao-cao.txt"}, download).code,
            kUsage);

  // edXML statuses 01 then 03, then the platform's receipt.
  for (const char* state : {"ARRIVED", "ACCEPTED"}) {
    CommandOptions status = Options(province);
    status.flags = {{"state", state}};
    Result updated = Run({"documents", "status", name}, status);
    ASSERT_EQ(updated.code, 0) << state << ": " << updated.err;
    EXPECT_THAT(updated.out, HasSubstr(absl::StrCat("agencies/", kProvince,
                                                    "\t", state, "\n")));
  }
  Result receipt = Run({"receipt", name}, Options(province));
  ASSERT_EQ(receipt.code, 0) << receipt.err;
  EXPECT_THAT(receipt.out, HasSubstr("envelopeSha256"));

  // Fetching saves the envelope and the attachment by its file name.
  CommandOptions fetch = Options(province);
  fetch.out = dir + "/fetched";
  Result fetched = Run({"documents", "fetch", name}, fetch);
  ASSERT_EQ(fetched.code, 0) << fetched.err;
  EXPECT_EQ(ReadAll(fetch.out + "/bao-cao-thang-5.txt"), ReadAll(attachment));
  // Fetching into the same directory again keeps what is there.
  EXPECT_EQ(Run({"documents", "fetch", name}, fetch).code, kStopped);
  EXPECT_EQ(ReadAll(fetch.out + "/bao-cao-thang-5.txt"), ReadAll(attachment));

  // Acknowledged, the entry leaves the inbox.
  Result acked =
      Run({"inbox", "ack", entries.entries(0).entry_id()}, Options(province));
  ASSERT_EQ(acked.code, 0) << acked.err;
  EXPECT_THAT(acked.out, HasSubstr(R"("acknowledged": 1)"));
  inbox = Run({"inbox", "list"}, Options(province));
  EXPECT_EQ(inbox.code, 0) << inbox.err;
  EXPECT_THAT(inbox.out, IsEmpty());

  // The sender sees every recipient's status; a recipient its own.
  Result as_sender = Run({"documents", "get", name}, Options(district));
  ASSERT_EQ(as_sender.code, 0) << as_sender.err;
  EXPECT_THAT(as_sender.out, HasSubstr("DELIVERY_STATE_ACCEPTED"));
  CommandOptions as_recipient = Options(province);
  as_recipient.flags = {{"agency", kProvince}};
  EXPECT_EQ(Run({"documents", "get", name}, as_recipient).code, 0);

  // The sender's list has it; another agency's inbox is not the caller's.
  Result sent_list = Run({"documents", "list"}, Options(district));
  ASSERT_EQ(sent_list.code, 0) << sent_list.err;
  EXPECT_THAT(sent_list.out, HasSubstr(name));
  CommandOptions other = Options(district);
  other.flags = {{"agency", kProvince}};
  Result foreign = Run({"inbox", "list"}, other);
  EXPECT_EQ(foreign.code, kRejected);
  EXPECT_THAT(foreign.err, HasSubstr("NOT_CALLERS_AGENCY"));
}

TEST_F(CommandsTest, PlansAndReportingAnswer) {
  CommandOptions create = Options(*operator_);
  create.request = absl::StrCat(
      R"({"planId": "tu-ky-cds-2025", "plan": {"number": "09/KH-UBND",
          "title": "Kế hoạch chuyển đổi số năm 2025",
          "issuingAgency": "agencies/)",
      kDistrict, R"(", "scopeUnit": "units/298", "startYear": 2025,
          "endYear": 2025}})");
  Result created = Run({"plans", "create"}, create);
  ASSERT_EQ(created.code, 0) << created.err;

  CommandOptions list = Options(*operator_);
  list.flags = {{"unit", "298"}};
  Result plans = Run({"plans", "list"}, list);
  ASSERT_EQ(plans.code, 0) << plans.err;
  EXPECT_THAT(plans.out, HasSubstr("plans/tu-ky-cds-2025\t09/KH-UBND\t"));

  // A plan without targets has no achievement to list.
  CommandOptions achievement = Options(*operator_);
  achievement.flags = {{"plan", "tu-ky-cds-2025"}, {"year", "2025"}};
  Result achieved = Run({"achievement"}, achievement);
  EXPECT_EQ(achieved.code, 0) << achieved.err;
  EXPECT_THAT(achieved.out, IsEmpty());

  CommandOptions completeness = Options(*operator_);
  completeness.flags = {
      {"schedule", "no-such-schedule"}, {"period", "2025-M05"}, {"unit", "30"}};
  Result unknown = Run({"completeness"}, completeness);
  EXPECT_EQ(unknown.code, kRejected);
  EXPECT_THAT(unknown.err, HasSubstr("ltctl: completeness: NOT_FOUND"));
}

TEST(SafeFileNameTest, KeepsOnlyAPlainBaseName) {
  EXPECT_EQ(SafeFileName("bao-cao.pdf", "x"), "bao-cao.pdf");
  EXPECT_EQ(SafeFileName("../../etc/passwd", "x"), "passwd");
  EXPECT_EQ(SafeFileName(".bashrc", "x"), "x");
  EXPECT_EQ(SafeFileName("a/..", "x"), "x");
  EXPECT_EQ(SafeFileName("tab\tname", "x"), "x");
  EXPECT_EQ(SafeFileName("", "x"), "x");
}

}  // namespace
}  // namespace lienthong::ltctl
