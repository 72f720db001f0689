#include "services/documents/document_store_conformance.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::documents {

using ::google::protobuf::util::TimeUtil;

NewDocument TestDocument(const std::string& id, const std::string& sender,
                         const std::vector<std::string>& recipients,
                         const std::string& request_id) {
  NewDocument in;
  in.sender = sender;
  in.request_id = request_id;
  // 64 hex digits, different for each id.
  std::string sha = absl::BytesToHexString(absl::StrCat("envelope ", id));
  sha.resize(64, '0');
  in.envelope_sha256 = sha.substr(0, 64);
  v1::Document& document = in.document;
  document.set_name("documents/" + id);
  v1::MessageHeader& header = *document.mutable_header();
  header.mutable_from()->set_organ_id(sender.substr(sizeof("agencies/") - 1));
  header.mutable_from()->set_organ_name("UBND tỉnh Lào Cai");
  header.mutable_code()->set_code_number("09");
  header.mutable_code()->set_code_notation("KH-UBND");
  header.mutable_promulgation_info()->set_promulgation_date("2025/03/14");
  header.set_subject(
      absl::StrCat("Kế hoạch chuyển đổi số năm 2025 (", id, ")"));
  header.set_document_id(id);
  v1::AttachmentRef& attachment = *document.add_attachments();
  attachment.set_attachment(absl::StrCat("attachments/", std::string(64, 'a')));
  attachment.set_content_id("cid:1");
  attachment.set_file_name("KH09-2025.pdf");
  attachment.set_mime_type("application/pdf");
  attachment.set_size_bytes(182345);
  document.mutable_signature()->set_signature(
      std::string("\x30\x82\x00\x01", 4));
  document.mutable_signature()->set_signer_certificate("certificate DER");
  document.mutable_signature()->set_verified(true);
  document.mutable_signature()->set_signer_subject("CN=UBND tỉnh Lào Cai");
  document.set_business_type(v1::BUSINESS_TYPE_NEW);
  *document.mutable_create_time() = TimeUtil::SecondsToTimestamp(1741910400);
  for (const std::string& recipient : recipients) {
    document.add_deliveries()->set_recipient(recipient);
  }
  return in;
}

TraceAppend TestAppend(const std::string& id, const std::string& recipient,
                       v1::DeliveryState expected, v1::DeliveryState state,
                       int64_t unix_seconds) {
  TraceAppend append;
  append.document_id = id;
  append.recipient = recipient;
  append.expected = expected;
  append.entry.set_state(state);
  append.entry.set_reported_by(recipient);
  *append.entry.mutable_time() = TimeUtil::SecondsToTimestamp(unix_seconds);
  append.entry.set_note(absl::StrCat("to ", v1::DeliveryState_Name(state)));
  return append;
}

v1::Receipt TestReceipt(const std::string& id, const std::string& recipient) {
  v1::Receipt receipt;
  receipt.set_document("documents/" + id);
  receipt.set_envelope_sha256(std::string(64, 'b'));
  *receipt.mutable_receive_time() = TimeUtil::SecondsToTimestamp(1741910400);
  receipt.set_signature("platform signature");
  receipt.set_signer_certificate("platform certificate");
  receipt.set_recipient(recipient);
  *receipt.mutable_accept_time() = TimeUtil::SecondsToTimestamp(1741939200);
  return receipt;
}

namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::IsOkAndHolds;
using ::lienthong::testing::StatusCodeIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kProvince[] = "agencies/000.00.00.H29";
constexpr char kDistrict[] = "agencies/000.00.01.H29";
constexpr char kCommuneA[] = "agencies/000.01.01.H29";
constexpr char kCommuneB[] = "agencies/000.02.01.H29";
constexpr char kCommuneC[] = "agencies/000.03.01.H29";

constexpr auto kUnspecified = v1::DELIVERY_STATE_UNSPECIFIED;
constexpr auto kArrived = v1::DELIVERY_STATE_ARRIVED;
constexpr auto kAccepted = v1::DELIVERY_STATE_ACCEPTED;

const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

// Matches a refusal: a status (or StatusOr) with `code` and ErrorInfo
// `reason`.
MATCHER_P2(IsRefusal, code, reason,
           absl::StrCat("has code ", absl::StatusCodeToString(code),
                        " and reason ", reason)) {
  const absl::Status& status = StatusOf(arg);
  *result_listener << "reason is \"" << ErrorReason(status) << "\", ";
  return ::testing::ExplainMatchResult(StatusCodeIs(code), status,
                                       result_listener) &&
         ErrorReason(status) == reason;
}

