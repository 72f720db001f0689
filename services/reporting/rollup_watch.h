#ifndef SERVICES_REPORTING_ROLLUP_WATCH_H_
#define SERVICES_REPORTING_ROLLUP_WATCH_H_

// One WatchRollups subscription: the query's rollups first, then, each time
// the change feed moves, those whose figures changed. No gRPC here.

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lienthong/reporting/v1/reporting_service.pb.h"

namespace lienthong::reporting {

class FeedIndex;
class RollupReader;

class RollupWatch {
 public:
  // The arguments must outlive the watch.
  RollupWatch(RollupReader* reader, const FeedIndex* index,
              v1::QueryRollupsRequest query)
      : reader_(reader), index_(index), query_(std::move(query)) {}

  // All the query's rollups on the first call; afterwards waits until the
  // feed moves (or `deadline`) and returns the rollups that changed, which may
  // be none.
  absl::StatusOr<std::vector<v1::Rollup>> Next(absl::Time deadline);

 private:
  RollupReader* reader_;
  const FeedIndex* index_;
  v1::QueryRollupsRequest query_;
  bool started_ = false;
  int64_t seen_ = 0;  // feed position of the last answer
  // unit/indicator/period -> the figures last sent.
  std::map<std::string, std::string> sent_;
};

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_ROLLUP_WATCH_H_
