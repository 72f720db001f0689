#ifndef SERVICES_REGISTRY_NOTIFYING_STORES_H_
#define SERVICES_REGISTRY_NOTIFYING_STORES_H_

// Store decorators that bump the registry revision after every committed write,
// so watchers learn of changes whichever registry made them.

#include <string>
#include <vector>

#include "services/registry/record_store.h"
#include "services/registry/registry_revision.h"
#include "services/registry/unit_store.h"

namespace lienthong::registry {

class NotifyingUnitStore final : public UnitStore {
 public:
  // `store` and `revision` must outlive this.
  NotifyingUnitStore(UnitStore* store, RegistryRevision* revision)
      : store_(store), revision_(revision) {}

  absl::StatusOr<v1::AdminUnit> GetUnit(const std::string& code) override {
    return store_->GetUnit(code);
  }
  absl::StatusOr<std::vector<v1::AdminUnit>> ListUnits(
      const UnitQuery& query) override {
    return store_->ListUnits(query);
  }
  absl::StatusOr<std::vector<v1::SuccessionEvent>> ListEvents(
      const std::string& code) override {
    return store_->ListEvents(code);
  }
  absl::StatusOr<absl::optional<std::string>> FindResponse(
      const std::string& request_id) override {
    return store_->FindResponse(request_id);
  }
  absl::StatusOr<UnitWrite> Write(UnitWrite write) override;

 private:
  UnitStore* store_;
  RegistryRevision* revision_;
};

class NotifyingRecordStore final : public RecordStore {
 public:
  // `store` and `revision` must outlive this.
  NotifyingRecordStore(RecordStore* store, RegistryRevision* revision)
      : store_(store), revision_(revision) {}

  absl::StatusOr<Record> Get(const std::string& kind,
                             const std::string& id) override {
    return store_->Get(kind, id);
  }
  absl::StatusOr<std::vector<Record>> List(const std::string& kind,
                                           const std::string& owner,
                                           const std::string& after_id,
                                           int limit) override {
    return store_->List(kind, owner, after_id, limit);
  }
  absl::StatusOr<absl::optional<std::string>> FindResponse(
      const std::string& request_id) override {
    return store_->FindResponse(request_id);
  }
  absl::StatusOr<std::vector<RecordPut>> Write(
      std::vector<RecordPut> puts, const std::string& request_id,
      const std::function<std::string(const std::vector<RecordPut>&)>& respond)
      override;

  // The watch collection a record kind belongs to ("agency" -> "agencies").
  static std::string CollectionOf(const std::string& kind);

 private:
  RecordStore* store_;
  RegistryRevision* revision_;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_NOTIFYING_STORES_H_