// Matches a message equal to `expected`.
MATCHER_P(EqualsProto, expected, "equals " + expected.ShortDebugString()) {
  if (google::protobuf::util::MessageDifferencer::Equals(arg, expected)) {
    return true;
  }
  *result_listener << "is " << arg.ShortDebugString();
  return false;
}

StatusUpdate Update(const std::string& recipient, const std::string& request_id,
                    std::vector<TraceAppend> appends) {
  StatusUpdate update;
  update.recipient = recipient;
  update.request_id = request_id;
  update.appends = std::move(appends);
  return update;
}

std::vector<std::string> Names(const std::vector<v1::Document>& documents) {
  std::vector<std::string> names;
  for (const v1::Document& document : documents) {
    names.push_back(document.name());
  }
  return names;
}

std::vector<std::string> DocumentIds(
    const std::vector<StoredInboxEntry>& entries) {
  std::vector<std::string> ids;
  for (const StoredInboxEntry& entry : entries) {
    ids.push_back(entry.document_id);
  }
  return ids;
}

std::vector<int32_t> Redeliveries(
    const std::vector<StoredInboxEntry>& entries) {
  std::vector<int32_t> counts;
  for (const StoredInboxEntry& entry : entries) {
    counts.push_back(entry.redeliveries);
  }
  return counts;
}

std::vector<v1::DeliveryState> States(const v1::Document& document) {
  std::vector<v1::DeliveryState> states;
  for (const v1::Delivery& delivery : document.deliveries()) {
    states.push_back(delivery.state());
  }
  return states;
}

std::vector<int> TraceSizes(const v1::Document& document) {
  std::vector<int> sizes;
  for (const v1::Delivery& delivery : document.deliveries()) {
    sizes.push_back(delivery.trace_size());
  }
  return sizes;
}

TEST_P(DocumentStoreConformance, SendThenGetKeepsTheDocumentAndDeliveries) {
  // Recipients deliberately out of alphabetical order.
  const NewDocument in =
      TestDocument("kh09", kProvince, {kCommuneB, kDistrict, kCommuneA});
  LT_ASSERT_OK_AND_ASSIGN(SendResult sent, store_->Send(in));
  EXPECT_FALSE(sent.replayed);
  EXPECT_THAT(sent.document, EqualsProto(in.document));
  LT_ASSERT_OK_AND_ASSIGN(v1::Document stored, store_->Get("kh09"));
  EXPECT_THAT(stored, EqualsProto(in.document));
  ASSERT_EQ(stored.deliveries_size(), 3);
  EXPECT_EQ(stored.deliveries(0).recipient(), kCommuneB);
  EXPECT_EQ(stored.deliveries(1).recipient(), kDistrict);
  EXPECT_EQ(stored.deliveries(2).recipient(), kCommuneA);
  EXPECT_THAT(States(stored),
              ElementsAre(kUnspecified, kUnspecified, kUnspecified));
  EXPECT_THAT(TraceSizes(stored), ElementsAre(0, 0, 0));
  EXPECT_EQ(stored.header().subject(),
            "Kế hoạch chuyển đổi số năm 2025 (kh09)");
  EXPECT_EQ(stored.attachments(0).file_name(), "KH09-2025.pdf");
  EXPECT_TRUE(stored.signature().verified());
  EXPECT_EQ(stored.create_time().seconds(), 1741910400);
}

TEST_P(DocumentStoreConformance, UnknownDocumentIsNotFound) {
  ASSERT_THAT(store_->Send(TestDocument("d1", kProvince, {kCommuneA})), IsOk());
  EXPECT_THAT(store_->Get("d2"),
              IsRefusal(absl::StatusCode::kNotFound, "DOCUMENT_NOT_FOUND"));
  EXPECT_THAT(store_->EnvelopeSha256("d2"),
              StatusCodeIs(absl::StatusCode::kNotFound));
}

TEST_P(DocumentStoreConformance, EnvelopeSha256IsTheOneSent) {
  const NewDocument d1 = TestDocument("d1", kProvince, {kCommuneA});
  const NewDocument d2 = TestDocument("d2", kProvince, {kCommuneA});
  ASSERT_NE(d1.envelope_sha256, d2.envelope_sha256);
  ASSERT_THAT(store_->Send(d1), IsOk());
  ASSERT_THAT(store_->Send(d2), IsOk());
  EXPECT_THAT(store_->EnvelopeSha256("d1"), IsOkAndHolds(d1.envelope_sha256));
  EXPECT_THAT(store_->EnvelopeSha256("d2"), IsOkAndHolds(d2.envelope_sha256));
}

