#include "libs/log/logger.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"

namespace lienthong {
namespace {

using ::testing::ElementsAre;

TEST(LoggerTest, WritesOneLogfmtLinePerEvent) {
  FakeClock clock(absl::FromUnixSeconds(1751356800));  // 2025-07-01T08:00:00Z
  MemoryLogSink sink;
  Logger logger(&sink, &clock);

  logger.Info("server.started", {{"address", "127.0.0.1:50051"}});
  logger.Warning("ingestion.row.rejected",
                 {{"reason", "value out of range"}, {"note", "a=\"b\"\nc"}});

  EXPECT_THAT(
      sink.lines(),
      ElementsAre("ts=2025-07-01T08:00:00.000Z level=info event=server.started "
                  "address=127.0.0.1:50051",
                  "ts=2025-07-01T08:00:00.000Z level=warning "
                  "event=ingestion.row.rejected reason=\"value out of range\" "
                  "note=\"a=\\\"b\\\"\\nc\""));
}

TEST(LoggerTest, DropsEventsBelowTheMinimumLevel) {
  FakeClock clock(absl::UnixEpoch());
  MemoryLogSink sink;
  Logger logger(&sink, &clock, LogLevel::kWarning);
  logger.Info("ignored");
  logger.Error("kept", {{"empty", ""}});
  EXPECT_THAT(sink.lines(),
              ElementsAre("ts=1970-01-01T00:00:00.000Z level=error event=kept "
                          "empty=\"\""));
}

}  // namespace
}  // namespace lienthong
