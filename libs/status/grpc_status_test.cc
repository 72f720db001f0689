#include "libs/status/grpc_status.h"

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Pair;

TEST(GrpcStatusTest, OkStaysOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_THAT(FromGrpcStatus(grpc::Status::OK), IsOk());
}

TEST(GrpcStatusTest, EveryCodeSurvivesTheRoundTrip) {
  for (int code = 1; code <= 16; ++code) {
    absl::Status status(static_cast<absl::StatusCode>(code), "boom");
    grpc::Status wire = ToGrpcStatus(status);
    EXPECT_EQ(static_cast<int>(wire.error_code()), code);
    EXPECT_THAT(FromGrpcStatus(wire),
                StatusIs(static_cast<absl::StatusCode>(code), "boom"));
  }
}

TEST(GrpcStatusTest, ReasonAndFieldViolationsSurviveTheRoundTrip) {
  absl::Status status = InvalidArgumentWithViolations(
      "2 rows are invalid", "INVALID_ROWS",
      {{"rows[0].period", "must look like 2025-M03"},
       {"rows[4].value.percent", "must be within 0..100"}});
  status = WithErrorInfo(status, "INVALID_ROWS", {{"rejected", "2"}});

  absl::Status back = FromGrpcStatus(ToGrpcStatus(status));

  EXPECT_THAT(
      back, StatusIs(absl::StatusCode::kInvalidArgument, "2 rows are invalid"));
  EXPECT_EQ(ErrorReason(back), "INVALID_ROWS");
  EXPECT_THAT(ErrorMetadata(back), ElementsAre(Pair("rejected", "2")));
  EXPECT_THAT(
      FieldViolations(back),
      ElementsAre(
          FieldViolation{"rows[0].period", "must look like 2025-M03"},
          FieldViolation{"rows[4].value.percent", "must be within 0..100"}));
}

TEST(GrpcStatusTest, WireDetailsAreAStandardRpcStatus) {
  absl::Status status =
      WithErrorInfo(absl::NotFoundError("no unit 99999"), "UNIT_NOT_FOUND");
  grpc::Status wire = ToGrpcStatus(status);
  google::rpc::Status rpc_status;
  ASSERT_TRUE(rpc_status.ParseFromString(wire.error_details()));
  EXPECT_EQ(rpc_status.code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(rpc_status.message(), "no unit 99999");
  ASSERT_EQ(rpc_status.details_size(), 1);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(rpc_status.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "UNIT_NOT_FOUND");
  EXPECT_EQ(info.domain(), kErrorDomain);
}

TEST(GrpcStatusTest, ClientWithoutDetailsGetsPlainStatus) {
  grpc::Status wire(grpc::StatusCode::UNAVAILABLE, "connection refused");
  absl::Status status = FromGrpcStatus(wire);
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kUnavailable, "connection refused"));
  EXPECT_EQ(ErrorReason(status), "");
  EXPECT_TRUE(FieldViolations(status).empty());
}

}  // namespace
}  // namespace lienthong
