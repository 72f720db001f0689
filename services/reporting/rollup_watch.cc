#include "services/reporting/rollup_watch.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/reporting/feed_index.h"
#include "services/reporting/rollup_reader.h"

namespace lienthong::reporting {
namespace {

// What a dashboard shows of a rollup: not the feed position it was read at.
std::string Figures(v1::Rollup rollup) {
  rollup.clear_as_of_sequence();
  rollup.clear_update_time();
  return rollup.SerializeAsString();
}

}  // namespace

absl::StatusOr<std::vector<v1::Rollup>> RollupWatch::Next(absl::Time deadline) {
  if (started_ && !index_->WaitFor(seen_ + 1, deadline)) {
    return std::vector<v1::Rollup>();
  }
  // Many changes that arrived together are answered once.
  seen_ = index_->position();
  absl::StatusOr<v1::QueryRollupsResponse> table =
      reader_->QueryRollups(query_);
  if (!table.ok()) return table.status();
  std::vector<v1::Rollup> changed;
  for (v1::Rollup& rollup : *table->mutable_rollups()) {
    std::string key = absl::StrCat(rollup.unit(), "/", rollup.indicator(), "/",
                                   rollup.period().id());
    std::string figures = Figures(rollup);
    auto [it, inserted] = sent_.try_emplace(key, figures);
    if (!inserted) {
      if (it->second == figures && started_) continue;
      it->second = std::move(figures);
    }
    changed.push_back(std::move(rollup));
  }
  started_ = true;
  return changed;
}

}  // namespace lienthong::reporting
