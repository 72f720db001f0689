#ifndef SERVICES_DOCUMENTS_DOCUMENT_EXCHANGE_H_
#define SERVICES_DOCUMENTS_DOCUMENT_EXCHANGE_H_

// Document exchange between agencies, without gRPC: sending signed envelopes
// (verified before they are accepted), fetching (verified again, arrival
// recorded once), per-recipient status updates by the edXML transitions,
// revoke/update/replace of earlier documents, inboxes, signed receipts and
// edXML packages. The adapter (document_service) only converts.
//
// `caller` is the agency code of an authenticated caller, or empty on a
// trusted (loopback, plain-text) connection, where the request's own agency
// fields are believed.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "lienthong/documents/v1/document_service.pb.h"
#include "services/documents/attachment_store.h"

namespace lienthong {
class Clock;
namespace pki {
class CertificateVerifier;
}  // namespace pki
}  // namespace lienthong

namespace lienthong::documents {

class DocumentStore;
class ReceiptSigner;
struct TraceAppend;

struct DocumentExchangeOptions {
  AttachmentLimits attachment_limits;  // per attachment (default 50 MiB)
  // All attachments of one document together, in bytes.
  int64_t max_document_bytes = int64_t{200} << 20;
  int max_recipients = 1000;
  // Largest edXML package GetEdxml builds or ImportEdxml reads, in bytes
  // (embedded attachments travel base64 in one message).
  int64_t max_package_bytes = int64_t{48} << 20;
};

class DocumentExchange {
 public:
  // OK when the agency code is registered; NOT_FOUND (or INVALID_ARGUMENT)
  // when it is not; any other error fails the call UNAVAILABLE.
  using AgencyCheck = std::function<absl::Status(const std::string& code)>;

  // Everything must outlive the exchange.
  DocumentExchange(DocumentStore* store, AttachmentStore* attachments,
                   const pki::CertificateVerifier* verifier,
                   const ReceiptSigner* receipts, AgencyCheck agencies,
                   const Clock* clock, DocumentExchangeOptions options = {});

  const DocumentExchangeOptions& options() const { return options_; }
  AttachmentStore& attachments() { return *attachments_; }

  absl::StatusOr<v1::Document> Send(const std::string& caller,
                                    const v1::SendDocumentRequest& request);
  absl::StatusOr<v1::Document> Get(const std::string& caller,
                                   const v1::GetDocumentRequest& request);
  absl::StatusOr<v1::ListDocumentsResponse> List(
      const std::string& caller, const v1::ListDocumentsRequest& request);
  absl::StatusOr<v1::Document> UpdateStatus(
      const std::string& caller,
      const v1::UpdateDeliveryStatusRequest& request);
  absl::StatusOr<v1::ListInboxResponse> ListInbox(
      const std::string& caller, const v1::ListInboxRequest& request);
  absl::StatusOr<v1::AcknowledgeInboxResponse> Acknowledge(
      const std::string& caller, const v1::AcknowledgeInboxRequest& request);
  absl::StatusOr<v1::Receipt> GetReceipt(const std::string& caller,
                                         const v1::GetReceiptRequest& request);
  absl::StatusOr<v1::GetEdxmlResponse> GetEdxml(
      const std::string& caller, const v1::GetEdxmlRequest& request);
  absl::StatusOr<v1::Document> ImportEdxml(
      const std::string& caller, const v1::ImportEdxmlRequest& request);

  // OK when `caller` (an agency code, "" for the platform) may read the
  // attachment `sha256_hex` through `document_name`: the caller sent the
  // document or receives it, and the document lists the attachment. Agencies
  // must name the document (INVALID_ARGUMENT DOCUMENT_REQUIRED); otherwise
  // PERMISSION_DENIED NOT_A_RECIPIENT or NOT_FOUND ATTACHMENT_NOT_IN_DOCUMENT.
  absl::Status CheckAttachmentAccess(const std::string& caller,
                                     const std::string& document_name,
                                     const std::string& sha256_hex);

  // Inbox entries of `recipient` after `after_entry` (0 for all waiting), for
  // WatchInbox; `after_entry` moves to the last one returned.
  absl::StatusOr<std::vector<v1::InboxEntry>> InboxAfter(
      const std::string& caller, const std::string& recipient,
      int64_t& after_entry);
  // How many sends have happened; WaitForSend blocks until it passes `seen`
  // or `deadline`, and returns the new count.
  int64_t sends() const;
  int64_t WaitForSend(int64_t seen, absl::Time deadline) const;

 private:
  absl::StatusOr<v1::Document> Deliver(const std::string& caller,
                                       v1::Document document,
                                       const std::string& request_id);
  // The updates a revoke, update or replace makes to the earlier document
  // (13 on each recipient's delivery), after checking it may.
  absl::Status PlanTargetUpdates(const v1::Document& document,
                                 const std::string& id, absl::Time now,
                                 std::vector<TraceAppend>& updates);
  static google::protobuf::Timestamp ToTimestamp(absl::Time time);
  // Verifies `document`'s signature as of `at` and marks it verified.
  absl::Status VerifySignature(v1::Document& document, absl::Time at,
                               std::string* envelope_sha256) const;

  DocumentStore* store_;
  AttachmentStore* attachments_;
  const pki::CertificateVerifier* verifier_;
  const ReceiptSigner* receipts_;
  AgencyCheck agencies_;
  const Clock* clock_;
  DocumentExchangeOptions options_;

  mutable absl::Mutex mutex_;
  int64_t sends_ ABSL_GUARDED_BY(mutex_) = 0;
};

}  // namespace lienthong::documents

#endif  // SERVICES_DOCUMENTS_DOCUMENT_EXCHANGE_H_
