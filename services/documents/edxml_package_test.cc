#include "services/documents/edxml_package.h"

#include <cstdlib>
#include <fstream>
#include <functional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "libs/pki/key_material.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::documents {
namespace {

using ::lienthong::pki::Sha256Hex;

using ::google::protobuf::util::MessageDifferencer;
using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;
using ::lienthong::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kNs[] = "http://www.mic.gov.vn/TBT/QCVN_102_2016";

WriteOptions Embed(bool embed) {
  WriteOptions options;
  options.embed_attachments = embed;
  return options;
}

ReadOptions RequireEmbedded(bool require) {
  ReadOptions options;
  options.require_embedded = require;
  return options;
}

ReadOptions MaxBytes(int64_t max_bytes) {
  ReadOptions options;
  options.max_bytes = max_bytes;
  return options;
}

std::string ReadTestdata(absl::string_view name) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  const std::string path = absl::StrCat(srcdir == nullptr ? "." : srcdir, "/",
                                        workspace == nullptr ? "" : workspace,
                                        "/services/documents/testdata/", name);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

v1::Organization Organization(absl::string_view id, absl::string_view name) {
  v1::Organization org;
  org.set_organ_id(std::string(id));
  org.set_organization_in_charge("Tỉnh Lào Cai");
  org.set_organ_name(std::string(name));
  org.set_organ_add("Phường Cam Đường, tỉnh Lào Cai");
  org.set_email("vanthu@laocai.gov.vn");
  org.set_telephone("0214 3840 007");
  org.set_fax("0214 3840 008");
  org.set_website("https://laocai.gov.vn");
  return org;
}

EdxmlAttachment Attachment(absl::string_view content_id,
                           absl::string_view file_name,
                           absl::string_view mime_type,
                           absl::string_view description, std::string content) {
  EdxmlAttachment attachment;
  attachment.sha256_hex = Sha256Hex(content);
  attachment.ref.set_attachment(
      absl::StrCat("attachments/", attachment.sha256_hex));
  attachment.ref.set_content_id(std::string(content_id));
  attachment.ref.set_file_name(std::string(file_name));
  attachment.ref.set_mime_type(std::string(mime_type));
  attachment.ref.set_description(std::string(description));
  attachment.ref.set_size_bytes(static_cast<int64_t>(content.size()));
  attachment.content = std::move(content);
  return attachment;
}

// A document with every field edXML carries set.
EdxmlPackage FullPackage() {
  EdxmlPackage package;
  v1::Document& d = package.document;
  v1::MessageHeader& h = *d.mutable_header();
  *h.mutable_from() =
      Organization("000.00.00.H39", "Ủy ban nhân dân tỉnh Lào Cai");
  *h.add_to() = Organization("000.21.39.H39", "Ủy ban nhân dân xã Hợp Thành");
  *h.add_to() = Organization("000.22.39.H39", "Ủy ban nhân dân xã Bát Xát");
  h.mutable_code()->set_code_number("09");
  h.mutable_code()->set_code_notation("KH-UBND");
  h.mutable_promulgation_info()->set_place("Lào Cai");
  h.mutable_promulgation_info()->set_promulgation_date("2025/03/14");
  h.mutable_document_type()->set_type(1);
  h.mutable_document_type()->set_type_name("Kế hoạch");
  h.set_subject("Kế hoạch chuyển đổi số năm 2025");
  h.set_content(
      "Mục tiêu: 100% hồ sơ <trực tuyến> & \"toàn trình\".\r\nDòng hai\ttab.");
  h.mutable_signer_info()->set_competence("TM. Ủy ban nhân dân");
  h.mutable_signer_info()->set_position("Chủ tịch");
  h.mutable_signer_info()->set_full_name("Nguyễn Văn A");
  h.set_due_date("2025/12/15");
  h.add_to_places("Như trên;");
  h.add_to_places("Lưu: VT, KGVX.");
  v1::OtherInfo& other = *h.mutable_other_info();
  other.set_priority(v1::PRIORITY_URGENT);
  other.set_sphere_of_promulgation("Toàn tỉnh");
  other.set_typer_notation("NTH");
  other.set_promulgation_amount(5);
  other.set_page_amount(12);
  other.add_appendixes("Phụ lục I: Danh mục nhiệm vụ");
  other.add_appendixes("Phụ lục II: Chỉ tiêu chuyển đổi số");
  h.set_steering_type(1);
  h.set_document_id("000.00.00.H39,2025/03/14,09/KH-UBND");
  h.mutable_response_for()->set_organ_id("000.00.04.G14");
  h.mutable_response_for()->set_code("267/VPCP-TTĐT");
  h.mutable_response_for()->set_promulgation_date("2025/02/06");
  h.mutable_response_for()->set_document_id(
      "000.00.04.G14,2025/02/06,267/VPCP-TTĐT");
  d.set_business_type(v1::BUSINESS_TYPE_REPLACE);
  d.set_target_document("documents/7c1e2f40-kh08-2025");
  d.mutable_signature()->set_signature(std::string("\x30\x82\x00\xff sig", 8));
  d.mutable_signature()->set_signer_certificate(
      std::string("\x30\x82\x01\x00 cert", 9));
  package.attachments = {
      Attachment("cid:1", "KH09-2025.pdf", "application/pdf",
                 "Kế hoạch (bản ký số)", "%PDF-1.4 Kế hoạch 09"),
      Attachment("cid:2", "PhuLuc-I.xlsx",
                 "application/vnd.openxmlformats-officedocument."
                 "spreadsheetml.sheet",
                 "Phụ lục I", std::string("PK\x03\x04\x00\x01", 6)),
      Attachment("cid:3", "PhuLuc-II.docx", "application/msword", "",
                 "Phụ lục II"),
  };
  for (const EdxmlAttachment& a : package.attachments) {
    *d.add_attachments() = a.ref;
  }
  return package;
}

std::string Diff(const google::protobuf::Message& a,
                 const google::protobuf::Message& b) {
  MessageDifferencer differencer;
  std::string report;
  differencer.ReportDifferencesToString(&report);
  return differencer.Compare(a, b) ? "" : report;
}

// --- Round trips ---------------------------------------------------------

class RoundTripTest : public ::testing::TestWithParam<bool> {};

TEST_P(RoundTripTest, FullDocumentSurvives) {
  const bool embed = GetParam();
  const EdxmlPackage written = FullPackage();
  LT_ASSERT_OK_AND_ASSIGN(const std::string xml,
                          WriteEdxml(written, Embed(embed)));
  LT_ASSERT_OK_AND_ASSIGN(const EdxmlPackage read,
                          ReadEdxml(xml, RequireEmbedded(embed)));

  EXPECT_EQ(Diff(written.document, read.document), "") << xml;
  ASSERT_EQ(read.attachments.size(), written.attachments.size());
  for (size_t i = 0; i < read.attachments.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(Diff(written.attachments[i].ref, read.attachments[i].ref), "");
    EXPECT_EQ(read.attachments[i].sha256_hex,
              written.attachments[i].sha256_hex);
    EXPECT_EQ(read.attachments[i].content,
              embed ? written.attachments[i].content : "");
  }
  EXPECT_EQ(xml.find("<edXML:Attachments>") != std::string::npos, embed);
}

INSTANTIATE_TEST_SUITE_P(EmbeddedOrNot, RoundTripTest, ::testing::Bool(),
                         [](const auto& info) {
                           return info.param ? "Embedded" : "NotEmbedded";
                         });

TEST(WriteEdxmlTest, MinimalDocumentOmitsEmptyElementsAndSurvives) {
  EdxmlPackage package;
  v1::MessageHeader& h = *package.document.mutable_header();
  h.mutable_from()->set_organ_id("000.00.00.H39");
  h.add_to()->set_organ_id("000.21.39.H39");
  h.add_to_places("");  // An empty list entry stays.
  LT_ASSERT_OK_AND_ASSIGN(const std::string xml, WriteEdxml(package, {}));
  for (const char* omitted : {"Code", "OrganName", "Subject", "OtherInfo",
                              "TraceHeaderList", "Signature", "SteeringType",
                              "ResponseFor", "Reference", "Attachments"}) {
    EXPECT_THAT(xml, Not(HasSubstr(absl::StrCat("<edXML:", omitted))))
        << omitted;
  }
  EXPECT_THAT(xml, HasSubstr("<edXML:edXMLManifest/>"));
  LT_ASSERT_OK_AND_ASSIGN(const EdxmlPackage read, ReadEdxml(xml, {}));
  EXPECT_EQ(Diff(package.document, read.document), "") << xml;
  EXPECT_TRUE(read.attachments.empty());
}

TEST(WriteEdxmlTest, WritesTheEdxmlNamespaceAndNames) {
  LT_ASSERT_OK_AND_ASSIGN(const std::string xml,
                          WriteEdxml(FullPackage(), Embed(true)));
  EXPECT_THAT(xml, StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
  EXPECT_THAT(xml, HasSubstr(absl::StrCat("<edXML:edXMLEnvelope xmlns:edXML=\"",
                                          kNs, "\">")));
  for (const char* element : {
           "<edXML:Subject>Kế hoạch chuyển đổi số năm 2025</edXML:Subject>",
           "<edXML:Priority>1</edXML:Priority>",
           "<edXML:BusinessDocType>3</edXML:BusinessDocType>",
           "<edXML:BusinessInfo>documents/7c1e2f40-kh08-2025</edXML:"
           "BusinessInfo>",
           "<edXML:KeyInfo>",
           "<edXML:X509Certificate>",
           "<edXML:Sha256>",
           "<edXML:Size>24</edXML:Size>",
           "<edXML:Attachment ContentId=\"cid:2\">UEsDBAAB</edXML:Attachment>",
       }) {
    EXPECT_THAT(xml, HasSubstr(element));
  }
}

TEST(WriteEdxmlTest, MapsEveryPriorityAndBusinessType) {
  const struct {
    v1::Priority priority;
    v1::BusinessType business;
    const char* number;
  } kCases[] = {
      {v1::PRIORITY_NORMAL, v1::BUSINESS_TYPE_NEW, "0"},
      {v1::PRIORITY_URGENT, v1::BUSINESS_TYPE_REVOKE, "1"},
      {v1::PRIORITY_VERY_URGENT, v1::BUSINESS_TYPE_UPDATE, "2"},
      {v1::PRIORITY_EXPRESS, v1::BUSINESS_TYPE_REPLACE, "3"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.number);
    EdxmlPackage package = FullPackage();
    package.document.mutable_header()->mutable_other_info()->set_priority(
        c.priority);
    package.document.set_business_type(c.business);
    LT_ASSERT_OK_AND_ASSIGN(const std::string xml, WriteEdxml(package, {}));
    EXPECT_THAT(xml, HasSubstr(absl::StrCat("<edXML:Priority>", c.number,
                                            "</edXML:Priority>")));
    EXPECT_THAT(xml, HasSubstr(absl::StrCat("<edXML:BusinessDocType>", c.number,
                                            "</edXML:BusinessDocType>")));
    LT_ASSERT_OK_AND_ASSIGN(const EdxmlPackage read, ReadEdxml(xml, {}));
    EXPECT_EQ(read.document.header().other_info().priority(), c.priority);
    EXPECT_EQ(read.document.business_type(), c.business);
  }
  EdxmlPackage timed = FullPackage();
  timed.document.mutable_header()->mutable_other_info()->set_priority(
      v1::PRIORITY_EXPRESS_TIMED);
  LT_ASSERT_OK_AND_ASSIGN(const std::string xml, WriteEdxml(timed, {}));
  EXPECT_THAT(xml, HasSubstr("<edXML:Priority>4</edXML:Priority>"));
}

TEST(WriteEdxmlTest, RejectsWhatCannotTravel) {
  const struct {
    const char* name;
    std::function<void(EdxmlPackage&)> mutate;
    WriteOptions options;
    absl::StatusCode code;
    const char* reason;
  } kCases[] = {
      {"secret",
       [](EdxmlPackage& p) { p.document.set_secret(true); },
       {},
       absl::StatusCode::kFailedPrecondition,
       "SECRET_DOCUMENT"},
      {"no sender",
       [](EdxmlPackage& p) { p.document.mutable_header()->clear_from(); },
       {},
       absl::StatusCode::kInvalidArgument,
       "EDXML_MISSING_ELEMENT"},
      {"no recipient",
       [](EdxmlPackage& p) { p.document.mutable_header()->clear_to(); },
       {},
       absl::StatusCode::kInvalidArgument,
       "EDXML_MISSING_ELEMENT"},
      {"bad date",
       [](EdxmlPackage& p) {
         p.document.mutable_header()->set_due_date("15/12/2025");
       },
       {},
       absl::StatusCode::kInvalidArgument,
       "EDXML_BAD_VALUE"},
      {"control character",
       [](EdxmlPackage& p) {
         p.document.mutable_header()->set_subject("bell \a");
       },
       {},
       absl::StatusCode::kInvalidArgument,
       "EDXML_BAD_VALUE"},
      {"unknown priority",
       [](EdxmlPackage& p) {
         p.document.mutable_header()->mutable_other_info()->set_priority(
             static_cast<v1::Priority>(9));
       },
       {},
       absl::StatusCode::kInvalidArgument,
       "EDXML_BAD_VALUE"},
      {"content not matching its hash",
       [](EdxmlPackage& p) { p.attachments[0].content = "other bytes"; },
       {},
       absl::StatusCode::kInvalidArgument,
       "EDXML_ATTACHMENT_MISMATCH"},
      {"refs differing from the document's",
       [](EdxmlPackage& p) {
         p.document.mutable_attachments(1)->set_file_name("other.pdf");
       },
       {},
       absl::StatusCode::kInvalidArgument,
       "EDXML_ATTACHMENT_MISMATCH"},
      {"embedding without content",
       [](EdxmlPackage& p) { p.attachments[2].content.clear(); }, Embed(true),
       absl::StatusCode::kInvalidArgument, "EDXML_MISSING_ELEMENT"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.name);
    EdxmlPackage package = FullPackage();
    c.mutate(package);
    const absl::StatusOr<std::string> xml = WriteEdxml(package, c.options);
    EXPECT_THAT(xml, StatusCodeIs(c.code));
    EXPECT_EQ(ErrorReason(xml.status()), c.reason);
  }
}

TEST(ReadEdxmlTest, ReadsEmbeddedAttachmentsOverLibxmlTextLimit) {
  // libxml2 refuses text nodes over 10 MB unless told otherwise.
  EdxmlPackage package = FullPackage();
  std::string big(9 << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7);
  package.attachments.resize(1);
  package.attachments[0] =
      Attachment("cid:1", "scan.pdf", "application/pdf", "", std::move(big));
  package.document.clear_attachments();
  *package.document.add_attachments() = package.attachments[0].ref;
  LT_ASSERT_OK_AND_ASSIGN(const std::string xml,
                          WriteEdxml(package, Embed(true)));
  LT_ASSERT_OK_AND_ASSIGN(const EdxmlPackage read, ReadEdxml(xml, {}));
  ASSERT_EQ(read.attachments.size(), 1);
  EXPECT_EQ(read.attachments[0].content, package.attachments[0].content);
}

// --- Handwritten samples ---------------------------------------------------

TEST(ReadEdxmlTest, ReadsProvincialPlanToTwoCommunes) {
  LT_ASSERT_OK_AND_ASSIGN(
      const EdxmlPackage package,
      ReadEdxml(ReadTestdata("ke_hoach_ubnd_tinh.xml"), {}));
  const v1::Document& d = package.document;
  const v1::MessageHeader& h = d.header();
  EXPECT_EQ(h.from().organ_id(), "000.00.00.H39");
  EXPECT_EQ(h.from().organization_in_charge(), "Tỉnh Lào Cai");
  EXPECT_EQ(h.from().organ_name(), "Ủy ban nhân dân tỉnh Lào Cai");
  EXPECT_EQ(h.from().organ_add(), "Phường Cam Đường, tỉnh Lào Cai");
  EXPECT_EQ(h.from().email(), "vanthu@laocai.gov.vn");
  EXPECT_EQ(h.from().telephone(), "0214 3840 007");
  EXPECT_EQ(h.from().fax(), "0214 3840 008");
  EXPECT_EQ(h.from().website(), "https://laocai.gov.vn");
  ASSERT_EQ(h.to_size(), 2);
  EXPECT_EQ(h.to(0).organ_id(), "000.21.39.H39");
  EXPECT_EQ(h.to(0).organ_name(), "Ủy ban nhân dân xã Hợp Thành");
  EXPECT_EQ(h.to(0).email(), "");
  EXPECT_EQ(h.to(1).organ_id(), "000.22.39.H39");
  EXPECT_EQ(h.to(1).organ_name(), "Ủy ban nhân dân xã Bát Xát");
  EXPECT_EQ(h.to(1).email(), "ubnd.batxat@laocai.gov.vn");
  EXPECT_EQ(h.code().code_number(), "09");
  EXPECT_EQ(h.code().code_notation(), "KH-UBND");
  EXPECT_EQ(h.promulgation_info().place(), "Lào Cai");
  EXPECT_EQ(h.promulgation_info().promulgation_date(), "2025/03/14");
  EXPECT_EQ(h.document_type().type(), 1);
  EXPECT_EQ(h.document_type().type_name(), "Kế hoạch");
  EXPECT_EQ(h.subject(), "Kế hoạch chuyển đổi số năm 2025");
  EXPECT_EQ(h.content(),
            "Triển khai các nhiệm vụ chuyển đổi số trên địa bàn tỉnh năm 2025 "
            "& các năm tiếp theo.");
  EXPECT_EQ(h.signer_info().competence(), "TM. Ủy ban nhân dân");
  EXPECT_EQ(h.signer_info().position(), "Chủ tịch");
  EXPECT_EQ(h.signer_info().full_name(), "Nguyễn Văn A");
  EXPECT_EQ(h.due_date(), "2025/12/15");
  EXPECT_THAT(h.to_places(),
              ::testing::ElementsAre("Như trên;", "Lưu: VT, KGVX."));
  EXPECT_EQ(h.other_info().priority(), v1::PRIORITY_URGENT);
  EXPECT_EQ(h.other_info().sphere_of_promulgation(), "Toàn tỉnh");
  EXPECT_EQ(h.other_info().typer_notation(), "NTH");
  EXPECT_EQ(h.other_info().promulgation_amount(), 5);
  EXPECT_EQ(h.other_info().page_amount(), 12);
  EXPECT_THAT(h.other_info().appendixes(),
              ::testing::ElementsAre("Phụ lục I: Danh mục nhiệm vụ",
                                     "Phụ lục II: Chỉ tiêu chuyển đổi số"));
  EXPECT_EQ(h.steering_type(), 1);
  EXPECT_EQ(h.document_id(), "000.00.00.H39,2025/03/14,09/KH-UBND");
  EXPECT_FALSE(h.has_response_for());
  EXPECT_EQ(d.business_type(), v1::BUSINESS_TYPE_NEW);
  EXPECT_EQ(d.target_document(), "");
  EXPECT_EQ(d.signature().signature(), "CMS-SIGNATURE-DER-PLACEHOLDER");
  EXPECT_EQ(d.signature().signer_certificate(),
            "X509-CERTIFICATE-DER-PLACEHOLDER");
  EXPECT_FALSE(d.secret());

  ASSERT_EQ(package.attachments.size(), 2);
  ASSERT_EQ(d.attachments_size(), 2);
  const EdxmlAttachment& plan = package.attachments[0];
  EXPECT_EQ(plan.ref.attachment(),
            "attachments/"
            "dfbb95a20abbdfeac69b4fbce6665592c853d461a9712f2a8f843632d7317607");
  EXPECT_EQ(plan.ref.content_id(), "cid:1");
  EXPECT_EQ(plan.ref.file_name(), "KH09-2025.pdf");
  EXPECT_EQ(plan.ref.mime_type(), "application/pdf");
  EXPECT_EQ(plan.ref.description(), "Kế hoạch (bản ký số)");
  EXPECT_EQ(plan.ref.size_bytes(), 76);
  EXPECT_THAT(plan.content, StartsWith("%PDF-1.4\n% KH 09/KH-UBND: Kế hoạch"));
  EXPECT_EQ(Sha256Hex(plan.content), plan.sha256_hex);
  const EdxmlAttachment& annex = package.attachments[1];
  EXPECT_EQ(annex.ref.content_id(), "cid:2");
  EXPECT_EQ(annex.ref.size_bytes(), 12);
  EXPECT_EQ(annex.ref.description(), "");
  EXPECT_EQ(annex.content, "");  // Referenced, not embedded.
  EXPECT_EQ(Diff(d.attachments(1), annex.ref), "");

  EXPECT_THAT(
      ReadEdxml(ReadTestdata("ke_hoach_ubnd_tinh.xml"), RequireEmbedded(true)),
      StatusCodeIs(absl::StatusCode::kInvalidArgument));
}

TEST(ReadEdxmlTest, ReadsCommuneReportAnsweringThePlan) {
  LT_ASSERT_OK_AND_ASSIGN(const EdxmlPackage package,
                          ReadEdxml(ReadTestdata("bao_cao_tra_loi.xml"), {}));
  const v1::MessageHeader& h = package.document.header();
  EXPECT_EQ(h.from().organ_id(), "000.21.39.H39");
  EXPECT_EQ(h.from().telephone(), "0214 3855 123");
  ASSERT_EQ(h.to_size(), 1);
  EXPECT_EQ(h.to(0).organ_id(), "000.00.00.H39");
  EXPECT_EQ(h.code().code_number(), "15");
  EXPECT_EQ(h.code().code_notation(), "BC-UBND");
  EXPECT_EQ(h.document_type().type_name(), "Báo cáo");
  EXPECT_EQ(h.subject(),
            "Báo cáo kết quả thực hiện Kế hoạch chuyển đổi số quý I năm 2025");
  EXPECT_EQ(h.signer_info().competence(), "KT. Chủ tịch");
  EXPECT_EQ(h.signer_info().full_name(), "Trần Thị Bình");
  EXPECT_EQ(h.due_date(), "");
  EXPECT_EQ(h.other_info().priority(), v1::PRIORITY_NORMAL);
  EXPECT_EQ(h.other_info().page_amount(), 4);
  EXPECT_EQ(h.steering_type(), 2);
  ASSERT_TRUE(h.has_response_for());
  EXPECT_EQ(h.response_for().organ_id(), "000.00.00.H39");
  EXPECT_EQ(h.response_for().code(), "09/KH-UBND");
  EXPECT_EQ(h.response_for().promulgation_date(), "2025/03/14");
  EXPECT_EQ(h.response_for().document_id(),
            "000.00.00.H39,2025/03/14,09/KH-UBND");
  EXPECT_EQ(package.document.business_type(), v1::BUSINESS_TYPE_NEW);
  EXPECT_FALSE(package.document.has_signature());
  ASSERT_EQ(package.attachments.size(), 1);
  EXPECT_EQ(package.attachments[0].ref.content_id(), "cid:bc15");
  EXPECT_EQ(package.attachments[0].ref.size_bytes(), 18);
  EXPECT_EQ(package.attachments[0].content, "");
}

TEST(ReadEdxmlTest, ReadsRevoke) {
  LT_ASSERT_OK_AND_ASSIGN(const EdxmlPackage package,
                          ReadEdxml(ReadTestdata("thu_hoi.xml"), {}));
  const v1::Document& d = package.document;
  EXPECT_EQ(d.business_type(), v1::BUSINESS_TYPE_REVOKE);
  EXPECT_EQ(d.target_document(), "documents/7c1e2f40-kh09-2025");
  EXPECT_EQ(d.header().from().organ_id(), "000.00.00.H39");
  ASSERT_EQ(d.header().to_size(), 2);
  EXPECT_EQ(d.header().to(1).organ_name(), "Ủy ban nhân dân xã Bát Xát");
  EXPECT_EQ(d.header().subject(),
            "Thu hồi Kế hoạch số 09/KH-UBND ngày 14/3/2025 để điều chỉnh chỉ "
            "tiêu");
  EXPECT_EQ(d.header().other_info().priority(), v1::PRIORITY_EXPRESS);
  EXPECT_FALSE(d.header().has_promulgation_info());
  EXPECT_TRUE(package.attachments.empty());
  EXPECT_EQ(d.attachments_size(), 0);
}

TEST(ReadEdxmlTest, SamplesSurviveRewriting) {
  for (const char* name :
       {"ke_hoach_ubnd_tinh.xml", "bao_cao_tra_loi.xml", "thu_hoi.xml"}) {
    SCOPED_TRACE(name);
    LT_ASSERT_OK_AND_ASSIGN(const EdxmlPackage read,
                            ReadEdxml(ReadTestdata(name), {}));
    LT_ASSERT_OK_AND_ASSIGN(const std::string xml, WriteEdxml(read, {}));
    LT_ASSERT_OK_AND_ASSIGN(const EdxmlPackage reread, ReadEdxml(xml, {}));
    EXPECT_EQ(Diff(read.document, reread.document), "");
  }
}

// --- Canonical envelope
// --------------------------------------------------------

TEST(CanonicalEnvelopeTest, PinsTheBytesOfASmallDocument) {
  v1::Document d;
  d.mutable_header()->mutable_from()->set_organ_id("000.00.00.H39");
  d.mutable_header()->add_to()->set_organ_id("000.21.39.H39");
  d.mutable_header()->set_subject("Kế hoạch & <dự thảo>");
  d.set_business_type(v1::BUSINESS_TYPE_NEW);
  v1::AttachmentRef& ref = *d.add_attachments();
  ref.set_attachment(absl::StrCat("attachments/", std::string(64, 'a')));
  ref.set_content_id("cid:1");
  ref.set_size_bytes(42);                       // Output only: not signed.
  d.mutable_signature()->set_signature("sig");  // Not signed over itself.
  LT_ASSERT_OK_AND_ASSIGN(const std::string canonical, CanonicalEnvelope(d));
  EXPECT_EQ(
      canonical,
      absl::StrCat(
          "<edXML:edXMLEnvelope xmlns:edXML=\"", kNs, "\">",
          "<edXML:edXMLHeader><edXML:MessageHeader>"
          "<edXML:From><edXML:OrganId>000.00.00.H39</edXML:OrganId>"
          "</edXML:From>"
          "<edXML:To><edXML:OrganId>000.21.39.H39</edXML:OrganId></edXML:To>"
          "<edXML:Subject>Kế hoạch &amp; &lt;dự thảo&gt;</edXML:Subject>"
          "</edXML:MessageHeader>"
          "<edXML:TraceHeaderList><edXML:Business>"
          "<edXML:BusinessDocType>0</edXML:BusinessDocType>"
          "</edXML:Business></edXML:TraceHeaderList>"
          "</edXML:edXMLHeader>"
          "<edXML:edXMLBody><edXML:edXMLManifest><edXML:Reference>"
          "<edXML:ContentId>cid:1</edXML:ContentId>"
          "<edXML:Sha256>",
          std::string(64, 'a'),
          "</edXML:Sha256>"
          "</edXML:Reference></edXML:edXMLManifest></edXML:edXMLBody>"
          "</edXML:edXMLEnvelope>"));
}

TEST(CanonicalEnvelopeTest, StableAcrossCallsAndRoundTrips) {
  const EdxmlPackage package = FullPackage();
  LT_ASSERT_OK_AND_ASSIGN(const std::string first,
                          CanonicalEnvelope(package.document));
  LT_ASSERT_OK_AND_ASSIGN(const std::string again,
                          CanonicalEnvelope(package.document));
  EXPECT_EQ(first, again);
  for (bool embed : {false, true}) {
    SCOPED_TRACE(embed);
    LT_ASSERT_OK_AND_ASSIGN(const std::string xml,
                            WriteEdxml(package, Embed(embed)));
    LT_ASSERT_OK_AND_ASSIGN(const EdxmlPackage read, ReadEdxml(xml, {}));
    LT_ASSERT_OK_AND_ASSIGN(const std::string canonical,
                            CanonicalEnvelope(read.document));
    EXPECT_EQ(canonical, first);
  }
  LT_ASSERT_OK_AND_ASSIGN(
      const EdxmlPackage sample,
      ReadEdxml(ReadTestdata("ke_hoach_ubnd_tinh.xml"), {}));
  LT_ASSERT_OK_AND_ASSIGN(const std::string rewritten, WriteEdxml(sample, {}));
  LT_ASSERT_OK_AND_ASSIGN(const EdxmlPackage reread, ReadEdxml(rewritten, {}));
  EXPECT_EQ(CanonicalEnvelope(sample.document).value(),
            CanonicalEnvelope(reread.document).value());
}

TEST(CanonicalEnvelopeTest, IgnoresSignatureAndOutputOnlyFields) {
  const EdxmlPackage package = FullPackage();
  LT_ASSERT_OK_AND_ASSIGN(const std::string original,
                          CanonicalEnvelope(package.document));
  EXPECT_THAT(original, Not(HasSubstr("Signature")));
  EXPECT_THAT(original, Not(HasSubstr("<edXML:Size>")));
  EXPECT_THAT(original, Not(HasSubstr("<edXML:Attachments>")));
  v1::Document d = package.document;
  d.set_name("documents/abc");
  d.set_etag("W/\"3\"");
  d.mutable_create_time()->set_seconds(1741939200);
  d.add_deliveries()->set_recipient("agencies/000.21.39.H39");
  d.mutable_signature()->set_signature("another signature");
  d.mutable_signature()->set_verified(true);
  d.mutable_attachments(0)->set_size_bytes(999);
  LT_ASSERT_OK_AND_ASSIGN(const std::string same, CanonicalEnvelope(d));
  EXPECT_EQ(same, original);
}

TEST(CanonicalEnvelopeTest, ChangesWhenAnythingSignedIsTampered) {
  const struct {
    const char* name;
    std::function<void(v1::Document&)> tamper;
  } kCases[] = {
      {"sender",
       [](v1::Document& d) {
         d.mutable_header()->mutable_from()->set_organ_id("000.00.00.H30");
       }},
      {"recipient name",
       [](v1::Document& d) {
         d.mutable_header()->mutable_to(1)->set_organ_name("UBND xã khác");
       }},
      {"extra recipient",
       [](v1::Document& d) {
         d.mutable_header()->add_to()->set_organ_id("000.23.39.H39");
       }},
      {"code number",
       [](v1::Document& d) {
         d.mutable_header()->mutable_code()->set_code_number("10");
       }},
      {"promulgation date",
       [](v1::Document& d) {
         d.mutable_header()->mutable_promulgation_info()->set_promulgation_date(
             "2025/03/15");
       }},
      {"subject",
       [](v1::Document& d) {
         d.mutable_header()->set_subject("Kế hoạch chuyển đổi số năm 2026");
       }},
      {"content", [](v1::Document& d) { d.mutable_header()->set_content(""); }},
      {"signer",
       [](v1::Document& d) {
         d.mutable_header()->mutable_signer_info()->set_full_name("Lê Văn B");
       }},
      {"due date",
       [](v1::Document& d) { d.mutable_header()->set_due_date("2026/01/15"); }},
      {"priority",
       [](v1::Document& d) {
         d.mutable_header()->mutable_other_info()->set_priority(
             v1::PRIORITY_EXPRESS);
       }},
      {"page amount",
       [](v1::Document& d) {
         d.mutable_header()->mutable_other_info()->set_page_amount(13);
       }},
      {"response for",
       [](v1::Document& d) {
         d.mutable_header()->mutable_response_for()->set_code("268/VPCP-TTĐT");
       }},
      {"business type",
       [](v1::Document& d) { d.set_business_type(v1::BUSINESS_TYPE_UPDATE); }},
      {"target document",
       [](v1::Document& d) { d.set_target_document("documents/other"); }},
      {"attachment hash",
       [](v1::Document& d) {
         d.mutable_attachments(1)->set_attachment(
             absl::StrCat("attachments/", std::string(64, 'b')));
       }},
      {"attachment name",
       [](v1::Document& d) {
         d.mutable_attachments(0)->set_file_name("KH09-2025-sua.pdf");
       }},
      {"attachment order",
       [](v1::Document& d) { d.mutable_attachments()->SwapElements(0, 2); }},
      {"attachment dropped",
       [](v1::Document& d) { d.mutable_attachments()->RemoveLast(); }},
  };
  const v1::Document original = FullPackage().document;
  LT_ASSERT_OK_AND_ASSIGN(const std::string signed_bytes,
                          CanonicalEnvelope(original));
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.name);
    v1::Document tampered = original;
    c.tamper(tampered);
    LT_ASSERT_OK_AND_ASSIGN(const std::string canonical,
                            CanonicalEnvelope(tampered));
    EXPECT_NE(canonical, signed_bytes);
  }
}

