#include "libs/server/termination_signal.h"

#include <signal.h>
#include <unistd.h>

#include "gtest/gtest.h"

namespace lienthong {
namespace {

TEST(TerminationSignalTest, MainThreadWakesOnSigterm) {
  BlockTerminationSignals();
  // Blocked, so the signal stays pending instead of killing the test.
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);
  EXPECT_EQ(WaitForTerminationSignal(), SIGTERM);
}

TEST(TerminationSignalTest, MainThreadWakesOnSigint) {
  BlockTerminationSignals();
  ASSERT_EQ(kill(getpid(), SIGINT), 0);
  EXPECT_EQ(WaitForTerminationSignal(), SIGINT);
}

}  // namespace
}  // namespace lienthong
