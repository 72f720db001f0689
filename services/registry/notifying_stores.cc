#include "services/registry/notifying_stores.h"

#include <set>
#include <utility>

namespace lienthong::registry {

absl::StatusOr<UnitWrite> NotifyingUnitStore::Write(UnitWrite write) {
  absl::StatusOr<UnitWrite> written = store_->Write(std::move(write));
  if (written.ok() && (!written->puts.empty() || !written->events.empty())) {
    revision_->Bump("units");
  }
  return written;
}

std::string NotifyingRecordStore::CollectionOf(const std::string& kind) {
  if (kind == "agency") return "agencies";
  if (kind == "indicator") return "indicators";
  if (kind == "schedule") return "schedules";
  return "plans";  // plans, targets, tasks, progress
}

absl::StatusOr<std::vector<RecordPut>> NotifyingRecordStore::Write(
    std::vector<RecordPut> puts, const std::string& request_id,
    const std::function<std::string(const std::vector<RecordPut>&)>& respond) {
  absl::StatusOr<std::vector<RecordPut>> written =
      store_->Write(std::move(puts), request_id, respond);
  if (written.ok()) {
    std::set<std::string> collections;
    for (const RecordPut& put : *written) {
      collections.insert(CollectionOf(put.record.kind));
    }
    for (const std::string& collection : collections)
      revision_->Bump(collection);
  }
  return written;
}

}  // namespace lienthong::registry