TEST(CanonicalEnvelopeTest, RejectsAttachmentWithoutContentName) {
  v1::Document d = FullPackage().document;
  d.mutable_attachments(0)->set_attachment("attachments/not-a-hash");
  const absl::StatusOr<std::string> canonical = CanonicalEnvelope(d);
  EXPECT_THAT(canonical, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(canonical.status()), "EDXML_BAD_VALUE");
}

// --- Rejected input
// ------------------------------------------------------------

constexpr char kFromTo[] =
    "<e:From><e:OrganId>000.00.00.H39</e:OrganId></e:From>"
    "<e:To><e:OrganId>000.21.39.H39</e:OrganId></e:To>";
constexpr char kEmptyManifest[] = "<e:edXMLManifest/>";

// An envelope around `message_header` (the MessageHeader's children), with
// `header_rest` after it in edXMLHeader and `body` in edXMLBody.
std::string Envelope(absl::string_view message_header,
                     absl::string_view body = kEmptyManifest,
                     absl::string_view header_rest = "",
                     absl::string_view ns = kNs) {
  return absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                      "<e:edXMLEnvelope xmlns:e=\"", ns, "\">",
                      "<e:edXMLHeader><e:MessageHeader>", message_header,
                      "</e:MessageHeader>", header_rest, "</e:edXMLHeader>",
                      "<e:edXMLBody>", body,
                      "</e:edXMLBody></e:edXMLEnvelope>");
}