TEST_P(DocumentStoreConformance, ReplayBySenderReturnsTheFirstDocument) {
  ASSERT_THAT(
      store_->Send(TestDocument("d1", kProvince, {kCommuneA}, "send-1")),
      IsOk());
  // A retry with a new id (a client that numbers afresh) is still a retry.
  LT_ASSERT_OK_AND_ASSIGN(
      SendResult again,
      store_->Send(
          TestDocument("d2", kProvince, {kCommuneA, kCommuneB}, "send-1")));
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.document.name(), "documents/d1");
  ASSERT_EQ(again.document.deliveries_size(), 1);
  EXPECT_EQ(again.document.deliveries(0).recipient(), kCommuneA);
  // The same id again is a replay too, not ALREADY_EXISTS.
  LT_ASSERT_OK_AND_ASSIGN(
      SendResult same,
      store_->Send(TestDocument("d1", kProvince, {kCommuneA}, "send-1")));
  EXPECT_TRUE(same.replayed);
  EXPECT_EQ(same.document.name(), "documents/d1");
  // Nothing new stored.
  EXPECT_THAT(store_->Get("d2"),
              IsRefusal(absl::StatusCode::kNotFound, "DOCUMENT_NOT_FOUND"));
  LT_ASSERT_OK_AND_ASSIGN(auto inbox_a, store_->ListInbox(kCommuneA, 0, 10));
  EXPECT_THAT(DocumentIds(inbox_a), ElementsAre("d1"));
  EXPECT_THAT(store_->ListInbox(kCommuneB, 0, 10), IsOkAndHolds(IsEmpty()));
  LT_ASSERT_OK_AND_ASSIGN(auto sent, store_->ListBySender(kProvince, "", 10));
  EXPECT_THAT(Names(sent.documents), ElementsAre("documents/d1"));
}

TEST_P(DocumentStoreConformance, ReplayReturnsTheDocumentAsItIsNow) {
  ASSERT_THAT(
      store_->Send(TestDocument("d1", kProvince, {kCommuneA}, "send-1")),
      IsOk());
  ASSERT_THAT(store_->ApplyStatus(Update(
                  kCommuneA, "",
                  {TestAppend("d1", kCommuneA, kUnspecified, kArrived)})),
              IsOkAndHolds(false));
  LT_ASSERT_OK_AND_ASSIGN(
      SendResult again,
      store_->Send(TestDocument("d1", kProvince, {kCommuneA}, "send-1")));
  EXPECT_TRUE(again.replayed);
  EXPECT_THAT(States(again.document), ElementsAre(kArrived));
}

TEST_P(DocumentStoreConformance, SameRequestIdFromAnotherSenderIsANewSend) {
  ASSERT_THAT(store_->Send(TestDocument("d1", kProvince, {kCommuneA}, "req-1")),
              IsOk());
  LT_ASSERT_OK_AND_ASSIGN(
      SendResult other,
      store_->Send(TestDocument("d2", kDistrict, {kCommuneA}, "req-1")));
  EXPECT_FALSE(other.replayed);
  EXPECT_EQ(other.document.name(), "documents/d2");
  EXPECT_THAT(store_->Get("d2"), IsOk());
  LT_ASSERT_OK_AND_ASSIGN(auto inbox, store_->ListInbox(kCommuneA, 0, 10));
  EXPECT_THAT(DocumentIds(inbox), ElementsAre("d1", "d2"));
}

TEST_P(DocumentStoreConformance, TakenIdIsAlreadyExists) {
  ASSERT_THAT(store_->Send(TestDocument("d1", kProvince, {kCommuneA}, "req-1")),
              IsOk());
  EXPECT_THAT(store_->Send(TestDocument("d1", kProvince, {kCommuneB}, "req-2")),
              IsRefusal(absl::StatusCode::kAlreadyExists, "DOCUMENT_EXISTS"));
  EXPECT_THAT(store_->Send(TestDocument("d1", kDistrict, {kCommuneB})),
              IsRefusal(absl::StatusCode::kAlreadyExists, "DOCUMENT_EXISTS"));
  // Nothing of the refused sends was stored, not even their request ids.
  LT_ASSERT_OK_AND_ASSIGN(v1::Document d1, store_->Get("d1"));
  ASSERT_EQ(d1.deliveries_size(), 1);
  EXPECT_EQ(d1.deliveries(0).recipient(), kCommuneA);
  EXPECT_THAT(store_->ListInbox(kCommuneB, 0, 10), IsOkAndHolds(IsEmpty()));
  LT_ASSERT_OK_AND_ASSIGN(
      SendResult retried,
      store_->Send(TestDocument("d2", kProvince, {kCommuneB}, "req-2")));
  EXPECT_FALSE(retried.replayed);
  EXPECT_EQ(retried.document.name(), "documents/d2");
}

