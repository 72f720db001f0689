// DocumentService through gRPC: every refusal the exchange promises, with its
// code and reason, and the paths that must work (fetch, statuses, receipts,
// revoke, inbox, edXML round trip).

#include "services/documents/document_service.h"

#include <functional>
#include <memory>
#include <string>

#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "libs/pki/key_material.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status_details.h"
#include "libs/testing/in_process_server.h"
#include "libs/testing/status_matchers.h"
#include "lienthong/documents/v1/document_service.grpc.pb.h"
#include "services/documents/document_fixture.h"
#include "services/documents/edxml_package.h"
#include "services/documents/receipt.h"

namespace lienthong::documents {
namespace {

using ::lienthong::testing::InProcessServer;

constexpr const char* kProvince = DocumentFixture::kProvince;
constexpr const char* kCommuneA = DocumentFixture::kCommuneA;
constexpr const char* kCommuneB = DocumentFixture::kCommuneB;

std::string Agency(const std::string& code) { return "agencies/" + code; }

class DocumentServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DocumentExchangeOptions options;
    options.attachment_limits.max_attachment_bytes = 4 << 20;
    options.max_document_bytes = 1000000;
    options.max_package_bytes = 1 << 20;  // 300,000 bytes fit, 900,000 not
    const std::string directory =
        std::string(getenv("TEST_TMPDIR")) + "/" +
        ::testing::UnitTest::GetInstance()->current_test_info()->name();
    LT_ASSERT_OK_AND_ASSIGN(fixture_,
                            DocumentFixture::Create(directory, options));
    server_ = std::make_unique<InProcessServer>(std::vector<HostedService>{
        {"lienthong.documents.v1.DocumentService", &fixture_->service()}});
    stub_ = v1::DocumentService::NewStub(server_->channel());
  }