// A manifest with one Reference to `content`'s hash and size, embedding
// `embedded`.
std::string OneAttachment(absl::string_view content, absl::string_view embedded,
                          int64_t size) {
  return absl::StrCat(
      "<e:edXMLManifest><e:Reference><e:ContentId>cid:1</e:ContentId>",
      "<e:Sha256>", Sha256Hex(content), "</e:Sha256><e:Size>", size,
      "</e:Size></e:Reference></e:edXMLManifest>",
      "<e:Attachments><e:Attachment ContentId=\"cid:1\">",
      absl::Base64Escape(embedded), "</e:Attachment></e:Attachments>");
}

std::string BillionLaughs() {
  std::string dtd = "<!ENTITY lol0 \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    absl::StrAppend(&dtd, "<!ENTITY lol", i, " \"");
    for (int j = 0; j < 10; ++j) absl::StrAppend(&dtd, "&lol", i - 1, ";");
    absl::StrAppend(&dtd, "\">\n");
  }
  return absl::StrCat(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE e:edXMLEnvelope [\n", dtd, "]>\n",
      absl::StrReplaceAll(Envelope(kFromTo), {{"<?xml version=\"1.0\" "
                                               "encoding=\"UTF-8\"?>\n",
                                               ""},
                                              {"000.00.00.H39", "&lol9;"}}));
}