TEST_P(DocumentStoreConformance, TargetUpdatesAreAppliedWithTheSend) {
  ASSERT_THAT(
      store_->Send(TestDocument("d1", kProvince, {kCommuneA, kCommuneB})),
      IsOk());
  for (const char* recipient : {kCommuneA, kCommuneB}) {
    ASSERT_THAT(store_->ApplyStatus(Update(
                    recipient, "",
                    {TestAppend("d1", recipient, kUnspecified, kArrived)})),
                IsOkAndHolds(false));
  }
  NewDocument revoke =
      TestDocument("r1", kProvince, {kCommuneA, kCommuneB}, "revoke-1");
  revoke.document.set_business_type(v1::BUSINESS_TYPE_REVOKE);
  revoke.document.set_target_document("documents/d1");
  for (const char* recipient : {kCommuneA, kCommuneB}) {
    TraceAppend update = TestAppend("d1", recipient, kArrived,
                                    v1::DELIVERY_STATE_TAKE_BACK_REQUESTED);
    update.entry.set_reported_by(kProvince);
    revoke.target_updates.push_back(update);
  }
  LT_ASSERT_OK_AND_ASSIGN(SendResult sent, store_->Send(revoke));
  EXPECT_FALSE(sent.replayed);
  EXPECT_EQ(sent.document.target_document(), "documents/d1");
  LT_ASSERT_OK_AND_ASSIGN(v1::Document target, store_->Get("d1"));
  EXPECT_THAT(States(target),
              ElementsAre(v1::DELIVERY_STATE_TAKE_BACK_REQUESTED,
                          v1::DELIVERY_STATE_TAKE_BACK_REQUESTED));
  EXPECT_THAT(TraceSizes(target), ElementsAre(2, 2));
  EXPECT_THAT(target.deliveries(1).trace(1),
              EqualsProto(revoke.target_updates[1].entry));
  LT_ASSERT_OK_AND_ASSIGN(v1::Document stored, store_->Get("r1"));
  EXPECT_EQ(stored.business_type(), v1::BUSINESS_TYPE_REVOKE);
}

TEST_P(DocumentStoreConformance, SendIsRefusedWholeWhenATargetMoved) {
  ASSERT_THAT(
      store_->Send(TestDocument("d1", kProvince, {kCommuneA, kCommuneB})),
      IsOk());
  ASSERT_THAT(store_->ApplyStatus(Update(
                  kCommuneA, "",
                  {TestAppend("d1", kCommuneA, kUnspecified, kArrived)})),
              IsOkAndHolds(false));
  // B never reported ARRIVED: the second target update must fail, and the
  // first (already applied in the same transaction) must be undone.
  NewDocument revoke =
      TestDocument("r1", kProvince, {kCommuneA, kCommuneB}, "revoke-1");
  revoke.document.set_business_type(v1::BUSINESS_TYPE_REVOKE);
  revoke.document.set_target_document("documents/d1");
  for (const char* recipient : {kCommuneA, kCommuneB}) {
    revoke.target_updates.push_back(TestAppend(
        "d1", recipient, kArrived, v1::DELIVERY_STATE_TAKE_BACK_REQUESTED));
  }
  EXPECT_THAT(store_->Send(revoke),
              IsRefusal(absl::StatusCode::kAborted, "DELIVERY_STATE_CHANGED"));
  EXPECT_THAT(store_->Get("r1"),
              IsRefusal(absl::StatusCode::kNotFound, "DOCUMENT_NOT_FOUND"));
  LT_ASSERT_OK_AND_ASSIGN(auto inbox_a, store_->ListInbox(kCommuneA, 0, 10));
  EXPECT_THAT(DocumentIds(inbox_a), ElementsAre("d1"));
  LT_ASSERT_OK_AND_ASSIGN(auto inbox_b, store_->ListInbox(kCommuneB, 0, 10));
  EXPECT_THAT(DocumentIds(inbox_b), ElementsAre("d1"));
  LT_ASSERT_OK_AND_ASSIGN(v1::Document target, store_->Get("d1"));
  EXPECT_THAT(States(target), ElementsAre(kArrived, kUnspecified));
  EXPECT_THAT(TraceSizes(target), ElementsAre(1, 0));
  LT_ASSERT_OK_AND_ASSIGN(auto sent, store_->ListBySender(kProvince, "", 10));
  EXPECT_THAT(Names(sent.documents), ElementsAre("documents/d1"));
  // The refused send's request id was not kept: the corrected retry sends.
  revoke.target_updates[1].expected = kUnspecified;
  LT_ASSERT_OK_AND_ASSIGN(SendResult retried, store_->Send(revoke));
  EXPECT_FALSE(retried.replayed);
  EXPECT_THAT(store_->Get("r1"), IsOk());
}

