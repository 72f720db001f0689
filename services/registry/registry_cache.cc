#include "services/registry/registry_cache.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "libs/status/grpc_status.h"

namespace lienthong::registry {

RegistryCache::RegistryCache(std::shared_ptr<grpc::Channel> channel,
                             absl::Duration rpc_timeout)
    : rpc_timeout_(rpc_timeout),
      indicators_(v1::IndicatorService::NewStub(channel)),
      units_(v1::AdminUnitService::NewStub(channel)),
      schedules_(v1::ReportingScheduleService::NewStub(channel)),
      agencies_(v1::AgencyService::NewStub(channel)),
      watch_(v1::RegistryWatchService::NewStub(channel)),
      thread_([this] { Watch(); }) {}

RegistryCache::~RegistryCache() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
    if (watch_context_ != nullptr) watch_context_->TryCancel();
  }
  thread_.join();
}

int64_t RegistryCache::fetches() const {
  absl::MutexLock lock(&mutex_);
  return fetches_;
}

bool RegistryCache::WaitForRevision(int64_t revision, absl::Duration timeout) {
  absl::MutexLock lock(&mutex_);
  auto reached = [this, revision]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return revision_ >= revision;
  };
  return mutex_.AwaitWithTimeout(absl::Condition(&reached), timeout);
}

template <typename Message, typename Fetch>
absl::StatusOr<Message> RegistryCache::Get(const std::string& collection,
                                           const std::string& name,
                                           Fetch fetch) {
  int64_t generation = 0;
  {
    absl::MutexLock lock(&mutex_);
    Collection& cached = collections_[collection];
    // Served from memory only while the watch runs: without it, changes could
    // go unnoticed.
    if (watching_) {
      auto it = cached.entries.find(name);
      if (it != cached.entries.end()) {
        Message message;
        if (message.ParseFromString(it->second)) return message;
      }
    }
    generation = cached.generation;
    ++fetches_;
  }
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(rpc_timeout_));
  Message message;
  grpc::Status status = fetch(&context, &message);
  if (!status.ok()) return FromGrpcStatus(status);
  absl::MutexLock lock(&mutex_);
  Collection& cached = collections_[collection];
  // Keep it only if nothing was invalidated while it was in flight.
  if (cached.generation == generation) {
    cached.entries[name] = message.SerializeAsString();
  }
  return message;
}

absl::StatusOr<v1::Indicator> RegistryCache::GetIndicator(
    const std::string& name) {
  return Get<v1::Indicator>(
      "indicators", name,
      [&](grpc::ClientContext* context, v1::Indicator* indicator) {
        v1::GetIndicatorRequest request;
        request.set_name(name);
        return indicators_->GetIndicator(context, request, indicator);
      });
}

absl::StatusOr<v1::AdminUnit> RegistryCache::GetUnit(const std::string& name) {
  return Get<v1::AdminUnit>(
      "units", name, [&](grpc::ClientContext* context, v1::AdminUnit* unit) {
        v1::GetUnitRequest request;
        request.set_name(name);
        return units_->GetUnit(context, request, unit);
      });
}

absl::StatusOr<v1::GetUnitLineageResponse> RegistryCache::GetUnitLineage(
    const std::string& name) {
  // Cached with the units: a merge or split drops it like any unit change.
  return Get<v1::GetUnitLineageResponse>(
      "units", absl::StrCat(name, "/lineage"),
      [&](grpc::ClientContext* context, v1::GetUnitLineageResponse* lineage) {
        v1::GetUnitLineageRequest request;
        request.set_name(name);
        return units_->GetUnitLineage(context, request, lineage);
      });
}

absl::StatusOr<v1::Agency> RegistryCache::GetAgency(const std::string& name) {
  return Get<v1::Agency>(
      "agencies", name, [&](grpc::ClientContext* context, v1::Agency* agency) {
        v1::GetAgencyRequest request;
        request.set_name(name);
        return agencies_->GetAgency(context, request, agency);
      });
}

absl::StatusOr<v1::ReportingSchedule> RegistryCache::GetSchedule(
    const std::string& name) {
  return Get<v1::ReportingSchedule>(
      "schedules", name,
      [&](grpc::ClientContext* context, v1::ReportingSchedule* schedule) {
        v1::GetScheduleRequest request;
        request.set_name(name);
        return schedules_->GetSchedule(context, request, schedule);
      });
}

absl::StatusOr<std::vector<std::string>> RegistryCache::ListChildren(
    const std::string& parent, absl::CivilDay date) {
  // Cached with the units: a merge or split drops it like any unit change.
  absl::StatusOr<v1::ListUnitsResponse> children = Get<v1::ListUnitsResponse>(
      "units", absl::StrCat(parent, "/children@", absl::FormatCivilTime(date)),
      [&](grpc::ClientContext* context, v1::ListUnitsResponse* all) {
        v1::ListUnitsRequest request;
        request.set_parent(parent);
        request.mutable_as_of()->set_year(static_cast<int32_t>(date.year()));
        request.mutable_as_of()->set_month(date.month());
        request.mutable_as_of()->set_day(date.day());
        request.set_page_size(1000);
        grpc::Status status = units_->ListUnits(context, request, all);
        // A parent with more than a page of children: the rest on new calls.
        while (status.ok() && !all->next_page_token().empty()) {
          request.set_page_token(all->next_page_token());
          grpc::ClientContext next;
          next.set_deadline(context->deadline());
          v1::ListUnitsResponse page;
          status = units_->ListUnits(&next, request, &page);
          all->MergeFrom(page);
          all->set_next_page_token(page.next_page_token());
        }
        return status;
      });
  if (!children.ok()) return children.status();
  std::vector<std::string> names;
  for (const v1::AdminUnit& unit : children->units()) {
    names.push_back(unit.name());
  }
  return names;
}

void RegistryCache::Watch() {
  absl::Duration backoff = absl::Milliseconds(100);
  while (true) {
    grpc::ClientContext context;
    // Service-to-service calls carry a deadline; the watch resumes from the
    // revision reached when it runs out.
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::minutes(5));
    v1::WatchRegistryRequest request;
    {
      absl::MutexLock lock(&mutex_);
      if (stopping_) return;
      watch_context_ = &context;
      request.set_epoch(epoch_);
      request.set_after_revision(revision_);
    }
    std::unique_ptr<grpc::ClientReader<v1::WatchRegistryResponse>> stream =
        watch_->WatchRegistry(&context, request);
    v1::WatchRegistryResponse response;
    while (stream->Read(&response)) {
      absl::MutexLock lock(&mutex_);
      for (const std::string& collection : response.changed_collections()) {
        Collection& cached = collections_[collection];
        cached.entries.clear();
        ++cached.generation;
      }
      epoch_ = response.epoch();
      revision_ = response.revision();
      watching_ = true;
      backoff = absl::Milliseconds(100);
    }
    stream->Finish().IgnoreError();
    absl::MutexLock lock(&mutex_);
    watch_context_ = nullptr;
    // Without a watch nothing cached can be trusted.
    watching_ = false;
    for (auto& [name, cached] : collections_) {
      cached.entries.clear();
      ++cached.generation;
    }
    // Reconnect after a pause that a stop interrupts.
    auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
      return stopping_;
    };
    if (mutex_.AwaitWithTimeout(absl::Condition(&stopping), backoff)) return;
    backoff = std::min(backoff * 2, absl::Seconds(10));
  }
}

}  // namespace lienthong::registry
