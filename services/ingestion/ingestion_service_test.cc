#include "services/ingestion/ingestion_service.h"

#include <cstdlib>
#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/server/authorizer.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status_details.h"
#include "libs/testing/in_process_server.h"
#include "services/ingestion/change_notifier.h"
#include "services/ingestion/fake_registry_lookup.h"
#include "services/ingestion/sqlite_value_store.h"
#include "services/ingestion/value_intake.h"

namespace lienthong::ingestion {
namespace {

v1::ValueRow Count(const std::string& period, int64_t count) {
  v1::ValueRow row;
  row.set_unit("units/00097");
  row.set_indicator("indicators/NLS.SO_LOP");
  row.set_period(period);
  row.mutable_value()->set_count(count);
  return row;
}

class DenyAllAuthorizer final : public Authorizer {
 public:
  absl::Status Authorize(const Caller&, absl::string_view, absl::string_view,
                         const HierarchyDay&) const override {
    return absl::PermissionDeniedError("not this caller");
  }
};

// Lets callers write only for commune 00097.
class OneUnitAuthorizer final : public Authorizer {
 public:
  absl::Status Authorize(const Caller&, absl::string_view method,
                         absl::string_view resource,
                         const HierarchyDay&) const override {
    if (method == "ingestion.values.write" && resource != "units/00097") {
      return absl::PermissionDeniedError(
          absl::StrCat("may not write for ", resource));
    }
    return absl::OkStatus();
  }
};

class IngestionServiceTest : public ::testing::Test {
 protected:
  IngestionServiceTest() {
    std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/svc.db";
    std::filesystem::remove(path);
    store_ = *SqliteValueStore::Open(path);
    intake_ = std::make_unique<ValueIntake>(store_.get(), &registry_, &clock_);
    service_ = std::make_unique<IngestionServiceImpl>(
        intake_.get(), store_.get(), &notifier_, &authorizer_,
        absl::Milliseconds(20));
    server_ =
        std::make_unique<testing::InProcessServer>(std::vector<HostedService>{
            {"lienthong.ingestion.v1.IngestionService", service_.get()}});
    stub_ = v1::IngestionService::NewStub(server_->channel());
  }

  grpc::Status Submit(std::vector<v1::ValueRow> rows, v1::ImportSummary* out) {
    grpc::ClientContext context;
    v1::SubmitValuesRequest request;
    request.mutable_options()->set_schedule("schedules/cds-xa-thang");
    for (auto& row : rows) *request.add_rows() = std::move(row);
    return stub_->SubmitValues(&context, request, out);
  }