  // Uploads `content` declaring `size` and `sha256`; the gRPC status.
  grpc::Status Upload(const std::string& content, int64_t size,
                      const std::string& sha256,
                      v1::UploadAttachmentResponse* response,
                      size_t chunk = 256 << 10) {
    grpc::ClientContext context;
    auto writer = stub_->UploadAttachment(&context, response);
    v1::UploadAttachmentRequest request;
    request.mutable_metadata()->set_file_name("KH09-2025.pdf");
    request.mutable_metadata()->set_mime_type("application/pdf");
    request.mutable_metadata()->set_size_bytes(size);
    request.mutable_metadata()->set_sha256(sha256);
    writer->Write(request);
    for (size_t offset = 0; offset < content.size(); offset += chunk) {
      request.set_chunk(content.substr(offset, chunk));
      if (!writer->Write(request)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }
  std::string UploadOk(const std::string& content) {
    v1::UploadAttachmentResponse response;
    grpc::Status status =
        Upload(content, content.size(), pki::Sha256Hex(content), &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.attachment();
  }

  // A document from the province to communes A and B with one attachment,
  // signed by the province.
  v1::Document Plan() {
    v1::Document document = fixture_->NewDocument(
        kProvince, {kCommuneA, kCommuneB}, "Kế hoạch chuyển đổi số năm 2025");
    v1::AttachmentRef* ref = document.add_attachments();
    ref->set_attachment(UploadOk(std::string(300000, 'k')));
    ref->set_content_id("cid:1");
    ref->set_file_name("KH09-2025.pdf");
    ref->set_mime_type("application/pdf");
    EXPECT_TRUE(fixture_->Sign(document, kProvince).ok());
    return document;
  }

  grpc::Status Send(const v1::Document& document, v1::Document* sent,
                    const std::string& request_id = "") {
    grpc::ClientContext context;
    v1::SendDocumentRequest request;
    *request.mutable_document() = document;
    request.set_request_id(request_id);
    return stub_->SendDocument(&context, request, sent);
  }
  v1::Document SendOk(const v1::Document& document) {
    v1::Document sent;
    grpc::Status status = Send(document, &sent);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return sent;
  }
  grpc::Status Fetch(const std::string& name, const std::string& recipient,
                     v1::Document* document) {
    grpc::ClientContext context;
    v1::GetDocumentRequest request;
    request.set_name(name);
    request.set_recipient(Agency(recipient));
    return stub_->GetDocument(&context, request, document);
  }
  grpc::Status SetState(const std::string& name, const std::string& recipient,
                        v1::DeliveryState state, v1::Document* document,
                        const std::string& request_id = "") {
    grpc::ClientContext context;
    v1::UpdateDeliveryStatusRequest request;
    request.set_document(name);
    request.set_recipient(Agency(recipient));
    request.set_state(state);
    request.set_request_id(request_id);
    return stub_->UpdateDeliveryStatus(&context, request, document);
  }

  static std::string Reason(const grpc::Status& status) {
    return ErrorReason(FromGrpcStatus(status));
  }

  std::unique_ptr<DocumentFixture> fixture_;
  std::unique_ptr<InProcessServer> server_;
  std::unique_ptr<v1::DocumentService::Stub> stub_;
};

TEST_F(DocumentServiceTest, ASignedDocumentReachesEachRecipientOnce) {
  v1::Document sent = SendOk(Plan());
  ASSERT_EQ(sent.deliveries_size(), 2);
  EXPECT_TRUE(sent.signature().verified());
  EXPECT_EQ(sent.attachments(0).size_bytes(), 300000);
  // Both recipients find it in their inbox.
  for (const char* recipient : {kCommuneA, kCommuneB}) {
    grpc::ClientContext context;
    v1::ListInboxRequest request;
    request.set_recipient(Agency(recipient));
    v1::ListInboxResponse inbox;
    ASSERT_TRUE(stub_->ListInbox(&context, request, &inbox).ok());
    ASSERT_EQ(inbox.entries_size(), 1);
    EXPECT_EQ(inbox.entries(0).document().name(), sent.name());
    // A recipient sees its own delivery only.
    ASSERT_EQ(inbox.entries(0).document().deliveries_size(), 1);
    EXPECT_EQ(inbox.entries(0).document().deliveries(0).recipient(),
              Agency(recipient));
  }
  // A retried send (same request id) delivers once.
  v1::Document document = Plan();
  v1::Document first, second;
  ASSERT_TRUE(Send(document, &first, "req-1").ok());
  ASSERT_TRUE(Send(document, &second, "req-1").ok());
  EXPECT_EQ(first.name(), second.name());
}

TEST_F(DocumentServiceTest, DoubleFetchRecordsArrivalOnce) {
  v1::Document sent = SendOk(Plan());
  v1::Document fetched;
  ASSERT_TRUE(Fetch(sent.name(), kCommuneA, &fetched).ok());
  ASSERT_EQ(fetched.deliveries_size(), 1);
  EXPECT_EQ(fetched.deliveries(0).state(), v1::DELIVERY_STATE_ARRIVED);
  fixture_->clock().Advance(absl::Minutes(5));
  ASSERT_TRUE(Fetch(sent.name(), kCommuneA, &fetched).ok());
  ASSERT_EQ(fetched.deliveries(0).trace_size(), 1);
  EXPECT_EQ(fetched.deliveries(0).trace(0).state(), v1::DELIVERY_STATE_ARRIVED);
  // Another agency cannot fetch it as a recipient.
  grpc::Status stranger =
      Fetch(sent.name(), DocumentFixture::kCommuneC, &fetched);
  EXPECT_EQ(stranger.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reason(stranger), "NOT_A_RECIPIENT");
}

TEST_F(DocumentServiceTest, ATamperedEnvelopeIsRefused) {
  v1::Document document = Plan();
  document.mutable_header()->set_subject("Kế hoạch đã bị sửa");
  v1::Document sent;
  grpc::Status status = Send(document, &sent);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(status), "SIGNATURE_INVALID");
}

TEST_F(DocumentServiceTest, ATamperedAttachmentIsRefused) {
  // The envelope signs the attachment's hash: pointing it at other bytes
  // breaks the signature.
  v1::Document document = Plan();
  document.mutable_attachments(0)->set_attachment(
      UploadOk(std::string(300000, 'x')));
  v1::Document sent;
  grpc::Status status = Send(document, &sent);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(status), "SIGNATURE_INVALID");
}

TEST_F(DocumentServiceTest, ASignerFromAnotherAgencyIsRefused) {
  v1::Document document = Plan();
  ASSERT_TRUE(fixture_->Sign(document, kCommuneA).ok());
  v1::Document sent;
  grpc::Status status = Send(document, &sent);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(status), "SIGNER_NOT_SENDER");
}

