#ifndef LIBS_TESTING_STATUS_MATCHERS_H_
#define LIBS_TESTING_STATUS_MATCHERS_H_

// gMock matchers for absl::Status and absl::StatusOr<T>:
//   EXPECT_THAT(store.Put(x), IsOk());
//   EXPECT_THAT(Parse("x"), StatusIs(absl::StatusCode::kInvalidArgument,
//                                    HasSubstr("period")));

#include <ostream>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace lienthong::testing {
namespace internal {

inline const absl::Status& GetStatus(const absl::Status& status) {
  return status;
}

template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

}  // namespace internal

// Matches an OK absl::Status or absl::StatusOr<T>.
MATCHER(IsOk, negation ? "is not OK" : "is OK") {
  const absl::Status& status = internal::GetStatus(arg);
  if (!status.ok()) *result_listener << "status is " << status;
  return status.ok();
}

// Matches a status (or StatusOr) with `code` and a message matching `message`.
MATCHER_P2(StatusIs, code, message,
           "has code " + absl::StatusCodeToString(code)) {
  const absl::Status& status = internal::GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code &&
         ::testing::ExplainMatchResult(
             ::testing::SafeMatcherCast<const std::string&>(message),
             std::string(status.message()), result_listener);
}

// Matches a status (or StatusOr) with `code`, whatever its message.
MATCHER_P(StatusCodeIs, code, "has code " + absl::StatusCodeToString(code)) {
  const absl::Status& status = internal::GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code;
}

// Matches an OK absl::StatusOr<T> whose value matches `matcher`.
MATCHER_P(IsOkAndHolds, matcher, "is OK and holds a matching value") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status();
    return false;
  }
  return ::testing::ExplainMatchResult(matcher, *arg, result_listener);
}

// Asserts that `expr` (a StatusOr) is OK and moves its value into `lhs`.
#define LT_ASSERT_OK_AND_ASSIGN(lhs, expr)           \
  auto LT_CONCAT_(status_or_, __LINE__) = (expr);    \
  ASSERT_TRUE(LT_CONCAT_(status_or_, __LINE__).ok()) \
      << LT_CONCAT_(status_or_, __LINE__).status();  \
  lhs = std::move(LT_CONCAT_(status_or_, __LINE__)).value()
#define LT_CONCAT_(a, b) LT_CONCAT_IMPL_(a, b)
#define LT_CONCAT_IMPL_(a, b) a##b

}  // namespace lienthong::testing

#endif  // LIBS_TESTING_STATUS_MATCHERS_H_