TEST_P(DocumentStoreConformance, SendWithAnUnknownTargetStoresNothing) {
  ASSERT_THAT(store_->Send(TestDocument("d1", kProvince, {kCommuneA})), IsOk());
  NewDocument revoke = TestDocument("r1", kProvince, {kCommuneA});
  revoke.target_updates.push_back(TestAppend(
      "d9", kCommuneA, kUnspecified, v1::DELIVERY_STATE_TAKE_BACK_REQUESTED));
  EXPECT_THAT(store_->Send(revoke),
              IsRefusal(absl::StatusCode::kNotFound, "DOCUMENT_NOT_FOUND"));
  revoke.target_updates[0] = TestAppend("d1", kCommuneB, kUnspecified,
                                        v1::DELIVERY_STATE_TAKE_BACK_REQUESTED);
  EXPECT_THAT(store_->Send(revoke),
              IsRefusal(absl::StatusCode::kNotFound, "DELIVERY_NOT_FOUND"));
  EXPECT_THAT(store_->Get("r1"),
              IsRefusal(absl::StatusCode::kNotFound, "DOCUMENT_NOT_FOUND"));
  LT_ASSERT_OK_AND_ASSIGN(auto inbox, store_->ListInbox(kCommuneA, 0, 10));
  EXPECT_THAT(DocumentIds(inbox), ElementsAre("d1"));
}

TEST_P(DocumentStoreConformance, ApplyStatusAppendsToTheTrace) {
  ASSERT_THAT(
      store_->Send(TestDocument("d1", kProvince, {kCommuneA, kCommuneB})),
      IsOk());
  const TraceAppend arrived =
      TestAppend("d1", kCommuneA, kUnspecified, kArrived, 100);
  const TraceAppend accepted =
      TestAppend("d1", kCommuneA, kArrived, kAccepted, 200);
  TraceAppend assigned =
      TestAppend("d1", kCommuneA, kAccepted, v1::DELIVERY_STATE_ASSIGNED, 300);
  assigned.entry.set_handler("Phòng Văn hóa - Xã hội");
  for (const TraceAppend& append : {arrived, accepted, assigned}) {
    ASSERT_THAT(store_->ApplyStatus(Update(kCommuneA, "", {append})),
                IsOkAndHolds(false));
  }
  LT_ASSERT_OK_AND_ASSIGN(v1::Document stored, store_->Get("d1"));
  EXPECT_THAT(States(stored),
              ElementsAre(v1::DELIVERY_STATE_ASSIGNED, kUnspecified));
  ASSERT_THAT(TraceSizes(stored), ElementsAre(3, 0));
  EXPECT_THAT(stored.deliveries(0).trace(0), EqualsProto(arrived.entry));
  EXPECT_THAT(stored.deliveries(0).trace(1), EqualsProto(accepted.entry));
  EXPECT_THAT(stored.deliveries(0).trace(2), EqualsProto(assigned.entry));
}

TEST_P(DocumentStoreConformance, ApplyStatusAppliesSeveralAppendsInOrder) {
  ASSERT_THAT(store_->Send(TestDocument("d1", kProvince, {kCommuneA})), IsOk());
  ASSERT_THAT(store_->Send(TestDocument("d2", kProvince, {kCommuneA})), IsOk());
  // Two steps of one delivery and another document, in one update.
  ASSERT_THAT(store_->ApplyStatus(Update(
                  kCommuneA, "st-1",
                  {TestAppend("d1", kCommuneA, kUnspecified, kArrived),
                   TestAppend("d1", kCommuneA, kArrived, kAccepted),
                   TestAppend("d2", kCommuneA, kUnspecified, kArrived)})),
              IsOkAndHolds(false));
  LT_ASSERT_OK_AND_ASSIGN(v1::Document d1, store_->Get("d1"));
  EXPECT_THAT(States(d1), ElementsAre(kAccepted));
  EXPECT_THAT(TraceSizes(d1), ElementsAre(2));
  LT_ASSERT_OK_AND_ASSIGN(v1::Document d2, store_->Get("d2"));
  EXPECT_THAT(States(d2), ElementsAre(kArrived));
}