TEST_F(DocumentServiceTest, SecretDocumentsAndUnknownAgenciesAreRefused) {
  v1::Document document = Plan();
  document.set_secret(true);
  v1::Document sent;
  grpc::Status secret = Send(document, &sent);
  EXPECT_EQ(secret.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(secret), "SECRET_DOCUMENT");

  document = fixture_->NewDocument(kProvince, {"000.99.99.H99"}, "Công văn");
  ASSERT_TRUE(fixture_->Sign(document, kProvince).ok());
  grpc::Status unknown = Send(document, &sent);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Reason(unknown), "UNKNOWN_AGENCY");
}

TEST_F(DocumentServiceTest, AnUnreachableRegistryIsNotAnUnknownAgency) {
  v1::Document document = Plan();
  v1::Document sent;
  fixture_->SetRegistryUnavailable(true);
  grpc::Status status = Send(document, &sent);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
  EXPECT_EQ(Reason(status), "REGISTRY_UNAVAILABLE");
  // Nothing was kept: once the registry answers, the same send goes through.
  fixture_->SetRegistryUnavailable(false);
  status = Send(document, &sent);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(sent.name().empty());
}

TEST_F(DocumentServiceTest, UploadsAreCheckedAgainstTheirDeclaration) {
  const std::string content(1 << 20, 'a');
  v1::UploadAttachmentResponse response;
  // Hash mismatch.
  grpc::Status mismatch =
      Upload(content, content.size(), pki::Sha256Hex("other bytes"), &response);
  EXPECT_EQ(mismatch.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Reason(mismatch), "ATTACHMENT_HASH_MISMATCH");
  // Truncated: fewer bytes than declared.
  grpc::Status truncated = Upload(content.substr(0, 1000), content.size(),
                                  pki::Sha256Hex(content), &response);
  EXPECT_EQ(truncated.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Reason(truncated), "ATTACHMENT_TRUNCATED");
  // Over the limit (4 MiB here).
  grpc::Status over =
      Upload("", int64_t{5} << 20, pki::Sha256Hex(content), &response);
  EXPECT_EQ(over.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Reason(over), "ATTACHMENT_TOO_LARGE");
  // The same bytes twice are stored once.
  ASSERT_TRUE(
      Upload(content, content.size(), pki::Sha256Hex(content), &response).ok());
  EXPECT_FALSE(response.already_stored());
  ASSERT_TRUE(
      Upload(content, content.size(), pki::Sha256Hex(content), &response).ok());
  EXPECT_TRUE(response.already_stored());
  // Downloaded in chunks, the same bytes.
  grpc::ClientContext context;
  v1::DownloadAttachmentRequest request;
  request.set_attachment(response.attachment());
  auto reader = stub_->DownloadAttachment(&context, request);
  std::string downloaded;
  v1::DownloadAttachmentResponse chunk;
  while (reader->Read(&chunk)) {
    EXPECT_EQ(chunk.offset(), static_cast<int64_t>(downloaded.size()));
    downloaded += chunk.chunk();
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(downloaded, content);
}

TEST_F(DocumentServiceTest,
       AnAgencyReadsAnAttachmentOnlyAsAPartyToItsDocument) {
  v1::Document sent = SendOk(Plan());
  ASSERT_GT(sent.attachments_size(), 0);
  const std::string sha256 = std::string(
      absl::StripPrefix(sent.attachments(0).attachment(), "attachments/"));
  DocumentExchange& exchange = fixture_->exchange();
  EXPECT_TRUE(
      exchange.CheckAttachmentAccess(kCommuneA, sent.name(), sha256).ok());
  EXPECT_TRUE(
      exchange.CheckAttachmentAccess(kProvince, sent.name(), sha256).ok());
  EXPECT_TRUE(exchange.CheckAttachmentAccess("", "", sha256).ok());
  EXPECT_EQ(ErrorReason(exchange.CheckAttachmentAccess(
                DocumentFixture::kCommuneC, sent.name(), sha256)),
            "NOT_A_RECIPIENT");
  EXPECT_EQ(ErrorReason(exchange.CheckAttachmentAccess(kCommuneA, "", sha256)),
            "DOCUMENT_REQUIRED");
  EXPECT_EQ(ErrorReason(exchange.CheckAttachmentAccess(kCommuneA, sent.name(),
                                                       std::string(64, '0'))),
            "ATTACHMENT_NOT_IN_DOCUMENT");
}

TEST_F(DocumentServiceTest, StatusesFollowTheEdxmlTransitions) {
  v1::Document sent = SendOk(Plan());
  v1::Document document;
  // Accepting before arrival is out of order.
  grpc::Status early =
      SetState(sent.name(), kCommuneA, v1::DELIVERY_STATE_DONE, &document);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(early), "ILLEGAL_STATUS_TRANSITION");
  ASSERT_TRUE(Fetch(sent.name(), kCommuneA, &document).ok());
  grpc::Status skip =
      SetState(sent.name(), kCommuneA, v1::DELIVERY_STATE_DONE, &document);
  EXPECT_EQ(skip.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(skip), "ILLEGAL_STATUS_TRANSITION");
  ASSERT_TRUE(SetState(sent.name(), kCommuneA, v1::DELIVERY_STATE_ACCEPTED,
                       &document, "acc-1")
                  .ok());
  // The same update again (a retry) changes nothing.
  ASSERT_TRUE(SetState(sent.name(), kCommuneA, v1::DELIVERY_STATE_ACCEPTED,
                       &document, "acc-1")
                  .ok());
  ASSERT_EQ(document.deliveries(0).trace_size(), 2);
  EXPECT_EQ(document.deliveries(0).state(), v1::DELIVERY_STATE_ACCEPTED);
  // Only the sender asks for a document back.
  grpc::Status take_back =
      SetState(sent.name(), kCommuneA, v1::DELIVERY_STATE_TAKE_BACK_REQUESTED,
               &document);
  EXPECT_EQ(take_back.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(DocumentServiceTest, AnAcceptanceGivesAVerifiableReceipt) {
  v1::Document sent = SendOk(Plan());
  v1::Document document;
  grpc::ClientContext before_context;
  v1::GetReceiptRequest request;
  request.set_document(sent.name());
  request.set_recipient(Agency(kCommuneA));
  v1::Receipt receipt;
  grpc::Status none = stub_->GetReceipt(&before_context, request, &receipt);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Reason(none), "RECEIPT_NOT_FOUND");

  ASSERT_TRUE(Fetch(sent.name(), kCommuneA, &document).ok());
  ASSERT_TRUE(
      SetState(sent.name(), kCommuneA, v1::DELIVERY_STATE_ACCEPTED, &document)
          .ok());
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->GetReceipt(&context, request, &receipt).ok());
  EXPECT_EQ(receipt.recipient(), Agency(kCommuneA));
  EXPECT_EQ(receipt.envelope_sha256().size(), 64u);
  const absl::Time later = fixture_->clock().Now() + absl::Hours(24 * 30);
  const std::string& platform = fixture_->platform_certificate_der();
  EXPECT_TRUE(
      VerifyReceipt(receipt, platform, fixture_->verifier(), later).ok());
  // Any altered field breaks it.
  v1::Receipt forged = receipt;
  forged.set_recipient(Agency(kCommuneB));
  absl::Status refused =
      VerifyReceipt(forged, platform, fixture_->verifier(), later);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(refused), "SIGNATURE_INVALID");
  // Only the platform's certificate counts: an agency's, from the same CA,
  // is refused.
  absl::Status foreign =
      VerifyReceipt(receipt, sent.signature().signer_certificate(),
                    fixture_->verifier(), later);
  EXPECT_EQ(ErrorReason(foreign), "SIGNER_CERTIFICATE_MISMATCH");
}

