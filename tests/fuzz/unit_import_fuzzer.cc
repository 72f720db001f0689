// The national unit files an operator imports (the 2025 list and the
// old-to-2025 mapping, as JSON): importing never crashes, and a refused
// file writes nothing.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "libs/clock/clock.h"
#include "services/registry/sqlite_unit_store.h"
#include "services/registry/unit_import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace registry = lienthong::registry;
  if (size == 0) return 0;
  static lienthong::FakeClock clock(absl::FromUnixSeconds(1751328000));
  // A fresh file each time (the store needs one for its reader connections).
  static const std::string path = [] {
    const char* dir = std::getenv("TEST_TMPDIR");
    return std::string(dir != nullptr ? dir : "/tmp") + "/unit_import_fuzzer." +
           std::to_string(getpid()) + ".db";
  }();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::remove((path + suffix).c_str());
  }
  absl::StatusOr<std::unique_ptr<registry::SqliteUnitStore>> store =
      registry::SqliteUnitStore::Open(path, &clock);
  if (!store.ok()) std::abort();
  registry::UnitImporter importer(store->get(), &clock);
  registry::v1::ImportUnitsRequest request;
  request.set_format(data[0] % 2 == 0
                         ? registry::v1::IMPORT_FORMAT_UNITS_2025_JSON
                         : registry::v1::IMPORT_FORMAT_OLD_TO_2025_JSON);
  request.set_content(
      std::string(reinterpret_cast<const char*>(data + 1), size - 1));
  request.mutable_effective_date()->set_year(2025);
  request.mutable_effective_date()->set_month(7);
  request.mutable_effective_date()->set_day(1);
  request.set_legal_reference("NQ 202/2025/QH15");
  absl::StatusOr<registry::v1::ImportUnitsResponse> response =
      importer.Import(request);
  if (!response.ok()) {
    registry::UnitQuery everything;
    absl::StatusOr<std::vector<registry::v1::AdminUnit>> units =
        (*store)->ListUnits(everything);
    if (!units.ok() || !units->empty()) std::abort();
  }
  return 0;
}
