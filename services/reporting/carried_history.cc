#include "services/reporting/carried_history.h"

#include <map>
#include <set>
#include <utility>

namespace lienthong::reporting {
namespace {

using registry::v1::SuccessionEvent;

absl::CivilDay EffectiveDay(const SuccessionEvent& event) {
  return absl::CivilDay(event.effective_date().year(),
                        event.effective_date().month(),
                        event.effective_date().day());
}

// The successor that receives the predecessors' history, or "" for none.
std::string Receiver(const SuccessionEvent& event) {
  if (event.successors_size() == 1) return event.successors(0).unit();
  const registry::v1::Successor* best = nullptr;
  for (const registry::v1::Successor& successor : event.successors()) {
    if (event.history_rule() == registry::v1::HISTORY_RULE_SHARES) {
      if (best == nullptr || successor.share() > best->share()) {
        best = &successor;
      }
    } else if (successor.primary()) {
      best = &successor;
    }
  }
  return best == nullptr ? std::string() : best->unit();
}

}  // namespace

std::vector<std::string> CarriedHistory(
    const registry::v1::GetUnitLineageResponse& lineage,
    const std::string& unit, absl::CivilDay date) {
  // A predecessor divided among several successors goes by that division
  // alone, even where a merge into one of the others lists it too (as the
  // national 2025 list records it).
  // Keyed by predecessor and day: a division only speaks for merges of the
  // same day, not for later ones.
  std::map<std::pair<std::string, absl::CivilDay>, std::string> divided_to;
  for (const SuccessionEvent& event : lineage.ancestry()) {
    if (EffectiveDay(event) > date || event.successors_size() < 2) continue;
    for (const std::string& predecessor : event.predecessors()) {
      divided_to[{predecessor, EffectiveDay(event)}] = Receiver(event);
    }
  }
  std::set<std::string> carriers = {unit};
  std::vector<std::string> carried;
  // Ancestry is oldest first; walking back, each event hands its
  // predecessors to a unit already known to carry into `unit`.
  for (auto event = lineage.ancestry().rbegin();
       event != lineage.ancestry().rend(); ++event) {
    if (EffectiveDay(*event) > date) continue;
    const std::string receiver = Receiver(*event);
    if (carriers.count(receiver) == 0) continue;
    for (const std::string& predecessor : event->predecessors()) {
      auto divided = divided_to.find({predecessor, EffectiveDay(*event)});
      if (divided != divided_to.end() && divided->second != receiver) continue;
      if (carriers.insert(predecessor).second) carried.push_back(predecessor);
    }
  }
  return carried;
}

}  // namespace lienthong::reporting
