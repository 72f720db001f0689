#include "tools/ltctl/value_push.h"

#include <openssl/evp.h>

#include <cstdio>
#include <deque>
#include <memory>
#include <thread>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/client_context.h"
#include "tools/ltctl/value_file.h"

namespace lienthong::ltctl {
namespace {

void Add(const ingestion::v1::ImportSummary& from,
         ingestion::v1::ImportSummary& to) {
  to.set_received(to.received() + from.received());
  to.set_created(to.created() + from.created());
  to.set_updated(to.updated() + from.updated());
  to.set_unchanged(to.unchanged() + from.unchanged());
  to.set_deleted(to.deleted() + from.deleted());
  to.set_rejected(to.rejected() + from.rejected());
  to.set_last_sequence(std::max(to.last_sequence(), from.last_sequence()));
}

}  // namespace

absl::StatusOr<std::string> RequestIdPrefix(const std::string& path,
                                            const PushOptions& options) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(
      std::fopen(path.c_str(), "rb"), &std::fclose);
  if (file == nullptr) return absl::NotFoundError(absl::StrCat("no ", path));
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> sha(EVP_MD_CTX_new(),
                                                         &EVP_MD_CTX_free);
  EVP_DigestInit_ex(sha.get(), EVP_sha256(), nullptr);
  std::string header = absl::StrCat(
      options.schedule, "\n", options.mode, "\n", options.batch_rows, "\n",
      options.source_system, "\n", options.accept_partial, "\n");
  EVP_DigestUpdate(sha.get(), header.data(), header.size());
  char buffer[1 << 16];
  size_t read;
  while ((read = std::fread(buffer, 1, sizeof(buffer), file.get())) > 0) {
    EVP_DigestUpdate(sha.get(), buffer, read);
  }
  if (std::ferror(file.get())) {
    return absl::DataLossError(absl::StrCat("cannot read ", path));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(sha.get(), digest, &size);
  // 128 bits name a push well enough; the batch index follows.
  return absl::StrCat("ltctl-", absl::BytesToHexString(absl::string_view(
                                    reinterpret_cast<const char*>(digest),
                                    std::min(size, 16u))));
}

PushReport PushValues(ingestion::v1::IngestionService::StubInterface& ingestion,
                      ValueFileReader& reader,
                      const std::string& request_id_prefix,
                      const PushOptions& options,
                      const std::function<void(const PushReport&)>& on_batch) {
  grpc::ClientContext context;
  std::unique_ptr<
      grpc::ClientReaderWriterInterface<ingestion::v1::ImportBatchesRequest,
                                        ingestion::v1::ImportBatchesResponse>>
      stream = ingestion.ImportBatches(&context);

  // The file lines of each batch in flight, for placing rejected rows.
  absl::Mutex mutex;
  std::deque<std::vector<int>> in_flight;
  absl::Status read_error;
  std::thread sender([&] {
    for (int64_t batch = 0;; ++batch) {
      absl::StatusOr<std::vector<ingestion::v1::ValueRow>> rows =
          reader.Next(options.batch_rows);
      if (!rows.ok()) {
        absl::MutexLock lock(&mutex);
        read_error = rows.status();
        break;
      }
      if (rows->empty()) break;
      ingestion::v1::ImportBatchesRequest request;
      ingestion::v1::BatchOptions* batch_options = request.mutable_options();
      batch_options->set_schedule(options.schedule);
      batch_options->set_mode(options.mode);
      batch_options->set_dry_run(options.dry_run);
      batch_options->set_accept_partial(options.accept_partial);
      if (!options.dry_run) {
        batch_options->set_request_id(
            absl::StrCat(request_id_prefix, "-", batch));
      }
      for (ingestion::v1::ValueRow& row : *rows) {
        if (row.source_system().empty()) {
          row.set_source_system(options.source_system);
        }
        *request.add_rows() = std::move(row);
      }
      {
        absl::MutexLock lock(&mutex);
        in_flight.push_back(reader.lines());
      }
      if (!stream->Write(request)) break;  // the stream broke; Finish says why
    }
    stream->WritesDone();
  });

  PushReport report;
  ingestion::v1::ImportBatchesResponse ack;
  while (stream->Read(&ack)) {
    std::vector<int> lines;
    {
      absl::MutexLock lock(&mutex);
      if (!in_flight.empty()) {
        lines = std::move(in_flight.front());
        in_flight.pop_front();
      }
    }
    auto line_of = [&lines](int row) {
      return row >= 0 && row < static_cast<int>(lines.size()) ? lines[row] : 0;
    };
    ++report.batches;
    if (ack.summary().replayed()) ++report.batches_replayed;
    if (ack.code() != 0) {
      ++report.batches_refused;
      report.batch_errors.push_back(absl::StrCat(
          "batch ", ack.batch(), " (lines ", lines.empty() ? 0 : lines.front(),
          "-", lines.empty() ? 0 : lines.back(), "): ", ack.message()));
    }
    Add(ack.summary(), report.totals);
    for (const common::v1::RowProblem& problem : ack.summary().problems()) {
      report.problems.push_back({line_of(problem.row()), problem.field(),
                                 problem.reason(), problem.description()});
    }
    if (on_batch) on_batch(report);
  }
  sender.join();
  grpc::Status status = stream->Finish();
  if (!status.ok()) {
    report.stopped = absl::Status(
        static_cast<absl::StatusCode>(status.error_code()),
        absl::StrCat("the stream broke after ", report.batches,
                     " acknowledged batches: ", status.error_message()));
  } else if (!read_error.ok()) {
    report.stopped = read_error;
  }
  return report;
}

}  // namespace lienthong::ltctl