TEST_P(DocumentStoreConformance, ApplyStatusIsAllOrNothing) {
  ASSERT_THAT(store_->Send(TestDocument("d1", kProvince, {kCommuneA})), IsOk());
  ASSERT_THAT(store_->Send(TestDocument("d2", kProvince, {kCommuneA})), IsOk());
  ASSERT_THAT(store_->ApplyStatus(Update(
                  kCommuneA, "",
                  {TestAppend("d1", kCommuneA, kUnspecified, kArrived)})),
              IsOkAndHolds(false));
  // The first append would succeed; the second finds d1 already ARRIVED.
  StatusUpdate update =
      Update(kCommuneA, "st-1",
             {TestAppend("d2", kCommuneA, kUnspecified, kArrived),
              TestAppend("d1", kCommuneA, kUnspecified, kArrived)});
  EXPECT_THAT(store_->ApplyStatus(update),
              IsRefusal(absl::StatusCode::kAborted, "DELIVERY_STATE_CHANGED"));
  LT_ASSERT_OK_AND_ASSIGN(v1::Document d2, store_->Get("d2"));
  EXPECT_THAT(States(d2), ElementsAre(kUnspecified));
  EXPECT_THAT(TraceSizes(d2), ElementsAre(0));
  LT_ASSERT_OK_AND_ASSIGN(v1::Document d1, store_->Get("d1"));
  EXPECT_THAT(TraceSizes(d1), ElementsAre(1));
  // The refused update's request id was not kept: the corrected one applies.
  update.appends[1] = TestAppend("d1", kCommuneA, kArrived, kAccepted);
  EXPECT_THAT(store_->ApplyStatus(update), IsOkAndHolds(false));
  LT_ASSERT_OK_AND_ASSIGN(d1, store_->Get("d1"));
  EXPECT_THAT(States(d1), ElementsAre(kAccepted));
}

