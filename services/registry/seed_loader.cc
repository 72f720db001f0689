#include "services/registry/seed_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "services/registry/agency_registry.h"
#include "services/registry/indicator_registry.h"
#include "services/registry/plan_registry.h"
#include "services/registry/unit_registry.h"

namespace lienthong::registry {
namespace {

// The same error, its message prefixed with the resource; details kept.
absl::Status Named(const absl::Status& status, absl::string_view what) {
  absl::Status named(status.code(),
                     absl::StrCat("seed ", what, ": ", status.message()));
  status.ForEachPayload(
      [&named](absl::string_view type_url, const absl::Cord& payload) {
        named.SetPayload(type_url, payload);
      });
  return named;
}

// Creates items whose dependencies (`depends`) exist, round after round, so
// parents go in before children whatever the order in the files.
template <typename Item, typename Depends, typename Create>
absl::Status InDependencyOrder(std::vector<const Item*> items, Depends depends,
                               Create create, std::set<std::string>& done,
                               absl::string_view what) {
  while (!items.empty()) {
    std::vector<const Item*> waiting;
    for (const Item* item : items) {
      std::vector<std::string> needed = depends(*item);
      bool ready =
          std::all_of(needed.begin(), needed.end(),
                      [&](const auto& n) { return done.count(n) > 0; });
      if (!ready) {
        waiting.push_back(item);
        continue;
      }
      if (absl::Status status = create(*item); !status.ok()) return status;
    }
    if (waiting.size() == items.size()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "seed ", what, ": references that no bundle defines, or a cycle"));
    }
    items = std::move(waiting);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<internal::SeedBundle>> ReadSeedBundles(
    const std::string& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot read seed directory ", dir, ": ", error.message()));
  }
  std::sort(files.begin(), files.end());
  std::vector<internal::SeedBundle> bundles;
  for (const auto& file : files) {
    std::ifstream in(file);
    std::stringstream content;
    content << in.rdbuf();
    internal::SeedBundle& bundle = bundles.emplace_back();
    auto parsed =
        google::protobuf::util::JsonStringToMessage(content.str(), &bundle);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          file.string(), ": ",
          std::string(parsed.message().data(), parsed.message().size())));
    }
  }
  return bundles;
}

absl::StatusOr<SeedLoadSummary> LoadSeedBundles(
    const std::vector<internal::SeedBundle>& bundles, const SeedTargets& to) {
  SeedLoadSummary summary;
  std::set<std::string> done;

  std::vector<const v1::AdminUnit*> units;
  std::vector<const v1::Agency*> agencies;
  std::vector<const v1::Indicator*> indicators;
  std::vector<const internal::SeedPlan*> plans;
  for (const internal::SeedBundle& bundle : bundles) {
    for (const auto& unit : bundle.units()) units.push_back(&unit);
    for (const auto& agency : bundle.agencies()) agencies.push_back(&agency);
    for (const auto& indicator : bundle.indicators()) {
      indicators.push_back(&indicator);
    }
    for (const auto& plan : bundle.plans()) plans.push_back(&plan);
  }

  for (const v1::AdminUnit* unit : units) {
    v1::CreateUnitRequest request;
    *request.mutable_unit() = *unit;
    request.set_request_id(absl::StrCat("seed:units/", unit->code()));
    absl::StatusOr<v1::AdminUnit> created = to.units->CreateUnit(request);
    if (!created.ok()) return Named(created.status(), "units/" + unit->code());
    ++summary.units;
  }

  absl::Status status = InDependencyOrder(
      agencies,
      [](const v1::Agency& agency) {
        return agency.parent_agency().empty()
                   ? std::vector<std::string>{}
                   : std::vector<std::string>{agency.parent_agency()};
      },
      [&](const v1::Agency& agency) -> absl::Status {
        v1::CreateAgencyRequest request;
        *request.mutable_agency() = agency;
        request.set_request_id(absl::StrCat("seed:agencies/", agency.code()));
        absl::StatusOr<v1::Agency> created = to.agencies->CreateAgency(request);
        if (!created.ok())
          return Named(created.status(), "agencies/" + agency.code());
        done.insert(created->name());
        ++summary.agencies;
        return absl::OkStatus();
      },
      done, "agencies");
  if (!status.ok()) return status;

  status = InDependencyOrder(
      indicators,
      [](const v1::Indicator& indicator) {
        return indicator.weight_indicator().empty()
                   ? std::vector<std::string>{}
                   : std::vector<std::string>{indicator.weight_indicator()};
      },
      [&](const v1::Indicator& indicator) -> absl::Status {
        v1::CreateIndicatorRequest request;
        *request.mutable_indicator() = indicator;
        request.set_request_id(
            absl::StrCat("seed:indicators/", indicator.code()));
        absl::StatusOr<v1::Indicator> created =
            to.indicators->CreateIndicator(request);
        if (!created.ok()) {
          return Named(created.status(), "indicators/" + indicator.code());
        }
        done.insert(created->name());
        ++summary.indicators;
        return absl::OkStatus();
      },
      done, "indicators");
  if (!status.ok()) return status;

  status = InDependencyOrder(
      plans,
      [](const internal::SeedPlan& plan) {
        return std::vector<std::string>(plan.plan().parent_plans().begin(),
                                        plan.plan().parent_plans().end());
      },
      [&](const internal::SeedPlan& seed) -> absl::Status {
        const std::string& name = seed.plan().name();
        v1::CreatePlanRequest request;
        request.set_plan_id(name.substr(sizeof("plans/") - 1));
        *request.mutable_plan() = seed.plan();
        request.set_request_id("seed:" + name);
        absl::StatusOr<v1::Plan> plan = to.plans->CreatePlan(request);
        if (!plan.ok()) return Named(plan.status(), name);
        done.insert(name);
        ++summary.plans;
        for (const v1::Target& target : seed.targets()) {
          v1::CreateTargetRequest create;
          create.set_parent(name);
          *create.mutable_target() = target;
          create.set_request_id("seed:" + target.name());
          absl::StatusOr<v1::Target> created = to.plans->CreateTarget(create);
          if (!created.ok()) return Named(created.status(), target.name());
          ++summary.targets;
        }
        for (const v1::Task& task : seed.tasks()) {
          v1::CreateTaskRequest create;
          create.set_parent(name);
          *create.mutable_task() = task;
          create.set_request_id("seed:" + task.name());
          absl::StatusOr<v1::Task> created = to.plans->CreateTask(create);
          if (!created.ok()) return Named(created.status(), task.name());
          ++summary.tasks;
        }
        return absl::OkStatus();
      },
      done, "plans");
  if (!status.ok()) return status;
  return summary;
}

}  // namespace lienthong::registry
