// Document exchange throughput over loopback gRPC, with the transport's own
// limit measured in the same run:
//   (a) documents/s: 10 KB signed documents to 5 recipients, each signed by
//       the client (Ed25519 CMS over the canonical envelope) and verified by
//       the server before it is stored durably;
//   (b) one 10 MiB attachment uploaded then downloaded in 1 MiB chunks
//       (hashed, fsynced, read back), against
//   (c) the same chunks through a no-op DocumentService that discards uploads
//       and streams downloads from memory.
// Usage: documents [documents=2000] [threads=4]. Last line: JSON.

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
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "libs/pki/key_material.h"
#include "libs/server/grpc_server.h"
#include "lienthong/documents/v1/document_service.grpc.pb.h"
#include "services/documents/document_fixture.h"

namespace {

namespace docs = lienthong::documents;
using docs::DocumentFixture;

constexpr size_t kChunk = 1 << 20;

// Discards uploads and streams downloads of `size` bytes from memory.
class NoOpDocumentService final : public docs::v1::DocumentService::Service {
 public:
  explicit NoOpDocumentService(int64_t size) : size_(size) {}
  grpc::Status UploadAttachment(
      grpc::ServerContext*,
      grpc::ServerReader<docs::v1::UploadAttachmentRequest>* reader,
      docs::v1::UploadAttachmentResponse* response) override {
    docs::v1::UploadAttachmentRequest request;
    int64_t bytes = 0;
    while (reader->Read(&request)) bytes += request.chunk().size();
    response->set_size_bytes(bytes);
    return grpc::Status::OK;
  }
  grpc::Status DownloadAttachment(
      grpc::ServerContext*, const docs::v1::DownloadAttachmentRequest*,
      grpc::ServerWriter<docs::v1::DownloadAttachmentResponse>* writer)
      override {
    docs::v1::DownloadAttachmentResponse response;
    const std::string chunk(kChunk, 'x');
    for (int64_t offset = 0; offset < size_; offset += kChunk) {
      response.set_chunk(chunk.data(),
                         std::min<int64_t>(kChunk, size_ - offset));
      response.set_offset(offset);
      if (!writer->Write(response)) break;
    }
    return grpc::Status::OK;
  }

 private:
  int64_t size_;
};

void Die(const std::string& what) {
  std::fprintf(stderr, "%s\n", what.c_str());
  std::exit(1);
}

// Uploads `content` then downloads it; seconds taken.
double RoundTrip(docs::v1::DocumentService::Stub& stub,
                 const std::string& content, const std::string& sha256) {
  const absl::Time start = absl::Now();
  grpc::ClientContext upload_context;
  docs::v1::UploadAttachmentResponse uploaded;
  auto writer = stub.UploadAttachment(&upload_context, &uploaded);
  docs::v1::UploadAttachmentRequest request;
  request.mutable_metadata()->set_file_name("bao-cao.pdf");
  request.mutable_metadata()->set_size_bytes(content.size());
  request.mutable_metadata()->set_sha256(sha256);
  writer->Write(request);
  for (size_t offset = 0; offset < content.size(); offset += kChunk) {
    request.set_chunk(content.substr(offset, kChunk));
    writer->Write(request);
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  if (!status.ok()) Die("upload failed: " + status.error_message());
  grpc::ClientContext download_context;
  docs::v1::DownloadAttachmentRequest download;
  download.set_attachment("attachments/" + sha256);
  auto reader = stub.DownloadAttachment(&download_context, download);
  docs::v1::DownloadAttachmentResponse chunk;
  size_t received = 0;
  while (reader->Read(&chunk)) received += chunk.chunk().size();
  status = reader->Finish();
  if (!status.ok() || received != content.size()) {
    Die("download failed: " + status.error_message());
  }
  return absl::ToDoubleSeconds(absl::Now() - start);
}

}  // namespace

int main(int argc, char** argv) {
  const int documents = argc > 1 ? std::atoi(argv[1]) : 2000;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 4;
  const std::string dir =
      absl::StrCat(std::filesystem::temp_directory_path().string(),
                   "/lienthong-docbench-", getpid());
  std::filesystem::remove_all(dir);
  auto fixture = DocumentFixture::Create(dir);
  if (!fixture.ok()) Die(fixture.status().ToString());
  const int64_t attachment_bytes = int64_t{10} << 20;
  NoOpDocumentService noop(attachment_bytes);
  lienthong::ServerOptions options;
  options.address = "127.0.0.1:0";
  auto real = lienthong::GrpcServer::Start(
      options,
      {{"lienthong.documents.v1.DocumentService", &(*fixture)->service()}});
  auto fake = lienthong::GrpcServer::Start(
      options, {{"lienthong.documents.v1.DocumentService", &noop}});
  if (!real.ok() || !fake.ok()) Die("cannot start the servers");
  auto stub_for = [&](const lienthong::GrpcServer& server) {
    return docs::v1::DocumentService::NewStub(
        grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", server.port()),
                                  grpc::InsecureChannelCredentials(),
                                  lienthong::ClientChannelArguments(options)));
  };
  auto real_stub = stub_for(**real);
  auto fake_stub = stub_for(**fake);

