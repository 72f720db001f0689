// The hosted services' own figures, read from them on every scrape.

#include <string>
#include <vector>

#include "libs/metrics/metrics_http_server.h"
#include "libs/metrics/metrics_registry.h"
#include "services/documents/document_store.h"
#include "services/ingestion/value_intake.h"
#include "services/ingestion/value_store.h"
#include "services/lienthongd/daemon.h"
#include "services/reporting/feed_follower.h"
#include "services/reporting/feed_index.h"

namespace lienthong {
namespace {

using metrics::MetricType;
using metrics::Sample;

void AddIngestionMetrics(metrics::MetricsRegistry& registry,
                         const ingestion::ValueIntake* intake,
                         ingestion::ValueStore* store) {
  registry.AddCallback(
      "lienthong_ingestion_values_total",
      "Values written by accepted batches, by what the write did "
      "(created, updated, unchanged, deleted).",
      MetricType::kCounter, {"result"}, [intake] {
        const ingestion::IntakeCounts counts = intake->counts();
        return std::vector<Sample>{
            {{"created"}, static_cast<double>(counts.values_created)},
            {{"updated"}, static_cast<double>(counts.values_updated)},
            {{"unchanged"}, static_cast<double>(counts.values_unchanged)},
            {{"deleted"}, static_cast<double>(counts.values_deleted)}};
      });
  registry.AddCallback(
      "lienthong_ingestion_rows_rejected_total",
      "Rows rejected as invalid, in refused batches and partial ones.",
      MetricType::kCounter,
      [intake] { return static_cast<double>(intake->counts().rows_rejected); });
  registry.AddCallback(
      "lienthong_ingestion_batches_total",
      "Batches by outcome: written, replayed (a request_id seen before), "
      "refused (nothing written), dry_run.",
      MetricType::kCounter, {"outcome"}, [intake] {
        const ingestion::IntakeCounts counts = intake->counts();
        return std::vector<Sample>{
            {{"written"}, static_cast<double>(counts.batches_written)},
            {{"replayed"}, static_cast<double>(counts.batches_replayed)},
            {{"refused"}, static_cast<double>(counts.batches_refused)},
            {{"dry_run"}, static_cast<double>(counts.batches_dry_run)}};
      });
  registry.AddCallback(
      "lienthong_ingestion_fsyncs_total",
      "Durable commits of the value store: each one fsync, shared by the "
      "batches committed together (group commit).",
      MetricType::kCounter,
      [store] { return static_cast<double>(store->commits()); });
  registry.AddCallback(
      "lienthong_ingestion_feed_head_sequence",
      "Sequence of the latest change on the change feed.", MetricType::kGauge,
      {}, [store] {
        // No sample when the store cannot tell, rather than a false one.
        absl::StatusOr<int64_t> head = store->HeadSequence();
        if (!head.ok()) return std::vector<Sample>{};
        return std::vector<Sample>{{{}, static_cast<double>(*head)}};
      });
}

void AddReportingMetrics(metrics::MetricsRegistry& registry,
                         const reporting::FeedIndex* index,
                         const reporting::FeedFollower* follower) {
  registry.AddCallback(
      "lienthong_reporting_feed_position",
      "Sequence of the last change reporting has applied.", MetricType::kGauge,
      [index] { return static_cast<double>(index->position()); });
  // Nothing until ingestion has answered once: a follower that has heard
  // nothing cannot tell whether it is behind.
  registry.AddCallback(
      "lienthong_reporting_feed_head_sequence",
      "The feed's end as ingestion last reported it to reporting.",
      MetricType::kGauge, {}, [follower] {
        const int64_t head = follower->head_sequence();
        if (head == 0) return std::vector<Sample>{};
        return std::vector<Sample>{{{}, static_cast<double>(head)}};
      });
  registry.AddCallback(
      "lienthong_reporting_feed_lag_changes",
      "Changes on the feed reporting has not applied yet, as of ingestion's "
      "last report of the feed's end.",
      MetricType::kGauge, {}, [index, follower] {
        const int64_t head = follower->head_sequence();
        if (head == 0) return std::vector<Sample>{};
        const int64_t lag = head - index->position();
        return std::vector<Sample>{
            {{}, static_cast<double>(lag > 0 ? lag : 0)}};
      });
}

void AddDocumentMetrics(metrics::MetricsRegistry& registry,
                        documents::DocumentStore* store) {
  registry.AddCallback(
      "lienthong_documents_inbox_backlog",
      "Inbox entries of all recipients not yet acknowledged.",
      MetricType::kGauge, {}, [store] {
        absl::StatusOr<int64_t> waiting = store->CountInboxBacklog();
        if (!waiting.ok()) return std::vector<Sample>{};
        return std::vector<Sample>{{{}, static_cast<double>(*waiting)}};
      });
}

}  // namespace

absl::Status Daemon::StartMetrics(Daemon& daemon,
                                  const DaemonOptions& options) {
  metrics::MetricsRegistry& registry = *daemon.metrics_;
  if (daemon.value_intake_ != nullptr) {
    AddIngestionMetrics(registry, daemon.value_intake_.get(),
                        daemon.value_store_.get());
  }
  if (daemon.feed_follower_ != nullptr) {
    AddReportingMetrics(registry, daemon.feed_index_.get(),
                        daemon.feed_follower_.get());
  }
  if (daemon.document_store_ != nullptr) {
    AddDocumentMetrics(registry, daemon.document_store_.get());
  }
  if (options.metrics_listen.empty()) return absl::OkStatus();
  absl::StatusOr<std::unique_ptr<metrics::MetricsHttpServer>> server =
      metrics::MetricsHttpServer::Start(
          options.metrics_listen,
          [registry = daemon.metrics_.get()] { return registry->Render(); });
  if (!server.ok()) return server.status();
  daemon.metrics_server_ = *std::move(server);
  return absl::OkStatus();
}

int Daemon::metrics_port() const {
  return metrics_server_ != nullptr ? metrics_server_->port() : 0;
}

}  // namespace lienthong
