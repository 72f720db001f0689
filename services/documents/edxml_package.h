#ifndef SERVICES_DOCUMENTS_EDXML_PACKAGE_H_
#define SERVICES_DOCUMENTS_EDXML_PACKAGE_H_

// edXML packages (QCVN 102:2016/BTTTT, amended by TT 01/2022/TT-BTTTT): a
// document's envelope as XML in the namespace kEdxmlNamespace, its detached
// signature, its attachment manifest and, optionally, the attachments' bytes.
//
//   edXML:edXMLEnvelope
//     edXMLHeader
//       MessageHeader     every field of v1::MessageHeader, named as in edXML
//       TraceHeaderList   Business {BusinessDocType 0..3, BusinessInfo}
//       Signature         SignatureValue, KeyInfo/X509Data/X509Certificate
//     edXMLBody
//       edXMLManifest     Reference {ContentId, AttachmentName, ContentType,
//                         Description, Sha256, Size} per attachment
//       Attachments       Attachment[@ContentId] with base64 content
//
// Empty strings, zero numbers, unset enums, unset messages and empty lists are
// omitted, so Write then Read gives back the same package. Not carried: the
// document's name and output-only fields, and a signer certificate without
// signature bytes (Signature is written only with a SignatureValue). Reading
// goes by namespace, not prefix, and ignores unknown elements and elements of
// other namespaces.
//
// Errors are INVALID_ARGUMENT with a google.rpc.ErrorInfo reason and, where a
// place in the envelope is at fault, a field violation naming its path (e.g.
// "edXMLHeader/MessageHeader/From/OrganId"):
//   EDXML_MALFORMED           not well-formed XML (libxml2's message and line)
//   EDXML_DTD_FORBIDDEN       a DOCTYPE (internal or external subset)
//   EDXML_WRONG_NAMESPACE     the root is not edXMLEnvelope of kEdxmlNamespace
//   EDXML_MISSING_ELEMENT     a required element or value is absent
//   EDXML_BAD_VALUE           a number, date, priority, hash or base64 that
//                             does not parse, or text XML cannot carry
//   EDXML_ATTACHMENT_MISMATCH embedded content whose SHA-256 or size differs
//                             from its Reference, or content no Reference names
//   EDXML_TOO_LARGE           input over ReadOptions::max_bytes
// WriteEdxml also refuses a secret document (FAILED_PRECONDITION,
// SECRET_DOCUMENT): secret documents must not travel over this platform.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "lienthong/documents/v1/document.pb.h"

namespace lienthong::documents {

// The edXML namespace of every element of an envelope.
inline constexpr absl::string_view kEdxmlNamespace =
    "http://www.mic.gov.vn/TBT/QCVN_102_2016";

// One attachment of a package: its manifest entry and, when embedded, bytes.
struct EdxmlAttachment {
  // The manifest entry; `ref.attachment` is `attachments/{sha256}`.
  v1::AttachmentRef ref;
  // SHA-256 of the content, 64 lowercase hex digits (the name's digits; when
  // empty, WriteEdxml takes them from `ref.attachment`).
  std::string sha256_hex;
  // The bytes; empty when not embedded.
  std::string content;
};

// A document as an edXML package carries it.
struct EdxmlPackage {
  // Header, business_type, target_document, signature (bytes and signer
  // certificate) and attachments (the manifest, in order). ReadEdxml leaves
  // the output-only fields and `name` empty and `secret` false.
  v1::Document document;
  // One per manifest entry, in manifest order. WriteEdxml requires
  // `document.attachments` to be empty or equal to these refs.
  std::vector<EdxmlAttachment> attachments;
};

// How WriteEdxml writes a package.
struct WriteOptions {
  // Whether to embed each attachment's content (base64) in edXMLBody; every
  // attachment then needs its content.
  bool embed_attachments = false;
};

// How ReadEdxml reads a package.
struct ReadOptions {
  // Largest input accepted, in bytes (EDXML_TOO_LARGE above it).
  int64_t max_bytes = int64_t{64} << 20;
  // Whether every Reference must have its content embedded.
  bool require_embedded = false;
};

// Writes `package` as an edXML message: UTF-8 XML, indented.
absl::StatusOr<std::string> WriteEdxml(const EdxmlPackage& package,
                                       const WriteOptions& options);

// Reads an edXML message written by WriteEdxml or another edXML system,
// checking its structure, values and embedded attachments' hashes and sizes.
absl::StatusOr<EdxmlPackage> ReadEdxml(absl::string_view xml,
                                       const ReadOptions& options);

// The bytes a sender signs for `document`: its header, trace header and
// manifest (with each attachment's SHA-256 from its name, without sizes,
// signature or content) as edXML, in exclusive XML canonical form (C14N 1.0,
// no comments). Equal documents give equal bytes; a document read back from
// WriteEdxml's output gives the same bytes as the one written.
absl::StatusOr<std::string> CanonicalEnvelope(const v1::Document& document);

}  // namespace lienthong::documents

#endif  // SERVICES_DOCUMENTS_EDXML_PACKAGE_H_
