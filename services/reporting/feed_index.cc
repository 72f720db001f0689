#include "services/reporting/feed_index.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace lienthong::reporting {

uint32_t FeedIndex::Names::Intern(const std::string& name) {
  auto [it, inserted] =
      ids_.try_emplace(name, static_cast<uint32_t>(names_.size()));
  if (inserted) names_.push_back(name);
  return it->second;
}

absl::optional<uint32_t> FeedIndex::Names::Find(const std::string& name) const {
  auto it = ids_.find(name);
  if (it == ids_.end()) return absl::nullopt;
  return it->second;
}

FeedIndex::Stored FeedIndex::Store(const common::v1::Value& value) {
  Stored stored;
  stored.count = 0;
  stored.kind = static_cast<uint8_t>(value.kind_case());
  switch (value.kind_case()) {
    case common::v1::Value::kCount:
      stored.count = value.count();
      break;
    case common::v1::Value::kAmount:
      stored.real = value.amount();
      break;
    case common::v1::Value::kPercent:
      stored.real = value.percent();
      break;
    case common::v1::Value::kRatio:
      stored.real = value.ratio().numerator();
      break;
    case common::v1::Value::kFlag:
      stored.count = value.flag() ? 1 : 0;
      break;
    default:
      break;
  }
  return stored;
}

common::v1::Value FeedIndex::Load(uint64_t key, const Stored& stored) const {
  common::v1::Value value;
  switch (static_cast<common::v1::Value::KindCase>(stored.kind)) {
    case common::v1::Value::kCount:
      value.set_count(stored.count);
      break;
    case common::v1::Value::kAmount:
      value.set_amount(stored.real);
      break;
    case common::v1::Value::kPercent:
      value.set_percent(stored.real);
      break;
    case common::v1::Value::kRatio:
      value.mutable_ratio()->set_numerator(stored.real);
      value.mutable_ratio()->set_denominator(denominators_.at(key));
      break;
    case common::v1::Value::kFlag:
      value.set_flag(stored.count != 0);
      break;
    default:
      break;
  }
  return value;
}

uint64_t FeedIndex::ValueKey(uint32_t unit, uint32_t indicator,
                             uint32_t period) {
  return uint64_t{unit} << 40 | uint64_t{indicator} << 24 | period;
}

uint64_t FeedIndex::ColumnKey(uint32_t indicator, uint32_t period) {
  return uint64_t{indicator} << 32 | period;
}

const FeedIndex::Stored* FeedIndex::Find(uint32_t unit, uint32_t indicator,
                                         uint32_t period) const {
  auto column = columns_.find(ColumnKey(indicator, period));
  if (column == columns_.end() || unit >= column->second.size()) {
    return nullptr;
  }
  const Stored& stored = column->second[unit];
  return stored.kind == 0 ? nullptr : &stored;
}

uint64_t FeedIndex::SliceKey(uint32_t unit, uint32_t period) {
  return uint64_t{unit} << 32 | period;
}

absl::Status FeedIndex::Apply(const ingestion::v1::Change& change) {
  absl::MutexLock lock(&mutex_);
  if (change.sequence() <= position_) return absl::OkStatus();
  if (change.sequence() != position_ + 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("change ", change.sequence(), " follows ", position_,
                     ": the feed has a gap"));
  }
  const ingestion::v1::DataValue& value = change.value();
  if (change.kind() != ingestion::v1::CHANGE_KIND_DELETE) {
    if (absl::Status status = Put(value, value.late()); !status.ok()) {
      return status;
    }
    position_ = change.sequence();
    return absl::OkStatus();
  }
  absl::optional<uint32_t> unit = units_.Find(value.unit());
  absl::optional<uint32_t> indicator = indicators_.Find(value.indicator());
  absl::optional<uint32_t> period = periods_.Find(value.period().id());
  if (unit && indicator && period) {
    auto column = columns_.find(ColumnKey(*indicator, *period));
    if (column != columns_.end() && *unit < column->second.size()) {
      column->second[*unit] = Stored();
    }
    denominators_.erase(ValueKey(*unit, *indicator, *period));
    auto slice = slices_.find(SliceKey(*unit, *period));
    if (slice != slices_.end()) {
      std::vector<uint32_t>& indicators = slice->second;
      indicators.erase(
          std::remove(indicators.begin(), indicators.end(), *indicator),
          indicators.end());
      if (indicators.empty()) slices_.erase(slice);
    }
  }
  position_ = change.sequence();
  return absl::OkStatus();
}

