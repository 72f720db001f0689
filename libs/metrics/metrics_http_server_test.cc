#include "libs/metrics/metrics_http_server.h"

#include <atomic>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/metrics/http_get.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::metrics {
namespace {

using ::testing::HasSubstr;

TEST(MetricsHttpServerTest, ServesFreshTextOnEveryScrape) {
  std::atomic<int> scrapes{0};
  LT_ASSERT_OK_AND_ASSIGN(
      auto server, MetricsHttpServer::Start("127.0.0.1:0", [&scrapes] {
        return "scrapes " + std::to_string(++scrapes) + "\n";
      }));
  ASSERT_GT(server->port(), 0);

  LT_ASSERT_OK_AND_ASSIGN(HttpResponse first,
                          HttpRequest(server->port(), "GET", "/metrics"));
  LT_ASSERT_OK_AND_ASSIGN(HttpResponse second,
                          HttpRequest(server->port(), "GET", "/metrics"));
  EXPECT_EQ(first.status, 200);
  EXPECT_THAT(first.headers, HasSubstr("text/plain; version=0.0.4"));
  EXPECT_EQ(first.body, "scrapes 1\n");
  EXPECT_EQ(second.body, "scrapes 2\n");
}

TEST(FindSampleTest, ReadsTheSeriesNamedExactly) {
  const std::string text =
      "# TYPE c_total counter\n"
      "c_total{code=\"OK\"} 3\n"
      "c_total{code=\"OK\",x=\"1\"} 4\n"
      "g 2.5\n";
  EXPECT_EQ(FindSample(text, "c_total{code=\"OK\"}"), 3);
  EXPECT_EQ(FindSample(text, "g"), 2.5);
  EXPECT_EQ(FindSample(text, "c_total"), absl::nullopt);
  EXPECT_EQ(FindSample(text, "h"), absl::nullopt);
}

TEST(MetricsHttpServerTest, RefusesOtherPathsAndMethods) {
  LT_ASSERT_OK_AND_ASSIGN(
      auto server,
      MetricsHttpServer::Start("127.0.0.1:0", [] { return std::string(); }));
  LT_ASSERT_OK_AND_ASSIGN(HttpResponse other,
                          HttpRequest(server->port(), "GET", "/"));
  EXPECT_EQ(other.status, 404);
  LT_ASSERT_OK_AND_ASSIGN(HttpResponse post,
                          HttpRequest(server->port(), "POST", "/metrics"));
  EXPECT_EQ(post.status, 405);
  EXPECT_THAT(post.headers, HasSubstr("Allow: GET, HEAD"));
}

TEST(MetricsHttpServerTest, RejectsMalformedAndTakenAddresses) {
  auto render = [] { return std::string(); };
  EXPECT_EQ(MetricsHttpServer::Start("no-port", render).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MetricsHttpServer::Start("[::1:80", render).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MetricsHttpServer::Start("127.0.0.1:70000", render).status().code(),
            absl::StatusCode::kInvalidArgument);
  LT_ASSERT_OK_AND_ASSIGN(auto taken,
                          MetricsHttpServer::Start("127.0.0.1:0", render));
  EXPECT_EQ(MetricsHttpServer::Start(
                "127.0.0.1:" + std::to_string(taken->port()), render)
                .status()
                .code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace lienthong::metrics