TEST_F(DocumentServiceTest, ARevokeAsksBackAndIsRefusedOnceDone) {
  v1::Document sent = SendOk(Plan());
  v1::Document document;
  for (const char* recipient : {kCommuneA, kCommuneB}) {
    ASSERT_TRUE(Fetch(sent.name(), recipient, &document).ok());
    ASSERT_TRUE(
        SetState(sent.name(), recipient, v1::DELIVERY_STATE_ACCEPTED, &document)
            .ok());
  }
  ASSERT_TRUE(
      SetState(sent.name(), kCommuneB, v1::DELIVERY_STATE_DONE, &document)
          .ok());
  // Commune B is done: revoking from it is refused, and nothing is sent.
  v1::Document revoke =
      fixture_->NewDocument(kProvince, {kCommuneA, kCommuneB}, "Thu hồi");
  revoke.set_business_type(v1::BUSINESS_TYPE_REVOKE);
  revoke.set_target_document(sent.name());
  ASSERT_TRUE(fixture_->Sign(revoke, kProvince).ok());
  v1::Document refused;
  grpc::Status done = Send(revoke, &refused);
  EXPECT_EQ(done.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(done), "DOCUMENT_ALREADY_DONE");
  // From commune A alone it goes: A's delivery waits for its answer (13).
  revoke.mutable_header()->mutable_to()->DeleteSubrange(1, 1);
  ASSERT_TRUE(fixture_->Sign(revoke, kProvince).ok());
  v1::Document revoking = SendOk(revoke);
  grpc::ClientContext context;
  v1::GetDocumentRequest get;
  get.set_name(sent.name());
  v1::Document original;
  ASSERT_TRUE(stub_->GetDocument(&context, get, &original).ok());
  EXPECT_EQ(original.deliveries(0).state(),
            v1::DELIVERY_STATE_TAKE_BACK_REQUESTED);
  // A agrees by accepting the revoke: the original is taken back (15).
  ASSERT_TRUE(Fetch(revoking.name(), kCommuneA, &document).ok());
  ASSERT_TRUE(SetState(revoking.name(), kCommuneA, v1::DELIVERY_STATE_ACCEPTED,
                       &document)
                  .ok());
  grpc::ClientContext again;
  ASSERT_TRUE(stub_->GetDocument(&again, get, &original).ok());
  EXPECT_EQ(original.deliveries(0).state(),
            v1::DELIVERY_STATE_TAKE_BACK_AGREED);
  // Only the sender may revoke.
  v1::Document foreign =
      fixture_->NewDocument(kCommuneA, {kCommuneB}, "Thu hồi");
  foreign.set_business_type(v1::BUSINESS_TYPE_REVOKE);
  foreign.set_target_document(sent.name());
  ASSERT_TRUE(fixture_->Sign(foreign, kCommuneA).ok());
  grpc::Status not_sender = Send(foreign, &refused);
  EXPECT_EQ(not_sender.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(not_sender), "NOT_TARGET_SENDER");
}