absl::Status FeedIndex::Put(const ingestion::v1::DataValue& value, bool late) {
  const uint32_t unit = units_.Intern(value.unit());
  const uint32_t indicator = indicators_.Intern(value.indicator());
  const uint32_t period = periods_.Intern(value.period().id());
  if (unit >= (1u << 24) || indicator >= (1u << 16) || period >= (1u << 24)) {
    return absl::ResourceExhaustedError(
        "more units, indicators or periods than the index holds");
  }
  const uint64_t key = ValueKey(unit, indicator, period);
  std::vector<Stored>& column = columns_[ColumnKey(indicator, period)];
  if (column.size() <= unit) column.resize(unit + 1);
  Stored& slot = column[unit];
  Stored stored = Store(value.value());
  if (value.value().has_ratio()) {
    denominators_[key] = value.value().ratio().denominator();
  } else {
    denominators_.erase(key);
  }
  if (slot.kind == 0) {
    stored.late = late;
    slices_[SliceKey(unit, period)].push_back(indicator);
  } else {
    stored.late = slot.late;  // the first value's lateness stands
  }
  slot = stored;
  period_types_[indicator] = value.period().type();
  return absl::OkStatus();
}

void FeedIndex::Restore(const ingestion::v1::DataValue& value,
                        bool first_late) {
  absl::MutexLock lock(&mutex_);
  Put(value, first_late).IgnoreError();  // saved values fit: they fitted then
}

void FeedIndex::Resume(int64_t position) {
  absl::MutexLock lock(&mutex_);
  position_ = position;
}

absl::optional<common::v1::Value> FeedIndex::Reported(
    const std::string& unit, const std::string& indicator,
    const std::string& period) const {
  absl::MutexLock lock(&mutex_);
  absl::optional<uint32_t> u = units_.Find(unit);
  absl::optional<uint32_t> i = indicators_.Find(indicator);
  absl::optional<uint32_t> p = periods_.Find(period);
  if (!u || !i || !p) return absl::nullopt;
  const Stored* stored = Find(*u, *i, *p);
  if (stored == nullptr) return absl::nullopt;
  return Load(ValueKey(*u, *i, *p), *stored);
}

std::vector<absl::optional<common::v1::Value>> FeedIndex::ReportedMany(
    const std::vector<std::string>& units, const std::string& indicator,
    const std::string& period) const {
  std::vector<absl::optional<common::v1::Value>> values(units.size());
  absl::MutexLock lock(&mutex_);
  absl::optional<uint32_t> i = indicators_.Find(indicator);
  absl::optional<uint32_t> p = periods_.Find(period);
  if (!i || !p) return values;
  auto column = columns_.find(ColumnKey(*i, *p));
  if (column == columns_.end()) return values;
  for (size_t n = 0; n < units.size(); ++n) {
    absl::optional<uint32_t> u = units_.Find(units[n]);
    if (!u || *u >= column->second.size()) continue;
    const Stored& stored = column->second[*u];
    if (stored.kind != 0) values[n] = Load(ValueKey(*u, *i, *p), stored);
  }
  return values;
}

std::map<std::string, bool> FeedIndex::ReportedIndicators(
    const std::string& unit, const std::string& period) const {
  absl::MutexLock lock(&mutex_);
  std::map<std::string, bool> reported;
  absl::optional<uint32_t> u = units_.Find(unit);
  absl::optional<uint32_t> p = periods_.Find(period);
  if (!u || !p) return reported;
  auto slice = slices_.find(SliceKey(*u, *p));
  if (slice == slices_.end()) return reported;
  for (uint32_t indicator : slice->second) {
    reported[indicators_.Name(indicator)] = Find(*u, indicator, *p)->late;
  }
  return reported;
}

absl::optional<common::v1::PeriodType> FeedIndex::PeriodTypeOf(
    const std::string& indicator) const {
  absl::MutexLock lock(&mutex_);
  absl::optional<uint32_t> id = indicators_.Find(indicator);
  if (!id) return absl::nullopt;
  auto it = period_types_.find(*id);
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