  FakeClock clock_{absl::FromUnixSeconds(1764900000)};  // 2025-12-05
  FakeRegistry registry_;
  ChangeNotifier notifier_;
  AllowAllAuthorizer authorizer_;
  std::unique_ptr<SqliteValueStore> store_;
  std::unique_ptr<ValueIntake> intake_;
  std::unique_ptr<IngestionServiceImpl> service_;
  std::unique_ptr<testing::InProcessServer> server_;
  std::unique_ptr<v1::IngestionService::Stub> stub_;
};

TEST_F(IngestionServiceTest, RejectedRowsArriveAsFieldViolations) {
  v1::ImportSummary summary;
  v1::ValueRow negative = Count("2025-M12", -1);
  absl::Status status = FromGrpcStatus(Submit({negative}, &summary));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolations(status).size(), 1u);
  EXPECT_EQ(FieldViolations(status)[0].field, "rows[0].value");
}

TEST_F(IngestionServiceTest, AStreamIsOneBatch) {
  grpc::ClientContext context;
  v1::ImportSummary summary;
  auto stream = stub_->StreamValues(&context, &summary);
  v1::StreamValuesRequest header;
  header.mutable_options()->set_schedule("schedules/cds-xa-thang");
  ASSERT_TRUE(stream->Write(header));
  for (const char* period : {"2025-M11", "2025-M12"}) {
    v1::StreamValuesRequest chunk;
    *chunk.mutable_rows()->add_rows() = Count(period, 2);
    ASSERT_TRUE(stream->Write(chunk));
  }
  ASSERT_TRUE(stream->WritesDone());
  grpc::Status status = stream->Finish();
  // 2025-M11 is locked on 5 December: the stream is refused whole.
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::ListValuesRequest list;
  grpc::ClientContext list_context;
  v1::ListValuesResponse values;
  ASSERT_TRUE(stub_->ListValues(&list_context, list, &values).ok());
  EXPECT_EQ(values.values_size(), 0);
}

TEST_F(IngestionServiceTest, WatchersReceiveChangesInOrderAsTheyCommit) {
  v1::ImportSummary summary;
  ASSERT_TRUE(Submit({Count("2025-M12", 1)}, &summary).ok());

  grpc::ClientContext context;
  v1::WatchChangesRequest request;
  auto watch = stub_->WatchChanges(&context, request);
  v1::WatchChangesResponse response;
  ASSERT_TRUE(watch->Read(&response));  // the backlog
  ASSERT_EQ(response.changes_size(), 1);
  EXPECT_EQ(response.changes(0).sequence(), 1);

  ASSERT_TRUE(Submit({Count("2025-M12", 2)}, &summary).ok());
  ASSERT_TRUE(watch->Read(&response));  // live
  ASSERT_EQ(response.changes_size(), 1);
  EXPECT_EQ(response.changes(0).sequence(), 2);
  EXPECT_EQ(response.changes(0).previous_value().count(), 1);
  EXPECT_EQ(response.head_sequence(), 2);
  context.TryCancel();
  watch->Finish().IgnoreError();
}

TEST_F(IngestionServiceTest, ImportBatchesAcknowledgesEachBatchOnItsOwn) {
  grpc::ClientContext context;
  auto stream = stub_->ImportBatches(&context);
  auto batch = [](std::vector<v1::ValueRow> rows, const std::string& id) {
    v1::ImportBatchesRequest request;
    request.mutable_options()->set_schedule("schedules/cds-xa-thang");
    request.mutable_options()->set_request_id(id);
    for (auto& row : rows) *request.add_rows() = std::move(row);
    return request;
  };
  v1::ValueRow ratio;
  ratio.set_unit("units/00097");
  ratio.set_indicator("indicators/HTS.CAP_QUANG");
  ratio.set_period("2025-M12");
  ratio.mutable_value()->mutable_ratio()->set_numerator(3);
  ratio.mutable_value()->mutable_ratio()->set_denominator(4);
  // Write, then read: the in-process transport completes a write only once
  // the other side reads it (over TCP a client may send ahead).
  std::vector<v1::ImportBatchesRequest> batches = {
      batch({Count("2025-M12", 1)}, "b-0"),
      // 2025-M11 is locked on 5 December: this batch alone is refused.
      batch({ratio, Count("2025-M11", 1)}, "b-1"), batch({ratio}, "b-2"),
      batch({Count("2025-M12", 1)}, "b-0")};  // b-0 again
  std::vector<v1::ImportBatchesResponse> acks(batches.size());
  for (size_t i = 0; i < batches.size(); ++i) {
    ASSERT_TRUE(stream->Write(batches[i]));
    ASSERT_TRUE(stream->Read(&acks[i]));
  }
  ASSERT_TRUE(stream->WritesDone());
  EXPECT_TRUE(stream->Finish().ok());

  for (int i = 0; i < 4; ++i) EXPECT_EQ(acks[i].batch(), i);
  EXPECT_EQ(acks[0].code(), 0);
  EXPECT_EQ(acks[0].summary().created(), 1);
  EXPECT_EQ(acks[1].code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(acks[1].message(), ::testing::HasSubstr("nothing was written"));
  ASSERT_EQ(acks[1].summary().problems_size(), 1);
  EXPECT_EQ(acks[1].summary().problems(0).row(), 1);
  EXPECT_EQ(acks[1].summary().problems(0).reason(), "PERIOD_LOCKED");
  EXPECT_EQ(acks[2].code(), 0);
  EXPECT_EQ(acks[2].summary().created(), 1);
  EXPECT_EQ(acks[2].summary().last_sequence(), 2);
  EXPECT_TRUE(acks[3].summary().replayed());
  EXPECT_EQ(acks[3].summary().last_sequence(), 1);

  v1::ListValuesRequest list;
  grpc::ClientContext list_context;
  v1::ListValuesResponse values;
  ASSERT_TRUE(stub_->ListValues(&list_context, list, &values).ok());
  EXPECT_EQ(values.values_size(), 2);
}

TEST_F(IngestionServiceTest, ImportBatchesAsksTheAuthorizerForEveryBatch) {
  DenyAllAuthorizer deny;
  IngestionServiceImpl denied(intake_.get(), store_.get(), &notifier_, &deny);
  testing::InProcessServer server(std::vector<HostedService>{
      {"lienthong.ingestion.v1.IngestionService", &denied}});
  auto stub = v1::IngestionService::NewStub(server.channel());
  grpc::ClientContext context;
  auto stream = stub->ImportBatches(&context);
  v1::ImportBatchesRequest request;
  request.mutable_options()->set_schedule("schedules/cds-xa-thang");
  *request.add_rows() = Count("2025-M12", 1);
  ASSERT_TRUE(stream->Write(request));
  v1::ImportBatchesResponse ack;
  ASSERT_TRUE(stream->Read(&ack));
  EXPECT_EQ(ack.code(), grpc::StatusCode::PERMISSION_DENIED);
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
  EXPECT_EQ(*store_->HeadSequence(), 0);
}

TEST_F(IngestionServiceTest, EveryUnitOfABatchIsAuthorizedBeforeAnyWrite) {
  OneUnitAuthorizer policy;
  IngestionServiceImpl guarded(intake_.get(), store_.get(), &notifier_,
                               &policy);
  testing::InProcessServer server(std::vector<HostedService>{
      {"lienthong.ingestion.v1.IngestionService", &guarded}});
  auto stub = v1::IngestionService::NewStub(server.channel());
  registry::v1::AdminUnit other = registry_.units["units/00097"];
  other.set_name("units/00100");
  registry_.units["units/00100"] = other;
  v1::SubmitValuesRequest request;
  request.mutable_options()->set_schedule("schedules/cds-xa-thang");
  *request.add_rows() = Count("2025-M12", 1);
  v1::ValueRow foreign = Count("2025-M12", 2);
  foreign.set_unit("units/00100");
  *request.add_rows() = foreign;
  grpc::ClientContext context;
  v1::ImportSummary summary;
  grpc::Status status = stub->SubmitValues(&context, request, &summary);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(*store_->HeadSequence(), 0);

  request.mutable_rows()->RemoveLast();
  grpc::ClientContext own;
  EXPECT_TRUE(stub->SubmitValues(&own, request, &summary).ok());
}

}  // namespace
}  // namespace lienthong::ingestion