TEST_F(DocumentServiceTest, AnEdxmlPackageRoundTrips) {
  v1::Document sent = SendOk(Plan());
  grpc::ClientContext context;
  v1::GetEdxmlRequest request;
  request.set_name(sent.name());
  request.set_include_attachments(true);
  v1::GetEdxmlResponse package;
  ASSERT_TRUE(stub_->GetEdxml(&context, request, &package).ok());
  EXPECT_THAT(package.edxml(),
              ::testing::HasSubstr("http://www.mic.gov.vn/TBT/QCVN_102_2016"));
  // Imported again, it is the same signed envelope, sent anew.
  grpc::ClientContext import_context;
  v1::ImportEdxmlRequest import;
  import.set_edxml(package.edxml());
  import.set_request_id("import-1");
  v1::Document imported;
  grpc::Status status = stub_->ImportEdxml(&import_context, import, &imported);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_NE(imported.name(), sent.name());
  EXPECT_TRUE(imported.signature().verified());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      imported.header(), sent.header()));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      imported.attachments(0), sent.attachments(0)));
  // A package whose embedded bytes were altered is refused.
  std::string tampered = package.edxml();
  const size_t body = tampered.find("<edXML:Attachment ");
  ASSERT_NE(body, std::string::npos);
  const size_t content = tampered.find('>', body) + 1;
  tampered[content] = tampered[content] == 'A' ? 'B' : 'A';
  grpc::ClientContext tampered_context;
  import.set_edxml(tampered);
  status = stub_->ImportEdxml(&tampered_context, import, &imported);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Reason(status), "EDXML_ATTACHMENT_MISMATCH");
}