TEST_P(DocumentStoreConformance, ConcurrentCompareAndSetHasOneWinner) {
  ASSERT_THAT(store_->Send(TestDocument("d1", kProvince, {kCommuneA})), IsOk());
  constexpr int kThreads = 8;
  std::atomic<int> won{0};
  std::vector<absl::Status> refusals(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      TraceAppend append =
          TestAppend("d1", kCommuneA, kUnspecified, kArrived, 100 + i);
      absl::StatusOr<bool> applied =
          store_->ApplyStatus(Update(kCommuneA, "", {append}));
      if (applied.ok()) {
        ++won;
      } else {
        refusals[i] = applied.status();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(won.load(), 1);
  for (const absl::Status& refusal : refusals) {
    if (refusal.ok()) continue;  // the winner's slot
    EXPECT_THAT(refusal, IsRefusal(absl::StatusCode::kAborted,
                                   "DELIVERY_STATE_CHANGED"));
  }
  LT_ASSERT_OK_AND_ASSIGN(v1::Document d1, store_->Get("d1"));
  EXPECT_THAT(TraceSizes(d1), ElementsAre(1));
}

TEST_P(DocumentStoreConformance, ReplayByRecipientAppendsNothing) {
  ASSERT_THAT(
      store_->Send(TestDocument("d1", kProvince, {kCommuneA, kCommuneB})),
      IsOk());
  EXPECT_THAT(store_->ApplyStatus(Update(
                  kCommuneA, "st-1",
                  {TestAppend("d1", kCommuneA, kUnspecified, kArrived)})),
              IsOkAndHolds(false));
  // A retry, even one carrying other appends, changes nothing.
  EXPECT_THAT(store_->ApplyStatus(
                  Update(kCommuneA, "st-1",
                         {TestAppend("d1", kCommuneA, kArrived, kAccepted)})),
              IsOkAndHolds(true));
  // The same request id from another recipient is its own update.
  EXPECT_THAT(store_->ApplyStatus(Update(
                  kCommuneB, "st-1",
                  {TestAppend("d1", kCommuneB, kUnspecified, kArrived)})),
              IsOkAndHolds(false));
  LT_ASSERT_OK_AND_ASSIGN(v1::Document d1, store_->Get("d1"));
  EXPECT_THAT(States(d1), ElementsAre(kArrived, kArrived));
  EXPECT_THAT(TraceSizes(d1), ElementsAre(1, 1));
}

TEST_P(DocumentStoreConformance, ApplyStatusOnUnknownDeliveryIsNotFound) {
  ASSERT_THAT(store_->Send(TestDocument("d1", kProvince, {kCommuneA})), IsOk());
  EXPECT_THAT(store_->ApplyStatus(Update(
                  kCommuneA, "st-1",
                  {TestAppend("d9", kCommuneA, kUnspecified, kArrived)})),
              IsRefusal(absl::StatusCode::kNotFound, "DOCUMENT_NOT_FOUND"));
  EXPECT_THAT(store_->ApplyStatus(Update(
                  kCommuneC, "st-1",
                  {TestAppend("d1", kCommuneC, kUnspecified, kArrived)})),
              IsRefusal(absl::StatusCode::kNotFound, "DELIVERY_NOT_FOUND"));
  LT_ASSERT_OK_AND_ASSIGN(v1::Document d1, store_->Get("d1"));
  EXPECT_THAT(TraceSizes(d1), ElementsAre(0));
}

TEST_P(DocumentStoreConformance, AcceptanceWritesTheReceipt) {
  ASSERT_THAT(
      store_->Send(TestDocument("d1", kProvince, {kCommuneA, kCommuneB})),
      IsOk());
  ASSERT_THAT(store_->ApplyStatus(Update(
                  kCommuneA, "",
                  {TestAppend("d1", kCommuneA, kUnspecified, kArrived)})),
              IsOkAndHolds(false));
  EXPECT_THAT(store_->GetReceipt("d1", kCommuneA),
              IsRefusal(absl::StatusCode::kNotFound, "RECEIPT_NOT_FOUND"));
  StatusUpdate accept =
      Update(kCommuneA, "accept-1",
             {TestAppend("d1", kCommuneA, kArrived, kAccepted)});
  accept.receipt = TestReceipt("d1", kCommuneA);
  ASSERT_THAT(store_->ApplyStatus(accept), IsOkAndHolds(false));
  EXPECT_THAT(store_->GetReceipt("d1", kCommuneA),
              IsOkAndHolds(EqualsProto(*accept.receipt)));
  EXPECT_THAT(store_->GetReceipt("d1", kCommuneB),
              IsRefusal(absl::StatusCode::kNotFound, "RECEIPT_NOT_FOUND"));
  LT_ASSERT_OK_AND_ASSIGN(v1::Document d1, store_->Get("d1"));
  EXPECT_THAT(States(d1), ElementsAre(kAccepted, kUnspecified));
}

TEST_P(DocumentStoreConformance, RefusedAcceptanceWritesNoReceipt) {
  ASSERT_THAT(store_->Send(TestDocument("d1", kProvince, {kCommuneA})), IsOk());
  // Still UNSPECIFIED, not ARRIVED: the append fails, so the receipt too.
  StatusUpdate accept =
      Update(kCommuneA, "accept-1",
             {TestAppend("d1", kCommuneA, kArrived, kAccepted)});
  accept.receipt = TestReceipt("d1", kCommuneA);
  EXPECT_THAT(store_->ApplyStatus(accept),
              IsRefusal(absl::StatusCode::kAborted, "DELIVERY_STATE_CHANGED"));
  EXPECT_THAT(store_->GetReceipt("d1", kCommuneA),
              IsRefusal(absl::StatusCode::kNotFound, "RECEIPT_NOT_FOUND"));
}

TEST_P(DocumentStoreConformance, InboxListsWaitingEntriesOldestFirst) {
  ASSERT_THAT(
      store_->Send(TestDocument("d1", kProvince, {kCommuneA, kCommuneB})),
      IsOk());
  ASSERT_THAT(store_->Send(TestDocument("d2", kProvince, {kCommuneA})), IsOk());
  ASSERT_THAT(
      store_->Send(TestDocument("d3", kDistrict, {kCommuneB, kCommuneA})),
      IsOk());
  LT_ASSERT_OK_AND_ASSIGN(auto inbox_a, store_->ListInbox(kCommuneA, 0, 10));
  EXPECT_THAT(DocumentIds(inbox_a), ElementsAre("d1", "d2", "d3"));
  EXPECT_THAT(Redeliveries(inbox_a), ElementsAre(0, 0, 0));
  ASSERT_EQ(inbox_a.size(), 3u);
  EXPECT_LT(inbox_a[0].entry_id, inbox_a[1].entry_id);
  EXPECT_LT(inbox_a[1].entry_id, inbox_a[2].entry_id);
  LT_ASSERT_OK_AND_ASSIGN(auto inbox_b, store_->ListInbox(kCommuneB, 0, 10));
  EXPECT_THAT(DocumentIds(inbox_b), ElementsAre("d1", "d3"));
  EXPECT_THAT(store_->ListInbox(kCommuneC, 0, 10), IsOkAndHolds(IsEmpty()));
  // Each listing counts for the next.
  LT_ASSERT_OK_AND_ASSIGN(inbox_a, store_->ListInbox(kCommuneA, 0, 10));
  EXPECT_THAT(Redeliveries(inbox_a), ElementsAre(1, 1, 1));
  // Pages.
  LT_ASSERT_OK_AND_ASSIGN(auto first, store_->ListInbox(kCommuneA, 0, 2));
  EXPECT_THAT(DocumentIds(first), ElementsAre("d1", "d2"));
  EXPECT_THAT(Redeliveries(first), ElementsAre(2, 2));
  LT_ASSERT_OK_AND_ASSIGN(
      auto second, store_->ListInbox(kCommuneA, first.back().entry_id, 2));
  EXPECT_THAT(DocumentIds(second), ElementsAre("d3"));
  EXPECT_THAT(Redeliveries(second), ElementsAre(2));
  EXPECT_THAT(store_->ListInbox(kCommuneA, second.back().entry_id, 2),
              IsOkAndHolds(IsEmpty()));
}

TEST_P(DocumentStoreConformance, AcknowledgeCountsWaitingEntriesOfRecipient) {
  ASSERT_THAT(
      store_->Send(TestDocument("d1", kProvince, {kCommuneA, kCommuneB})),
      IsOk());
  ASSERT_THAT(store_->Send(TestDocument("d2", kProvince, {kCommuneA})), IsOk());
  LT_ASSERT_OK_AND_ASSIGN(auto a, store_->ListInbox(kCommuneA, 0, 10));
  LT_ASSERT_OK_AND_ASSIGN(auto b, store_->ListInbox(kCommuneB, 0, 10));
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_THAT(store_->CountInboxBacklog(), IsOkAndHolds(3));
  // Another recipient's entries are left alone.
  EXPECT_THAT(store_->Acknowledge(kCommuneB, {a[0].entry_id, a[1].entry_id}),
              IsOkAndHolds(0));
  EXPECT_THAT(store_->Acknowledge(kCommuneA, {a[0].entry_id}), IsOkAndHolds(1));
  EXPECT_THAT(store_->Acknowledge(kCommuneA, {a[0].entry_id}), IsOkAndHolds(0));
  EXPECT_THAT(store_->Acknowledge(kCommuneA, {}), IsOkAndHolds(0));
  EXPECT_THAT(
      store_->Acknowledge(kCommuneA, {a[0].entry_id, a[1].entry_id,
                                      b[0].entry_id, a[1].entry_id + 1000}),
      IsOkAndHolds(1));
  EXPECT_THAT(store_->ListInbox(kCommuneA, 0, 10), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(store_->CountInboxBacklog(), IsOkAndHolds(1));
  LT_ASSERT_OK_AND_ASSIGN(b, store_->ListInbox(kCommuneB, 0, 10));
  EXPECT_THAT(DocumentIds(b), ElementsAre("d1"));
  // An entry arriving later is listed after the acknowledged ones.
  ASSERT_THAT(store_->Send(TestDocument("d3", kProvince, {kCommuneA})), IsOk());
  LT_ASSERT_OK_AND_ASSIGN(a, store_->ListInbox(kCommuneA, 0, 10));
  EXPECT_THAT(DocumentIds(a), ElementsAre("d3"));
}

TEST_P(DocumentStoreConformance, ListBySenderIsNewestFirstInPages) {
  for (const char* id : {"s1", "s2", "s3"}) {
    ASSERT_THAT(store_->Send(TestDocument(id, kProvince, {kCommuneA})), IsOk());
  }
  ASSERT_THAT(store_->Send(TestDocument("q1", kDistrict, {kCommuneA})), IsOk());
  for (const char* id : {"s4", "s5"}) {
    ASSERT_THAT(store_->Send(TestDocument(id, kProvince, {kCommuneA})), IsOk());
  }
  ASSERT_THAT(store_->ApplyStatus(Update(
                  kCommuneA, "",
                  {TestAppend("s5", kCommuneA, kUnspecified, kArrived)})),
              IsOkAndHolds(false));
  LT_ASSERT_OK_AND_ASSIGN(auto page, store_->ListBySender(kProvince, "", 2));
  EXPECT_THAT(Names(page.documents),
              ElementsAre("documents/s5", "documents/s4"));
  EXPECT_TRUE(page.more);
  // Listed documents carry their deliveries.
  EXPECT_THAT(States(page.documents[0]), ElementsAre(kArrived));
  EXPECT_THAT(TraceSizes(page.documents[0]), ElementsAre(1));
  LT_ASSERT_OK_AND_ASSIGN(page, store_->ListBySender(kProvince, "s4", 2));
  EXPECT_THAT(Names(page.documents),
              ElementsAre("documents/s3", "documents/s2"));
  EXPECT_TRUE(page.more);
  LT_ASSERT_OK_AND_ASSIGN(page, store_->ListBySender(kProvince, "s2", 2));
  EXPECT_THAT(Names(page.documents), ElementsAre("documents/s1"));
  EXPECT_FALSE(page.more);
  LT_ASSERT_OK_AND_ASSIGN(page, store_->ListBySender(kProvince, "", 5));
  EXPECT_EQ(page.documents.size(), 5u);
  EXPECT_FALSE(page.more);
  LT_ASSERT_OK_AND_ASSIGN(page, store_->ListBySender(kDistrict, "", 10));
  EXPECT_THAT(Names(page.documents), ElementsAre("documents/q1"));
  EXPECT_FALSE(page.more);
  LT_ASSERT_OK_AND_ASSIGN(page, store_->ListBySender(kCommuneA, "", 10));
  EXPECT_THAT(page.documents, IsEmpty());
  EXPECT_FALSE(page.more);
}

}  // namespace
}  // namespace lienthong::documents