struct BadInput {
  std::string name;
  std::string xml;
  ReadOptions options;
  std::string reason;
  std::string field;  // The first field violation's path; "" when none.
};

void PrintTo(const BadInput& input, std::ostream* os) { *os << input.name; }

std::vector<BadInput> BadInputs() {
  const std::string valid = Envelope(kFromTo);
  return {
      {"NotXml", "Kế hoạch", {}, "EDXML_MALFORMED", ""},
      {"UnclosedElement",
       absl::StrCat("<e:edXMLEnvelope xmlns:e=\"", kNs,
                    "\">\n<e:edXMLHeader>\n</e:edXMLEnvelope>"),
       {},
       "EDXML_MALFORMED",
       ""},
      {"UndeclaredEntity",
       Envelope("<e:From><e:OrganId>&x;</e:OrganId></e:From>"),
       {},
       "EDXML_MALFORMED",
       ""},
      {"BillionLaughs", BillionLaughs(), {}, "EDXML_DTD_FORBIDDEN", ""},
      {"ExternalEntity",
       absl::StrCat("<!DOCTYPE e:edXMLEnvelope [<!ENTITY xxe SYSTEM "
                    "\"file:///etc/passwd\">]>",
                    absl::StrReplaceAll(
                        Envelope(kFromTo),
                        {{"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", ""},
                         {"000.00.00.H39", "&xxe;"}})),
       {},
       "EDXML_DTD_FORBIDDEN",
       ""},
      {"ExternalSubset",
       absl::StrReplaceAll(valid, {{"?>\n",
                                    "?>\n<!DOCTYPE e:edXMLEnvelope SYSTEM "
                                    "\"http://example.com/edxml.dtd\">\n"}}),
       {},
       "EDXML_DTD_FORBIDDEN",
       ""},
      {"WrongNamespace",
       Envelope(kFromTo, kEmptyManifest, "",
                "http://www.mic.gov.vn/TBT/QCVN_102_2015"),
       {},
       "EDXML_WRONG_NAMESPACE",
       ""},
      {"NoNamespace",
       "<edXMLEnvelope><edXMLHeader/><edXMLBody/></edXMLEnvelope>",
       {},
       "EDXML_WRONG_NAMESPACE",
       ""},
      {"WrongRoot",
       absl::StrReplaceAll(valid, {{"edXMLEnvelope", "Envelope"}}),
       {},
       "EDXML_MISSING_ELEMENT",
       "edXMLEnvelope"},
      {"MissingFromOrganId",
       Envelope("<e:From><e:OrganName>UBND</e:OrganName></e:From>"
                "<e:To><e:OrganId>000.21.39.H39</e:OrganId></e:To>"),
       {},
       "EDXML_MISSING_ELEMENT",
       "edXMLHeader/MessageHeader/From/OrganId"},
      {"EmptyFromOrganId",
       Envelope("<e:From><e:OrganId></e:OrganId></e:From>"
                "<e:To><e:OrganId>000.21.39.H39</e:OrganId></e:To>"),
       {},
       "EDXML_MISSING_ELEMENT",
       "edXMLHeader/MessageHeader/From/OrganId"},
      {"MissingTo",
       Envelope("<e:From><e:OrganId>000.00.00.H39</e:OrganId></e:From>"),
       {},
       "EDXML_MISSING_ELEMENT",
       "edXMLHeader/MessageHeader/To"},
      {"SecondToWithoutOrganId",
       Envelope(absl::StrCat(kFromTo,
                             "<e:To><e:OrganName>x</e:OrganName>"
                             "</e:To>")),
       {},
       "EDXML_MISSING_ELEMENT",
       "edXMLHeader/MessageHeader/To[2]/OrganId"},
      {"MissingBody",
       absl::StrReplaceAll(valid, {{"<e:edXMLBody><e:edXMLManifest/>"
                                    "</e:edXMLBody>",
                                    ""}}),
       {},
       "EDXML_MISSING_ELEMENT",
       "edXMLBody"},
      {"PriorityOutOfRange",
       Envelope(absl::StrCat(kFromTo,
                             "<e:OtherInfo><e:Priority>7</e:Priority>"
                             "</e:OtherInfo>")),
       {},
       "EDXML_BAD_VALUE",
       "edXMLHeader/MessageHeader/OtherInfo/Priority"},
      {"PriorityNotNumeric",
       Envelope(absl::StrCat(kFromTo,
                             "<e:OtherInfo><e:Priority>khẩn</e:Priority>"
                             "</e:OtherInfo>")),
       {},
       "EDXML_BAD_VALUE",
       "edXMLHeader/MessageHeader/OtherInfo/Priority"},
      {"TypeNotNumeric",
       Envelope(absl::StrCat(kFromTo,
                             "<e:DocumentType><e:Type>KH</e:Type>"
                             "</e:DocumentType>")),
       {},
       "EDXML_BAD_VALUE",
       "edXMLHeader/MessageHeader/DocumentType/Type"},
      {"NegativePageAmount",
       Envelope(absl::StrCat(kFromTo,
                             "<e:OtherInfo><e:PageAmount>-1</e:PageAmount>"
                             "</e:OtherInfo>")),
       {},
       "EDXML_BAD_VALUE",
       "edXMLHeader/MessageHeader/OtherInfo/PageAmount"},
      {"DateNotYyyyMmDd",
       Envelope(absl::StrCat(kFromTo, "<e:DueDate>15/12/2025</e:DueDate>")),
       {},
       "EDXML_BAD_VALUE",
       "edXMLHeader/MessageHeader/DueDate"},
      {"DateNotADay",
       Envelope(absl::StrCat(kFromTo, "<e:DueDate>2025/02/30</e:DueDate>")),
       {},
       "EDXML_BAD_VALUE",
       "edXMLHeader/MessageHeader/DueDate"},
      {"BusinessDocTypeOutOfRange",
       Envelope(kFromTo, kEmptyManifest,
                "<e:TraceHeaderList><e:Business><e:BusinessDocType>4"
                "</e:BusinessDocType></e:Business></e:TraceHeaderList>"),
       {},
       "EDXML_BAD_VALUE",
       "edXMLHeader/TraceHeaderList/Business/BusinessDocType"},
      {"SignatureNotBase64",
       Envelope(kFromTo, kEmptyManifest,
                "<e:Signature><e:SignatureValue>not base64!"
                "</e:SignatureValue></e:Signature>"),
       {},
       "EDXML_BAD_VALUE",
       "edXMLHeader/Signature/SignatureValue"},
      {"SignatureWithoutValue",
       Envelope(kFromTo, kEmptyManifest, "<e:Signature/>"),
       {},
       "EDXML_MISSING_ELEMENT",
       "edXMLHeader/Signature/SignatureValue"},
      {"Sha256NotHex",
       Envelope(kFromTo,
                "<e:edXMLManifest><e:Reference><e:ContentId>cid:1"
                "</e:ContentId><e:Sha256>XYZ</e:Sha256></e:Reference>"
                "</e:edXMLManifest>"),
       {},
       "EDXML_BAD_VALUE",
       "edXMLBody/edXMLManifest/Reference/Sha256"},
      {"ReferenceWithoutContentId",
       Envelope(kFromTo, absl::StrReplaceAll(
                             OneAttachment("a", "a", 1),
                             {{"<e:ContentId>cid:1</e:ContentId>", ""}})),
       {},
       "EDXML_MISSING_ELEMENT",
       "edXMLBody/edXMLManifest/Reference/ContentId"},
      {"AttachmentHashMismatch",
       Envelope(kFromTo, OneAttachment("Kế hoạch 09", "Kế hoạch 10", 0)),
       {},
       "EDXML_ATTACHMENT_MISMATCH",
       "edXMLBody/Attachments/Attachment"},
      {"AttachmentSizeMismatch",
       Envelope(kFromTo, OneAttachment("Kế hoạch 09", "Kế hoạch 09", 3)),
       {},
       "EDXML_ATTACHMENT_MISMATCH",
       "edXMLBody/Attachments/Attachment"},
      {"AttachmentNotReferenced",
       Envelope(kFromTo, absl::StrReplaceAll(
                             OneAttachment("a", "a", 1),
                             {{"ContentId=\"cid:1\"", "ContentId=\"cid:9\""}})),
       {},
       "EDXML_ATTACHMENT_MISMATCH",
       "edXMLBody/Attachments/Attachment"},
      {"AttachmentNotBase64",
       Envelope(kFromTo, absl::StrReplaceAll(OneAttachment("a", "a", 1),
                                             {{">YQ==<", ">*<"}})),
       {},
       "EDXML_BAD_VALUE",
       "edXMLBody/Attachments/Attachment"},
      {"EmbeddingRequired",
       Envelope(kFromTo,
                "<e:edXMLManifest><e:Reference><e:ContentId>cid:1"
                "</e:ContentId><e:Sha256>" +
                    Sha256Hex("a") +
                    "</e:Sha256></e:Reference></e:edXMLManifest>"),
       RequireEmbedded(true), "EDXML_MISSING_ELEMENT",
       "edXMLBody/Attachments/Attachment[@ContentId='cid:1']"},
      {"TooLarge", valid, MaxBytes(100), "EDXML_TOO_LARGE", ""},
  };
}

class BadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputTest, IsRejectedWithItsReason) {
  const BadInput& input = GetParam();
  const absl::StatusOr<EdxmlPackage> read = ReadEdxml(input.xml, input.options);
  ASSERT_THAT(read, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(read.status()), input.reason) << read.status();
  const std::vector<FieldViolation> violations = FieldViolations(read.status());
  if (input.field.empty()) {
    EXPECT_TRUE(violations.empty()) << read.status();
  } else {
    ASSERT_EQ(violations.size(), 1) << read.status();
    EXPECT_EQ(violations[0].field, input.field);
  }
}

INSTANTIATE_TEST_SUITE_P(Rejected, BadInputTest,
                         ::testing::ValuesIn(BadInputs()),
                         [](const auto& info) { return info.param.name; });

TEST(ReadEdxmlTest, TheEnvelopeTheErrorCasesVaryIsValid) {
  EXPECT_THAT(ReadEdxml(Envelope(kFromTo), {}), IsOk());
  LT_ASSERT_OK_AND_ASSIGN(
      const EdxmlPackage package,
      ReadEdxml(
          Envelope(kFromTo, OneAttachment("Kế hoạch 09", "Kế hoạch 09",
                                          std::string("Kế hoạch 09").size())),
          RequireEmbedded(true)));
  EXPECT_EQ(package.attachments[0].content, "Kế hoạch 09");
}

TEST(ReadEdxmlTest, MalformedNamesLibxmlMessageAndLine) {
  const absl::StatusOr<EdxmlPackage> read =
      ReadEdxml(absl::StrCat("<e:edXMLEnvelope xmlns:e=\"", kNs,
                             "\">\n<e:edXMLHeader>\n</e:edXMLEnvelope>"),
                {});
  EXPECT_THAT(read, StatusIs(absl::StatusCode::kInvalidArgument,
                             HasSubstr("line 3: Opening and ending tag "
                                       "mismatch")));
}

TEST(ReadEdxmlTest, SizeLimitIsInclusive) {
  const std::string xml = Envelope(kFromTo);
  EXPECT_THAT(ReadEdxml(xml, MaxBytes(static_cast<int64_t>(xml.size()))),
              IsOk());
  EXPECT_THAT(ReadEdxml(xml, MaxBytes(static_cast<int64_t>(xml.size()) - 1)),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace lienthong::documents