TEST_F(DocumentServiceTest, AWatcherReceivesNewArrivals) {
  grpc::ClientContext context;
  v1::WatchInboxRequest request;
  request.set_recipient(Agency(kCommuneB));
  auto reader = stub_->WatchInbox(&context, request);
  v1::Document sent = SendOk(Plan());
  v1::WatchInboxResponse arrived;
  ASSERT_TRUE(reader->Read(&arrived));
  ASSERT_EQ(arrived.entries_size(), 1);
  EXPECT_EQ(arrived.entries(0).document().name(), sent.name());
  // Acknowledged once; twice is harmless.
  for (int expected : {1, 0}) {
    grpc::ClientContext ack_context;
    v1::AcknowledgeInboxRequest ack;
    ack.set_recipient(Agency(kCommuneB));
    ack.add_entry_ids(arrived.entries(0).entry_id());
    v1::AcknowledgeInboxResponse acknowledged;
    ASSERT_TRUE(stub_->AcknowledgeInbox(&ack_context, ack, &acknowledged).ok());
    EXPECT_EQ(acknowledged.acknowledged(), expected);
  }
  context.TryCancel();
}

// Every refusal of malformed or out-of-place input, with its code and reason.
TEST_F(DocumentServiceTest, BadSendsAreRefusedWithTheirReasons) {
  struct Case {
    std::string what;
    std::function<void(v1::Document&)> change;
    grpc::StatusCode code;
    std::string reason;
  };
  const std::string unknown_sha = pki::Sha256Hex("never uploaded");
  const std::vector<Case> cases = {
      {"no recipient", [](v1::Document& d) { d.mutable_header()->clear_to(); },
       grpc::StatusCode::INVALID_ARGUMENT, "INVALID_DOCUMENT"},
      {"a recipient twice",
       [](v1::Document& d) {
         *d.mutable_header()->add_to() = d.header().to(0);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "INVALID_DOCUMENT"},
      {"a document id not matching its code",
       [](v1::Document& d) { d.mutable_header()->set_document_id("x,y,z"); },
       grpc::StatusCode::INVALID_ARGUMENT, "INVALID_DOCUMENT"},
      {"a target on a new document",
       [](v1::Document& d) { d.set_target_document("documents/abc"); },
       grpc::StatusCode::INVALID_ARGUMENT, "INVALID_DOCUMENT"},
      {"no signature", [](v1::Document& d) { d.clear_signature(); },
       grpc::StatusCode::INVALID_ARGUMENT, "INVALID_DOCUMENT"},
      {"an attachment never uploaded",
       [&](v1::Document& d) {
         d.mutable_attachments(0)->set_attachment("attachments/" + unknown_sha);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "UNKNOWN_ATTACHMENT"},
      {"attachments over the document limit",
       [&](v1::Document& d) {
         v1::AttachmentRef* second = d.add_attachments();
         *second = d.attachments(0);
         second->set_attachment(UploadOk(std::string(800000, 'z')));
       },
       grpc::StatusCode::INVALID_ARGUMENT, "DOCUMENT_TOO_LARGE"},
  };
  for (const Case& c : cases) {
    v1::Document document = Plan();
    c.change(document);
    v1::Document sent;
    grpc::Status status = Send(document, &sent);
    EXPECT_EQ(status.error_code(), c.code) << c.what;
    EXPECT_EQ(Reason(status), c.reason) << c.what;
  }
  // A revoke addressed to an agency that never received the document.
  v1::Document sent = SendOk(Plan());
  v1::Document revoke =
      fixture_->NewDocument(kProvince, {DocumentFixture::kCommuneC}, "Thu hồi");
  revoke.set_business_type(v1::BUSINESS_TYPE_REVOKE);
  revoke.set_target_document(sent.name());
  ASSERT_TRUE(fixture_->Sign(revoke, kProvince).ok());
  v1::Document refused;
  grpc::Status stranger = Send(revoke, &refused);
  EXPECT_EQ(stranger.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Reason(stranger), "RECIPIENT_NOT_IN_TARGET");
  // An authenticated agency may not send for another.
  v1::SendDocumentRequest request;
  *request.mutable_document() = Plan();
  absl::Status other = fixture_->exchange().Send(kCommuneA, request).status();
  EXPECT_EQ(other.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ErrorReason(other), "NOT_CALLERS_AGENCY");
}

TEST_F(DocumentServiceTest, BadReadsAndUpdatesAreRefusedWithTheirReasons) {
  v1::Document sent = SendOk(Plan());
  auto expect = [](const grpc::Status& status, grpc::StatusCode code,
                   const std::string& reason, const std::string& what) {
    EXPECT_EQ(status.error_code(), code) << what;
    EXPECT_EQ(Reason(status), reason) << what;
  };
  v1::Document document;
  expect(SetState("doc", kCommuneA, v1::DELIVERY_STATE_ARRIVED, &document),
         grpc::StatusCode::INVALID_ARGUMENT, "INVALID_STATUS_UPDATE",
         "a status for no document name");
  expect(SetState(sent.name(), kCommuneA, v1::DELIVERY_STATE_UNSPECIFIED,
                  &document),
         grpc::StatusCode::INVALID_ARGUMENT, "INVALID_STATUS_UPDATE",
         "no state");
  expect(SetState("documents/unknown", kCommuneA, v1::DELIVERY_STATE_ARRIVED,
                  &document),
         grpc::StatusCode::NOT_FOUND, "DOCUMENT_NOT_FOUND", "unknown document");
  {
    grpc::ClientContext context;
    v1::ListInboxRequest request;
    request.set_recipient(Agency(kCommuneA));
    request.set_page_token("x");
    v1::ListInboxResponse inbox;
    expect(stub_->ListInbox(&context, request, &inbox),
           grpc::StatusCode::INVALID_ARGUMENT, "INVALID_PAGE_TOKEN",
           "inbox page token");
  }
  {
    grpc::ClientContext context;
    v1::ListInboxRequest request;
    request.set_recipient(Agency(kCommuneA));
    request.set_page_size(5000);
    v1::ListInboxResponse inbox;
    expect(stub_->ListInbox(&context, request, &inbox),
           grpc::StatusCode::INVALID_ARGUMENT, "INVALID_PAGE_SIZE",
           "inbox page size");
  }
  {
    grpc::ClientContext context;
    v1::ListInboxRequest request;
    request.set_recipient(kCommuneA);  // without agencies/
    v1::ListInboxResponse inbox;
    expect(stub_->ListInbox(&context, request, &inbox),
           grpc::StatusCode::INVALID_ARGUMENT, "INVALID_AGENCY_NAME",
           "inbox recipient");
  }
  {
    grpc::ClientContext context;
    v1::AcknowledgeInboxRequest request;
    request.set_recipient(Agency(kCommuneA));
    request.add_entry_ids("abc");
    v1::AcknowledgeInboxResponse response;
    expect(stub_->AcknowledgeInbox(&context, request, &response),
           grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ENTRY_ID", "entry id");
  }
  {
    grpc::ClientContext context;
    v1::ListDocumentsRequest request;  // no sender, no identity
    v1::ListDocumentsResponse response;
    expect(stub_->ListDocuments(&context, request, &response),
           grpc::StatusCode::INVALID_ARGUMENT, "INVALID_LIST_REQUEST",
           "list without a sender");
  }
  {
    grpc::ClientContext context;
    v1::GetReceiptRequest request;  // no recipient, no identity
    request.set_document(sent.name());
    v1::Receipt receipt;
    expect(stub_->GetReceipt(&context, request, &receipt),
           grpc::StatusCode::INVALID_ARGUMENT, "INVALID_RECEIPT_REQUEST",
           "receipt without a recipient");
  }
  {
    grpc::ClientContext context;
    v1::DownloadAttachmentRequest request;
    request.set_attachment("attachments/../../etc/passwd");
    auto reader = stub_->DownloadAttachment(&context, request);
    v1::DownloadAttachmentResponse chunk;
    while (reader->Read(&chunk)) {
    }
    expect(reader->Finish(), grpc::StatusCode::INVALID_ARGUMENT,
           "ATTACHMENT_NAME_INVALID", "download name");
  }
  {
    v1::Document large = Plan();
    large.mutable_attachments(0)->set_attachment(
        UploadOk(std::string(900000, 'l')));
    ASSERT_TRUE(fixture_->Sign(large, kProvince).ok());
    v1::Document large_sent = SendOk(large);
    grpc::ClientContext context;
    v1::GetEdxmlRequest request;
    request.set_name(large_sent.name());
    request.set_include_attachments(true);
    v1::GetEdxmlResponse package;
    expect(stub_->GetEdxml(&context, request, &package),
           grpc::StatusCode::FAILED_PRECONDITION, "PACKAGE_TOO_LARGE",
           "package over its limit");
  }
}

TEST_F(DocumentServiceTest, MalformedUploadsAreRefused) {
  v1::UploadAttachmentResponse response;
  {
    // Bytes before the metadata.
    grpc::ClientContext context;
    auto writer = stub_->UploadAttachment(&context, &response);
    v1::UploadAttachmentRequest request;
    request.set_chunk("abc");
    writer->Write(request);
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(Reason(status), "ATTACHMENT_METADATA_INVALID");
  }
  // A chunk over 1 MiB.
  const std::string content(2 << 20, 'c');
  grpc::Status big = Upload(content, content.size(), pki::Sha256Hex(content),
                            &response, content.size());
  EXPECT_EQ(big.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Reason(big), "ATTACHMENT_CHUNK_TOO_LARGE");
}

TEST_F(DocumentServiceTest, ARefusedImportStoresNoAttachment) {
  const std::string content(100000, 'n');
  EdxmlPackage package;
  package.document = fixture_->NewDocument(kProvince, {kCommuneA}, "Báo cáo");
  v1::AttachmentRef* ref = package.document.add_attachments();
  ref->set_attachment("attachments/" + pki::Sha256Hex(content));
  ref->set_content_id("cid:1");
  ref->set_file_name("bao-cao.pdf");
  ASSERT_TRUE(fixture_->Sign(package.document, kProvince).ok());
  package.document.mutable_header()->set_subject("Báo cáo đã bị sửa");
  package.attachments.push_back({*ref, pki::Sha256Hex(content), content});
  WriteOptions options;
  options.embed_attachments = true;
  LT_ASSERT_OK_AND_ASSIGN(std::string xml, WriteEdxml(package, options));
  grpc::ClientContext context;
  v1::ImportEdxmlRequest request;
  request.set_edxml(xml);
  v1::Document imported;
  grpc::Status status = stub_->ImportEdxml(&context, request, &imported);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(status), "SIGNATURE_INVALID");
  EXPECT_THAT(fixture_->attachments().Contains(pki::Sha256Hex(content)),
              ::lienthong::testing::IsOkAndHolds(false));
}

}  // namespace
}  // namespace lienthong::documents
