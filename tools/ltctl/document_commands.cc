// The document exchange's commands: send (with attachments, signed), get,
// fetch and download, list, the inbox, delivery statuses and receipts.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/struct.pb.h"
#include "libs/file/read_file.h"
#include "lienthong/documents/v1/document_service.grpc.pb.h"
#include "tools/ltctl/call_status.h"
#include "tools/ltctl/command_table.h"
#include "tools/ltctl/document_transfer.h"
#include "tools/ltctl/response_printer.h"

namespace lienthong::ltctl {
namespace {

using documents::v1::DocumentService;
using Documents = DocumentService::Stub;
using google::protobuf::Message;

// A failure of a transfer: the server's refusals keep their exit status;
// DATA_LOSS and INTERNAL are local (see document_transfer.h).
int TransferFailed(const Invocation& run, const std::string& what,
                   const absl::Status& status) {
  return run.Fail(ExitCodeOf(status.code()),
                  absl::StrCat(what, ": ", DescribeError(status)));
}

// Reports a file written: "attachments/...  PATH  BYTES", or JSON.
void PrintSaved(const Invocation& run, const std::string& what,
                const std::string& path, int64_t bytes) {
  if (!run.options.json) {
    run.out << what << "\t" << path << "\t" << bytes << "\n";
    return;
  }
  google::protobuf::Struct saved;
  (*saved.mutable_fields())["source"].set_string_value(what);
  (*saved.mutable_fields())["path"].set_string_value(path);
  (*saved.mutable_fields())["bytes"].set_number_value(
      static_cast<double>(bytes));
  run.out << ToJson(saved, false) << "\n";
}

// documents send: the sender defaults to the caller's agency; --attach files
// are uploaded and listed in the manifest; --sign signs the final envelope.
int PrepareSend(const Invocation& run, Message& message) {
  const CommandOptions& options = run.options;
  documents::v1::Document& document =
      *static_cast<documents::v1::SendDocumentRequest&>(message)
           .mutable_document();
  if (document.header().from().organ_id().empty()) {
    document.mutable_header()->mutable_from()->set_organ_id(options.own_agency);
  }
  Documents stub(options.channel);
  for (const std::string& path : options.attachments) {
    absl::StatusOr<std::string> content = ReadFile(path);
    if (!content.ok()) {
      return run.Fail(kStopped, std::string(content.status().message()));
    }
    std::unique_ptr<grpc::ClientContext> context = run.NewContext();
    absl::StatusOr<documents::v1::AttachmentRef> ref =
        UploadAttachment(stub, *context, path, *content);
    if (!ref.ok()) {
      return TransferFailed(run, absl::StrCat("upload ", path), ref.status());
    }
    ref->set_content_id(absl::StrCat("cid:", document.attachments_size() + 1));
    *document.add_attachments() = *std::move(ref);
  }
  if (!options.sign) return 0;
  absl::StatusOr<std::string> cert = ReadFile(options.sign_cert_file);
  absl::StatusOr<std::string> key = ReadFile(options.sign_key_file);
  if (!cert.ok() || !key.ok()) {
    return run.Fail(
        kStopped,
        std::string((cert.ok() ? key.status() : cert.status()).message()));
  }
  if (absl::Status signed_ = SignEnvelope(*cert, *key, document);
      !signed_.ok()) {
    return run.Fail(kStopped, absl::StrCat("cannot sign: ", signed_.message()));
  }
  return 0;
}

// documents download: one attachment into --out.
int RunDownload(const Invocation& run, Message& message) {
  const auto& request =
      static_cast<const documents::v1::DownloadAttachmentRequest&>(message);
  if (run.options.out.empty()) return run.Fail(kUsage, "needs --out=FILE");
  absl::string_view sha256 = request.attachment();
  if (!absl::ConsumePrefix(&sha256, "attachments/") || sha256.size() != 64 ||
      !std::all_of(sha256.begin(), sha256.end(), [](char c) {
        return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f');
      })) {
    return run.Fail(kUsage,
                    "the attachment is attachments/{sha256}: 64 lowercase "
                    "hex digits");
  }
  Documents stub(run.options.channel);
  std::unique_ptr<grpc::ClientContext> context = run.NewContext();
  absl::StatusOr<int64_t> bytes =
      DownloadAttachment(stub, *context, request, run.options.out);
  if (!bytes.ok()) return TransferFailed(run, "download", bytes.status());
  PrintSaved(run, request.attachment(), run.options.out, *bytes);
  return 0;
}

// documents fetch: the document, as its recipient, into --out as {id}.json,
// and each of its attachments by file name.
int RunFetch(const Invocation& run, Message& message) {
  const auto& request =
      static_cast<const documents::v1::GetDocumentRequest&>(message);
  const std::string& dir = run.options.out;
  if (dir.empty()) return run.Fail(kUsage, "needs --out=DIRECTORY");
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return run.Fail(kStopped, absl::StrCat("cannot create ", dir));
  Documents stub(run.options.channel);
  documents::v1::Document document;
  grpc::Status status =
      stub.GetDocument(run.NewContext().get(), request, &document);
  if (!status.ok()) return run.CallFailed(status);
  const std::string id = SafeFileName(document.name(), "document");
  const std::string envelope = absl::StrCat(dir, "/", id, ".json");
  const std::string json = ToJson(document, true);
  // "x": the envelope never replaces an existing file.
  std::FILE* saved = std::fopen(envelope.c_str(), "wx");
  const bool written =
      saved != nullptr &&
      std::fwrite(json.data(), 1, json.size(), saved) == json.size();
  if (saved != nullptr && std::fclose(saved) != 0)
    return run.Fail(kStopped, absl::StrCat("cannot write ", envelope));
  if (!written) {
    return run.Fail(kStopped, absl::StrCat("cannot write ", envelope,
                                           " (an existing file is kept)"));
  }
  PrintSaved(run, document.name(), envelope, static_cast<int64_t>(json.size()));
  std::set<std::string> used = {id + ".json"};
  for (const documents::v1::AttachmentRef& ref : document.attachments()) {
    std::string name =
        SafeFileName(ref.file_name(), SafeFileName(ref.attachment(), "file"));
    // Two attachments of one name must not overwrite each other.
    for (int n = 2; !used.insert(name).second; ++n) {
      name = absl::StrCat(n, "-", SafeFileName(ref.file_name(), "file"));
    }
    documents::v1::DownloadAttachmentRequest download;
    download.set_attachment(ref.attachment());
    download.set_document(document.name());
    const std::string path = absl::StrCat(dir, "/", name);
    absl::StatusOr<int64_t> bytes =
        DownloadAttachment(stub, *run.NewContext(), download, path);
    if (!bytes.ok()) {
      return TransferFailed(run, absl::StrCat("download ", ref.attachment()),
                            bytes.status());
    }
    PrintSaved(run, ref.attachment(), path, *bytes);
  }
  return 0;
}

}  // namespace

void AddDocumentCommands(std::vector<Command>& t) {
  Command send("documents send",
               "--request=@send.json [--attach=KH.pdf,PL.xlsx] --sign",
               Unary(&Documents::SendDocument));
  send.takes_attachments = true;
  send.prepare = PrepareSend;
  t.push_back(send);
  // The sender's view, or with --agency a recipient's.
  t.push_back(Command("documents get", "ID [--agency=RECIPIENT]",
                      Unary(&Documents::GetDocument))
                  .Args("name", "documents/")
                  .Flags("agency=recipient"));
  // Fetching is receiving: as the caller's agency, which records arrival.
  Command fetch("documents fetch", "ID --out=DIR [--agency=RECIPIENT]",
                RequestOf<documents::v1::GetDocumentRequest>());
  fetch.Args("name", "documents/")
      .OwnAgency("recipient")
      .Flags("agency=recipient");
  fetch.takes_out = true;
  fetch.run = RunFetch;
  t.push_back(fetch);
  Command download("documents download", "SHA256 --document=ID --out=FILE",
                   RequestOf<documents::v1::DownloadAttachmentRequest>());
  download.Args("attachment", "attachments/").Flags("document");
  download.takes_out = true;
  download.run = RunDownload;
  t.push_back(download);
  t.push_back(Command("documents list", "[--agency=SENDER]",
                      Unary(&Documents::ListDocuments))
                  .OwnAgency("sender")
                  .Flags("agency=sender")
                  .Lines("documents",
                         "name create_time business_type header.to.organ_id "
                         "header.subject"));
  t.push_back(Command("documents status",
                      "ID --state=ACCEPTED [--note=...] [--handler=...]",
                      Unary(&Documents::UpdateDeliveryStatus))
                  .Args("document", "documents/")
                  .OwnAgency("recipient")
                  .Flags("agency=recipient state note handler")
                  .Lines("deliveries", "recipient state"));
  t.push_back(Command("documents edxml", "ID --out=FILE.xml",
                      Unary(&Documents::GetEdxml))
                  .Args("name", "documents/")
                  .BytesOut("edxml"));
  t.push_back(
      Command("documents import", "PACKAGE.xml", Unary(&Documents::ImportEdxml))
          .FileInto("edxml"));
  t.push_back(Command("inbox list", "[--agency=RECIPIENT]",
                      Unary(&Documents::ListInbox))
                  .OwnAgency("recipient")
                  .Flags("agency=recipient")
                  .Lines("entries",
                         "entry_id document.name document.header.from.organ_id "
                         "redeliveries document.header.subject"));
  t.push_back(Command("inbox ack", "ENTRY_ID... [--agency=RECIPIENT]",
                      Unary(&Documents::AcknowledgeInbox))
                  .Args("entry_ids")
                  .OwnAgency("recipient")
                  .Flags("agency=recipient"));
  t.push_back(Command("receipt", "ID [--agency=RECIPIENT]",
                      Unary(&Documents::GetReceipt))
                  .Args("document", "documents/")
                  .Flags("agency=recipient"));
}

}  // namespace lienthong::ltctl
