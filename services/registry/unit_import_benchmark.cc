// Loads the national unit files (34 provinces and 3,321 communes of 2025; 63
// old provinces and 10,047 old communes with their successors) into a fresh
// SQLite registry and prints the time, against a baseline measured in the same
// run: parsing the same files with protobuf's JSON parser and nothing else (the
// input limit). Usage: unit_import_benchmark [DIR]  (default
// ../shared/data/admin-units) The last line is JSON.

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"
#include "libs/clock/clock.h"
#include "services/registry/import_formats.pb.h"
#include "services/registry/sqlite_unit_store.h"
#include "services/registry/unit_import.h"

namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(1);
  }
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

int main(int argc, char** argv) {
  namespace registry = lienthong::registry;
  std::string dir = argc > 1 ? argv[1] : "../shared/data/admin-units";
  std::string current = Read(dir + "/vn_units_2025.json");
  std::string old = Read(dir + "/vn_units_old_to_2025.json");

  // Baseline: JSON parsing alone.
  absl::Time start = absl::Now();
  registry::internal::Units2025File current_file;
  registry::internal::OldTo2025File old_file;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(
           absl::StrCat("{\"provinces\":", current, "}"), &current_file,
           options)
           .ok() ||
      !google::protobuf::util::JsonStringToMessage(old, &old_file, options)
           .ok()) {
    std::fprintf(stderr, "the files do not parse\n");
    return 1;
  }
  double parse_seconds = absl::ToDoubleSeconds(absl::Now() - start);

  std::string db_dir = "var/bench";
  std::filesystem::create_directories(db_dir);
  std::string path = absl::StrCat(db_dir, "/units.", getpid(), ".db");
  lienthong::SystemClock clock;
  auto store = registry::SqliteUnitStore::Open(path, &clock);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  registry::UnitImporter importer(store->get(), &clock);
  auto request = [](registry::v1::ImportFormat format,
                    const std::string& content) {
    registry::v1::ImportUnitsRequest request;
    request.set_format(format);
    request.set_content(content);
    request.mutable_effective_date()->set_year(2025);
    request.mutable_effective_date()->set_month(7);
    request.mutable_effective_date()->set_day(1);
    request.set_legal_reference("NQ 202/2025/QH15");
    return request;
  };
  start = absl::Now();
  auto first = importer.Import(
      request(registry::v1::IMPORT_FORMAT_UNITS_2025_JSON, current));
  auto second = importer.Import(
      request(registry::v1::IMPORT_FORMAT_OLD_TO_2025_JSON, old));
  double import_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (!first.ok() || !second.ok()) {
    std::fprintf(stderr, "import failed: %s %s\n",
                 first.status().ToString().c_str(),
                 second.status().ToString().c_str());
    return 1;
  }
  start = absl::Now();
  auto again = importer.Import(
      request(registry::v1::IMPORT_FORMAT_OLD_TO_2025_JSON, old));
  double reimport_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  store->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path + suffix);
  }
  int units = first->units_created() + second->units_created();
  int events = second->events_recorded();
  std::printf("parse only (baseline): %.3f s\n", parse_seconds);
  std::printf("import both files: %.3f s (%d units, %d events, %d refused)\n",
              import_seconds, units, events, second->refused_size());
  std::printf("re-import of the mapping (no changes): %.3f s\n",
              reimport_seconds);
  std::printf(
      "{\"bench\":\"unit_import\",\"import_s\":%.3f,\"parse_only_s\":%.3f,"
      "\"ratio\":%.1f,\"reimport_s\":%.3f,\"units\":%d,\"events\":%d}\n",
      import_seconds, parse_seconds, import_seconds / parse_seconds,
      reimport_seconds, units, events);
  return again.ok() ? 0 : 1;
}
