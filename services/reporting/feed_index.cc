#include "services/reporting/feed_index.h"

#include "absl/strings/str_cat.h"

namespace lienthong::reporting {

absl::Status FeedIndex::Apply(const ingestion::v1::Change& change) {
  absl::MutexLock lock(&mutex_);
  if (change.sequence() <= position_) return absl::OkStatus();
  if (change.sequence() != position_ + 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("change ", change.sequence(), " follows ", position_,
                     ": the feed has a gap"));
  }
  const ingestion::v1::DataValue& value = change.value();
  Key key{value.unit(), value.indicator(), value.period().id()};
  std::pair<std::string, std::string> report{value.unit(), value.period().id()};
  if (change.kind() == ingestion::v1::CHANGE_KIND_DELETE) {
    values_.erase(key);
    auto it = reports_.find(report);
    if (it != reports_.end()) {
      it->second.erase(value.indicator());
      if (it->second.empty()) reports_.erase(it);
    }
  } else {
    values_[key] = value.value();
    // The first value's lateness stands; emplace keeps it.
    reports_[report].emplace(value.indicator(), value.late());
    period_types_[value.indicator()] = value.period().type();
  }
  position_ = change.sequence();
  return absl::OkStatus();
}

absl::optional<common::v1::Value> FeedIndex::Reported(
    const std::string& unit, const std::string& indicator,
    const std::string& period) const {
  absl::MutexLock lock(&mutex_);
  auto it = values_.find(Key{unit, indicator, period});
  if (it == values_.end()) return absl::nullopt;
  return it->second;
}

std::map<std::string, bool> FeedIndex::ReportedIndicators(
    const std::string& unit, const std::string& period) const {
  absl::MutexLock lock(&mutex_);
  auto it = reports_.find({unit, period});
  if (it == reports_.end()) return {};
  return it->second;
}

absl::optional<common::v1::PeriodType> FeedIndex::PeriodTypeOf(
    const std::string& indicator) const {
  absl::MutexLock lock(&mutex_);
  auto it = period_types_.find(indicator);
  if (it == period_types_.end()) return absl::nullopt;
  return it->second;
}

int64_t FeedIndex::position() const {
  absl::MutexLock lock(&mutex_);
  return position_;
}

bool FeedIndex::WaitFor(int64_t sequence, absl::Time deadline) const {
  absl::MutexLock lock(&mutex_);
  auto reached = [this, sequence]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return position_ >= sequence || closed_;
  };
  mutex_.AwaitWithDeadline(absl::Condition(&reached), deadline);
  return position_ >= sequence;
}

void FeedIndex::Close() {
  absl::MutexLock lock(&mutex_);
  closed_ = true;
}

bool FeedIndex::closed() const {
  absl::MutexLock lock(&mutex_);
  return closed_;
}

}  // namespace lienthong::reporting
