#ifndef SERVICES_REPORTING_ROLLUP_EXPORT_H_
#define SERVICES_REPORTING_ROLLUP_EXPORT_H_

// Rollup tables as export files (ExportRollups): CSV for spreadsheets, JSON
// Lines, and SDMX-CSV 2.0 for statistical exchange. No gRPC here; the adapter
// sends each returned string as one chunk.

#include <functional>
#include <string>
#include <vector>

#include "lienthong/reporting/v1/reporting.pb.h"
#include "lienthong/reporting/v1/reporting_service.pb.h"

namespace lienthong::reporting {

// Writes rollups in one export format, a chunk at a time, so a large table
// streams with flat memory. Formats other than JSON and SDMX_CSV (unset or
// unknown values) are written as CSV, as the contract says for unset.
class RollupExporter {
 public:
  // Gives a unit's display name for the CSV unit_name column from its resource
  // name (`units/{code}`, as the rollup carries it); "" when unknown.
  using UnitNameFn = std::function<std::string(const std::string& unit)>;

  // `unit_name` is only called for CSV (SDMX and JSON do not use it).
  RollupExporter(v1::ExportFormat format, UnitNameFn unit_name);

  // The bytes for `rollups`, preceded by the header (BOM + header row for
  // CSV; the SDMX header row) on the first call.
  std::string Write(const std::vector<v1::Rollup>& rollups);

  // Bytes that end the export (may be empty); also the header alone when Write
  // was never called, so an empty table is still a valid file. Call it last.
  std::string Finish();

 private:
  std::string Header() const;
  void AppendRow(const v1::Rollup& rollup, std::string* out) const;

  v1::ExportFormat format_;
  UnitNameFn unit_name_;
  bool header_written_ = false;
};

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_ROLLUP_EXPORT_H_
