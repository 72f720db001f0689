// Ingestion throughput, each figure beside the limit it is bounded by, all in
// one run on this machine:
//  (a) values/s through ImportBatches (4 streams of 5,000-value batches, each
//  acknowledged once durable; also one StreamValues call as one batch),
//  (b) unary SubmitValues RPC/s, 1 value per call, 32 concurrent callers
//  (p50/p99), (c) the storage limit: the same batches applied straight to the
//  same SQLite store from 4 threads, (d) the transport limit: the same messages
//  to a no-op gRPC service.
// Usage: ingestion [stream_rows=100000] [unary_calls=20000]. Last line: JSON.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "libs/clock/clock.h"
#include "libs/server/authorizer.h"
#include "libs/server/grpc_server.h"
#include "services/ingestion/change_notifier.h"
#include "services/ingestion/ingestion_service.h"
#include "services/ingestion/open_registry_lookup.h"
#include "services/ingestion/sqlite_value_store.h"
#include "services/ingestion/value_intake.h"

namespace lienthong::ingestion {
namespace {

constexpr int kIndicators = 20;
constexpr int kMonths = 120;  // 2016-M01 .. 2025-M12
constexpr int kUnaryCallers = 32;
constexpr int kStreams = 4;
constexpr int kBatchRows = 5000;

// Acknowledges everything without looking: the transport limit.
class NoopIngestion final : public v1::IngestionService::Service {
 public:
  grpc::Status SubmitValues(grpc::ServerContext*,
                            const v1::SubmitValuesRequest*,
                            v1::ImportSummary*) override {
    return grpc::Status::OK;
  }
  grpc::Status StreamValues(grpc::ServerContext*,
                            grpc::ServerReader<v1::StreamValuesRequest>* reader,
                            v1::ImportSummary*) override {
    v1::StreamValuesRequest message;
    while (reader->Read(&message)) {
    }
    return grpc::Status::OK;
  }
  grpc::Status ImportBatches(
      grpc::ServerContext*,
      grpc::ServerReaderWriter<v1::ImportBatchesResponse,
                               v1::ImportBatchesRequest>* stream) override {
    v1::ImportBatchesRequest request;
    for (int64_t batch = 0; stream->Read(&request); ++batch) {
      v1::ImportBatchesResponse response;
      response.set_batch(batch);
      response.mutable_summary()->set_received(request.rows_size());
      if (!stream->Write(response)) break;
    }
    return grpc::Status::OK;
  }
};

// Row `n` of a run: distinct keys across units, indicators and months.
v1::ValueRow Row(int64_t n, int run) {
  v1::ValueRow row;
  int64_t per_unit = kIndicators * kMonths;
  row.set_unit(absl::StrFormat("units/%05d", 10000 * run + n / per_unit));
  row.set_indicator(absl::StrCat("indicators/B.", n % kIndicators));
  int month = static_cast<int>((n / kIndicators) % kMonths);
  row.set_period(
      absl::StrFormat("%04d-M%02d", 2016 + month / 12, 1 + month % 12));
  row.mutable_value()->set_count(n);
  return row;
}

double Stream(v1::IngestionService::Stub& stub, int rows, int run) {
  absl::Time start = absl::Now();
  grpc::ClientContext context;
  v1::ImportSummary summary;
  auto stream = stub.StreamValues(&context, &summary);
  v1::StreamValuesRequest header;
  header.mutable_options()->set_schedule("schedules/bench");
  stream->Write(header);
  constexpr int kChunk = 5000;
  for (int first = 0; first < rows; first += kChunk) {
    v1::StreamValuesRequest chunk;
    for (int n = first; n < std::min(rows, first + kChunk); ++n) {
      *chunk.mutable_rows()->add_rows() = Row(n, run);
    }
    stream->Write(chunk);
  }
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  if (!status.ok()) {
    std::fprintf(stderr, "stream failed: %s\n", status.error_message().c_str());
    std::exit(1);
  }
  return rows / absl::ToDoubleSeconds(absl::Now() - start);
}

// Runs `work(stream)` on kStreams threads; each gets rows [first, end).
template <typename Work>
double OnStreams(int rows, Work work) {
  absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  int share = (rows + kStreams - 1) / kStreams;
  for (int s = 0; s < kStreams; ++s) {
    threads.emplace_back(work, s * share, std::min(rows, (s + 1) * share));
  }
  for (std::thread& thread : threads) thread.join();
  return rows / absl::ToDoubleSeconds(absl::Now() - start);
}

void Fail(const std::string& what) {
  std::fprintf(stderr, "%s\n", what.c_str());
  std::exit(1);
}

// Rows [first, end) on one ImportBatches stream, sent ahead of the acks.
void ImportOn(v1::IngestionService::Stub& stub, int first, int end, int run) {
  grpc::ClientContext context;
  auto stream = stub.ImportBatches(&context);
  int batches = 0;
  std::thread sender([&] {
    for (int from = first; from < end; from += kBatchRows) {
      v1::ImportBatchesRequest request;
      request.mutable_options()->set_schedule("schedules/bench");
      request.mutable_options()->set_request_id(
          absl::StrCat("bench-", run, "-", from));
      for (int n = from; n < std::min(end, from + kBatchRows); ++n) {
        *request.add_rows() = Row(n, run);
      }
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
  });
  v1::ImportBatchesResponse ack;
  while (stream->Read(&ack)) {
    if (ack.code() != 0) Fail("batch refused: " + ack.message());
    ++batches;
  }
  sender.join();
  grpc::Status status = stream->Finish();
  if (!status.ok()) Fail("import failed: " + status.error_message());
  if (batches != (end - first + kBatchRows - 1) / kBatchRows) {
    Fail("missing acknowledgements");
  }
}

double Import(v1::IngestionService::Stub& stub, int rows, int run) {
  return OnStreams(
      rows, [&](int first, int end) { ImportOn(stub, first, end, run); });
}

struct UnaryResult {
  double rpc_per_s;
  double p50_ms;
  double p99_ms;
};

UnaryResult Unary(v1::IngestionService::Stub& stub, int calls, int run) {
  std::atomic<int> next{0};
  absl::Mutex mutex;
  std::vector<double> latencies;
  absl::Time start = absl::Now();
  std::vector<std::thread> callers;
  for (int t = 0; t < kUnaryCallers; ++t) {
    callers.emplace_back([&] {
      std::vector<double> mine;
      for (int n = next++; n < calls; n = next++) {
        v1::SubmitValuesRequest request;
        request.mutable_options()->set_schedule("schedules/bench");
        *request.add_rows() = Row(n, run);
        grpc::ClientContext context;
        v1::ImportSummary summary;
        absl::Time sent = absl::Now();
        grpc::Status status = stub.SubmitValues(&context, request, &summary);
        mine.push_back(absl::ToDoubleMilliseconds(absl::Now() - sent));
        if (!status.ok()) {
          std::fprintf(stderr, "unary failed: %s\n",
                       status.error_message().c_str());
          std::exit(1);
        }
      }
      absl::MutexLock lock(&mutex);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  for (std::thread& caller : callers) caller.join();
  double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::sort(latencies.begin(), latencies.end());
  return {calls / seconds, latencies[latencies.size() / 2],
          latencies[latencies.size() * 99 / 100]};
}

// The storage limit: the same batches through the same store and durability,
// from as many threads as streams, without RPC or validation.
double Storage(SqliteValueStore& store, int rows, int run) {
  return OnStreams(rows, [&](int first, int end) {
    for (int from = first; from < end; from += kBatchRows) {
      common::v1::AuditInfo written;
      *written.mutable_time() = google::protobuf::Timestamp();
      written.set_request_id(absl::StrCat("bench-", run, "-", from));
      std::vector<ValueWrite> writes;
      for (int n = from; n < std::min(end, from + kBatchRows); ++n) {
        v1::ValueRow row = Row(n, run);
        ValueWrite write;
        write.key = {row.unit().substr(6), row.indicator().substr(11),
                     row.period()};
        write.value.set_unit(row.unit());
        write.value.set_indicator(row.indicator());
        write.value.set_schedule("schedules/bench");
        *write.value.mutable_value() = row.value();
        writes.push_back(std::move(write));
      }
      absl::StatusOr<ApplyResult> applied =
          store.Apply(std::move(writes), {}, written,
                      [](const ApplyResult&) { return std::string("x"); });
      if (!applied.ok()) Fail("storage: " + applied.status().ToString());
    }
  });
}

}  // namespace
}  // namespace lienthong::ingestion

int main(int argc, char** argv) {
  using lienthong::ClientChannelArguments;
  using lienthong::GrpcServer;
  using lienthong::ServerOptions;
  namespace ing = lienthong::ingestion;
  int stream_rows = argc > 1 ? std::atoi(argv[1]) : 100000;
  int unary_calls = argc > 2 ? std::atoi(argv[2]) : 20000;
  std::string dir = "var/bench";
  std::filesystem::create_directories(dir);
  std::string path = absl::StrCat(dir, "/ingestion.", getpid(), ".db");
  std::string storage_path = absl::StrCat(dir, "/storage.", getpid(), ".db");

  auto store = ing::SqliteValueStore::Open(path);
  auto storage_store = ing::SqliteValueStore::Open(storage_path);
  if (!store.ok() || !storage_store.ok()) {
    std::fprintf(stderr, "cannot open the stores\n");
    return 1;
  }
  lienthong::SystemClock clock;
  ing::OpenRegistryLookup registry(ing::kIndicators);
  ing::ChangeNotifier notifier;
  lienthong::AllowAllAuthorizer authorizer;
  ing::ValueIntake intake(store->get(), &registry, &clock);
  ing::IngestionServiceImpl service(&intake, store->get(), &notifier,
                                    &authorizer);
  ing::NoopIngestion noop;
  ServerOptions options;
  options.max_receive_message_bytes = 64 << 20;
  options.max_send_message_bytes = 64 << 20;
  auto real = GrpcServer::Start(
      options, {{"lienthong.ingestion.v1.IngestionService", &service}});
  auto fake = GrpcServer::Start(
      options, {{"lienthong.ingestion.v1.IngestionService", &noop}});
  if (!real.ok() || !fake.ok()) {
    std::fprintf(stderr, "cannot start the servers\n");
    return 1;
  }
  auto stub = [&](GrpcServer& server) {
    return ing::v1::IngestionService::NewStub(grpc::CreateCustomChannel(
        server.target(), grpc::InsecureChannelCredentials(),
        ClientChannelArguments(options)));
  };
  auto real_stub = stub(**real);
  auto noop_stub = stub(**fake);

  int64_t commits_before = (*store)->commits();
  double stream = ing::Import(*real_stub, stream_rows, 1);
  double noop_stream = ing::Import(*noop_stub, stream_rows, 1);
  double one_batch = ing::Stream(*real_stub, stream_rows, 3);
  ing::UnaryResult unary = ing::Unary(*real_stub, unary_calls, 2);
  ing::UnaryResult noop_unary = ing::Unary(*noop_stub, unary_calls, 2);
  int64_t commits = (*store)->commits() - commits_before;
  double storage = ing::Storage(**storage_store, stream_rows, 1);

  (*real)->Shutdown(absl::Now());
  (*fake)->Shutdown(absl::Now());
  store->reset();
  storage_store->reset();
  for (const std::string& file : {path, storage_path}) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(file + suffix);
    }
  }
  double values_per_fsync = static_cast<double>(2 * stream_rows + unary_calls) /
                            std::max<int64_t>(commits, 1);
  std::printf("%-44s %14s\n", "measure", "value");
  std::printf("%-44s %14.0f\n", "(a) ImportBatches values/s (durable)", stream);
  std::printf("%-44s %14.0f\n", "    one StreamValues batch values/s",
              one_batch);
  std::printf("%-44s %14.0f\n", "(c) storage limit values/s", storage);
  std::printf("%-44s %14.0f\n", "(d) no-op ImportBatches values/s",
              noop_stream);
  std::printf("%-44s %14.0f\n", "(b) unary RPC/s, 1 value, 32 callers",
              unary.rpc_per_s);
  std::printf("%-44s %14.0f\n", "(d) no-op unary RPC/s", noop_unary.rpc_per_s);
  std::printf("%-44s %14.2f\n", "unary p50 ms", unary.p50_ms);
  std::printf("%-44s %14.2f\n", "unary p99 ms", unary.p99_ms);
  std::printf("%-44s %14.1f\n", "values per fsync", values_per_fsync);
  std::printf("%-44s %14.2f\n", "(a)/(c)", stream / storage);
  std::printf("%-44s %14.2f\n", "(a)/(d)", stream / noop_stream);
  std::printf("%-44s %14.2f\n", "(b)/(d unary)",
              unary.rpc_per_s / noop_unary.rpc_per_s);
  std::printf(
      "{\"bench\":\"ingestion\",\"stream_values_per_s\":%.0f,"
      "\"storage_limit_values_per_s\":%.0f,\"transport_limit_values_per_s\":%."
      "0f,"
      "\"unary_rpc_per_s\":%.0f,\"noop_unary_rpc_per_s\":%.0f,"
      "\"unary_p50_ms\":%.3f,\"unary_p99_ms\":%.3f,\"values_per_fsync\":%.1f,"
      "\"one_stream_batch_values_per_s\":%.0f,"
      "\"stream_rows\":%d,\"unary_calls\":%d}\n",
      stream, storage, noop_stream, unary.rpc_per_s, noop_unary.rpc_per_s,
      unary.p50_ms, unary.p99_ms, values_per_fsync, one_batch, stream_rows,
      unary_calls);
  return 0;
}