  // (a) Signed 10 KB documents to five recipients, from several threads.
  const std::vector<std::string> recipients = {
      DocumentFixture::kCommuneA, DocumentFixture::kCommuneB,
      DocumentFixture::kCommuneC, DocumentFixture::kCommuneD,
      DocumentFixture::kCommuneE};
  std::atomic<int> failures{0};
  const absl::Time docs_start = absl::Now();
  std::vector<std::thread> senders;
  for (int t = 0; t < threads; ++t) {
    senders.emplace_back([&, t] {
      for (int i = t; i < documents; i += threads) {
        docs::v1::Document document =
            (*fixture)->NewDocument(DocumentFixture::kProvince, recipients,
                                    absl::StrCat("Báo cáo số ", i));
        document.mutable_header()->set_content(std::string(10000, 'v'));
        if (!(*fixture)->Sign(document, DocumentFixture::kProvince).ok()) {
          ++failures;
          continue;
        }
        grpc::ClientContext context;
        docs::v1::SendDocumentRequest request;
        *request.mutable_document() = std::move(document);
        request.set_request_id(absl::StrCat("bench-", i));
        docs::v1::Document sent;
        if (!real_stub->SendDocument(&context, request, &sent).ok()) ++failures;
      }
    });
  }
  for (std::thread& sender : senders) sender.join();
  const double docs_seconds = absl::ToDoubleSeconds(absl::Now() - docs_start);
  if (failures > 0) Die(absl::StrCat(failures.load(), " sends failed"));
  const double docs_per_s = documents / docs_seconds;

  // (b) and (c): one 10 MiB attachment, best of three.
  std::string content(attachment_bytes, '\0');
  for (size_t i = 0; i < content.size(); ++i) {
    content[i] = static_cast<char>((i * 2654435761u) >> 24);
  }
  const std::string sha256 = lienthong::pki::Sha256Hex(content);
  double real_s = 1e9, fake_s = 1e9;
  for (int run = 0; run < 3; ++run) {
    // A new name each run, so every upload is really stored.
    content[run] ^= 1;
    const std::string run_sha = lienthong::pki::Sha256Hex(content);
    real_s = std::min(real_s, RoundTrip(*real_stub, content, run_sha));
    fake_s = std::min(fake_s, RoundTrip(*fake_stub, content, sha256));
  }
  const double megabytes = 2.0 * attachment_bytes / (1 << 20);  // up + down
  const double mb_per_s = megabytes / real_s;
  const double transport_mb_per_s = megabytes / fake_s;

  std::printf("%-52s %12s\n", "measure", "value");
  std::printf("%-52s %12.0f\n",
              "(a) documents/s, 10 KB, 5 recipients, signed+verified",
              docs_per_s);
  std::printf("%-52s %12.3f\n", "(b) 10 MiB upload + download, seconds",
              real_s);
  std::printf("%-52s %12.1f\n", "(b) attachment MiB/s (up + down)", mb_per_s);
  std::printf("%-52s %12.1f\n", "(c) no-op transport MiB/s (same chunks)",
              transport_mb_per_s);
  std::printf("%-52s %12.2f\n", "(b)/(c)", mb_per_s / transport_mb_per_s);
  std::printf(
      "{\"docs_per_s\": %.1f, \"documents\": %d, \"threads\": %d, "
      "\"attachment_10mb_roundtrip_s\": %.4f, \"attachment_mb_per_s\": %.1f, "
      "\"transport_mb_per_s\": %.1f, \"attachment_to_transport\": %.3f}\n",
      docs_per_s, documents, threads, real_s, mb_per_s, transport_mb_per_s,
      mb_per_s / transport_mb_per_s);
  (*real)->Shutdown(absl::Now());
  (*fake)->Shutdown(absl::Now());
  std::filesystem::remove_all(dir);
  return 0;
}
