#include "services/documents/edxml_writer.h"

#include <libxml/tree.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace lienthong::documents::edxml_internal {
namespace {

const xmlChar* Xml(const char* text) {
  return reinterpret_cast<const xmlChar*>(text);
}

XmlDocPtr NewDoc() {
  EnsureLibxmlInitialized();
  return XmlDocPtr(xmlNewDoc(Xml("1.0")));
}

// Builds an envelope as a libxml2 tree. Every element is in the edXML
// namespace; the first problem found is kept in status().
class EnvelopeBuilder {
 public:
  EnvelopeBuilder() : doc_(NewDoc()) {
    if (doc_ == nullptr) {
      Fail(absl::ResourceExhaustedError(
          "libxml2 could not allocate a document"));
      return;
    }
    root_ = xmlNewDocNode(doc_.get(), nullptr, Xml(kRootName), nullptr);
    if (root_ == nullptr) {
      Fail(absl::ResourceExhaustedError("libxml2 could not allocate a node"));
      return;
    }
    xmlDocSetRootElement(doc_.get(), root_);
    const std::string href(kNamespace);
    ns_ = xmlNewNs(root_, Xml(href.c_str()), Xml(kPrefix));
    xmlSetNs(root_, ns_);
  }

  // Hands over the tree.
  XmlDocPtr Release() { return std::move(doc_); }
  xmlNode* root() { return root_; }
  const absl::Status& status() const { return status_; }
  bool ok() const { return status_.ok(); }

  // Keeps `status` unless an earlier problem was found.
  void Fail(absl::Status status) {
    if (status_.ok()) status_ = std::move(status);
  }

  // Appends an empty element `name` to `parent`.
  xmlNode* Element(xmlNode* parent, const char* name) {
    if (parent == nullptr) return nullptr;
    xmlNode* node = xmlNewChild(parent, ns_, Xml(name), nullptr);
    if (node == nullptr) {
      Fail(absl::ResourceExhaustedError("libxml2 could not allocate a node"));
    }
    return node;
  }

  // Appends <name>value</name>; an empty value is omitted unless `always`.
  void Text(xmlNode* parent, const char* name, const std::string& value,
            bool always = false) {
    if (parent == nullptr || (value.empty() && !always)) return;
    if (!IsXmlText(value)) {
      Fail(EdxmlError(kBadValue, ChildPath(parent, name),
                      "not UTF-8 text XML can carry"));
      return;
    }
    if (xmlNewTextChild(parent, ns_, Xml(name), Xml(value.c_str())) ==
        nullptr) {
      Fail(absl::ResourceExhaustedError("libxml2 could not allocate a node"));
    }
  }

  // Like Text, but a missing value is an error.
  void RequiredText(xmlNode* parent, const char* name,
                    const std::string& value) {
    if (parent == nullptr) return;
    if (value.empty()) {
      Fail(EdxmlError(kMissingElement, ChildPath(parent, name), "required"));
      return;
    }
    Text(parent, name, value);
  }

  // Appends a number; 0 is omitted, a negative one is an error.
  void Number(xmlNode* parent, const char* name, int64_t value) {
    if (value < 0) {
      Fail(EdxmlError(kBadValue, ChildPath(parent, name),
                      "must not be negative"));
      return;
    }
    if (value != 0) Text(parent, name, absl::StrCat(value));
  }

  // Appends a `yyyy/MM/dd` date; empty is omitted.
  void Date(xmlNode* parent, const char* name, const std::string& value) {
    if (!value.empty() && !IsEdxmlDate(value)) {
      Fail(
          EdxmlError(kBadValue, ChildPath(parent, name),
                     absl::StrCat("\"", value, "\" is not a yyyy/MM/dd date")));
      return;
    }
    Text(parent, name, value);
  }

 private:
  XmlDocPtr doc_;
  xmlNode* root_ = nullptr;
  xmlNs* ns_ = nullptr;
  absl::Status status_;
};

void AddOrganization(EnvelopeBuilder& b, xmlNode* parent, const char* name,
                     const v1::Organization& org) {
  xmlNode* node = b.Element(parent, name);
  b.RequiredText(node, "OrganId", org.organ_id());
  b.Text(node, "OrganizationInCharge", org.organization_in_charge());
  b.Text(node, "OrganName", org.organ_name());
  b.Text(node, "OrganAdd", org.organ_add());
  b.Text(node, "Email", org.email());
  b.Text(node, "Telephone", org.telephone());
  b.Text(node, "Fax", org.fax());
  b.Text(node, "Website", org.website());
}

void AddOtherInfo(EnvelopeBuilder& b, xmlNode* parent,
                  const v1::OtherInfo& info) {
  xmlNode* node = b.Element(parent, "OtherInfo");
  if (info.priority() != v1::PRIORITY_UNSPECIFIED) {
    const std::optional<int> number = PriorityNumber(info.priority());
    if (!number.has_value()) {
      b.Fail(EdxmlError(kBadValue, ChildPath(node, "Priority"),
                        absl::StrCat("unknown priority ", info.priority())));
      return;
    }
    b.Text(node, "Priority", absl::StrCat(*number));
  }
  b.Text(node, "SphereOfPromulgation", info.sphere_of_promulgation());
  b.Text(node, "TyperNotation", info.typer_notation());
  b.Number(node, "PromulgationAmount", info.promulgation_amount());
  b.Number(node, "PageAmount", info.page_amount());
  if (!info.appendixes().empty()) {
    xmlNode* appendixes = b.Element(node, "Appendixes");
    for (const std::string& title : info.appendixes()) {
      b.Text(appendixes, "Appendix", title, /*always=*/true);
    }
  }
}

void AddMessageHeader(EnvelopeBuilder& b, xmlNode* parent,
                      const v1::MessageHeader& h) {
  xmlNode* node = b.Element(parent, "MessageHeader");
  if (node == nullptr) return;
  if (!h.has_from()) {
    b.Fail(EdxmlError(kMissingElement, ChildPath(node, "From"),
                      "the sender is required"));
    return;
  }
  AddOrganization(b, node, "From", h.from());
  if (h.to().empty()) {
    b.Fail(EdxmlError(kMissingElement, ChildPath(node, "To"),
                      "at least one recipient is required"));
    return;
  }
  for (const v1::Organization& to : h.to()) AddOrganization(b, node, "To", to);
  if (h.has_code()) {
    xmlNode* code = b.Element(node, "Code");
    b.Text(code, "CodeNumber", h.code().code_number());
    b.Text(code, "CodeNotation", h.code().code_notation());
  }
  if (h.has_promulgation_info()) {
    xmlNode* info = b.Element(node, "PromulgationInfo");
    b.Text(info, "Place", h.promulgation_info().place());
    b.Date(info, "PromulgationDate", h.promulgation_info().promulgation_date());
  }
  if (h.has_document_type()) {
    xmlNode* type = b.Element(node, "DocumentType");
    b.Number(type, "Type", h.document_type().type());
    b.Text(type, "TypeName", h.document_type().type_name());
  }
  b.Text(node, "Subject", h.subject());
  b.Text(node, "Content", h.content());
  if (h.has_signer_info()) {
    xmlNode* signer = b.Element(node, "SignerInfo");
    b.Text(signer, "Competence", h.signer_info().competence());
    b.Text(signer, "Position", h.signer_info().position());
    b.Text(signer, "FullName", h.signer_info().full_name());
  }
  b.Date(node, "DueDate", h.due_date());
  if (!h.to_places().empty()) {
    xmlNode* places = b.Element(node, "ToPlaces");
    for (const std::string& place : h.to_places()) {
      b.Text(places, "Place", place, /*always=*/true);
    }
  }
  if (h.has_other_info()) AddOtherInfo(b, node, h.other_info());
  b.Number(node, "SteeringType", h.steering_type());
  b.Text(node, "DocumentId", h.document_id());
  if (h.has_response_for()) {
    xmlNode* response = b.Element(node, "ResponseFor");
    b.Text(response, "OrganId", h.response_for().organ_id());
    b.Text(response, "Code", h.response_for().code());
    b.Date(response, "PromulgationDate", h.response_for().promulgation_date());
    b.Text(response, "DocumentId", h.response_for().document_id());
  }
}

void AddTraceHeader(EnvelopeBuilder& b, xmlNode* parent,
                    const v1::Document& document) {
  if (document.business_type() == v1::BUSINESS_TYPE_UNSPECIFIED &&
      document.target_document().empty()) {
    return;
  }
  xmlNode* business =
      b.Element(b.Element(parent, "TraceHeaderList"), "Business");
  if (document.business_type() != v1::BUSINESS_TYPE_UNSPECIFIED) {
    const std::optional<int> doc_type =
        BusinessDocType(document.business_type());
    if (!doc_type.has_value()) {
      b.Fail(EdxmlError(
          kBadValue, ChildPath(business, "BusinessDocType"),
          absl::StrCat("unknown business type ", document.business_type())));
      return;
    }
    b.Text(business, "BusinessDocType", absl::StrCat(*doc_type));
  }
  b.Text(business, "BusinessInfo", document.target_document());
}

void AddSignature(EnvelopeBuilder& b, xmlNode* parent,
                  const v1::DetachedSignature& signature) {
  if (signature.signature().empty()) return;
  xmlNode* node = b.Element(parent, "Signature");
  b.Text(node, "SignatureValue", absl::Base64Escape(signature.signature()));
  if (!signature.signer_certificate().empty()) {
    xmlNode* x509 = b.Element(b.Element(node, "KeyInfo"), "X509Data");
    b.Text(x509, "X509Certificate",
           absl::Base64Escape(signature.signer_certificate()));
  }
}

void AddBody(EnvelopeBuilder& b, const std::vector<ManifestEntry>& entries) {
  xmlNode* body = b.Element(b.root(), "edXMLBody");
  xmlNode* manifest = b.Element(body, "edXMLManifest");
  for (const ManifestEntry& entry : entries) {
    xmlNode* reference = b.Element(manifest, "Reference");
    b.RequiredText(reference, "ContentId", entry.ref->content_id());
    b.Text(reference, "AttachmentName", entry.ref->file_name());
    b.Text(reference, "ContentType", entry.ref->mime_type());
    b.Text(reference, "Description", entry.ref->description());
    b.Text(reference, "Sha256", entry.sha256_hex);
    b.Number(reference, "Size", entry.size_bytes);
  }
  xmlNode* attachments = nullptr;
  for (const ManifestEntry& entry : entries) {
    if (entry.content == nullptr) continue;
    if (attachments == nullptr) attachments = b.Element(body, "Attachments");
    if (!b.ok() || attachments == nullptr) return;
    const std::string encoded = absl::Base64Escape(*entry.content);
    xmlNode* node = xmlNewTextChild(attachments, attachments->ns,
                                    Xml("Attachment"), Xml(encoded.c_str()));
    if (node == nullptr ||
        xmlNewProp(node, Xml("ContentId"),
                   Xml(entry.ref->content_id().c_str())) == nullptr) {
      b.Fail(absl::ResourceExhaustedError("libxml2 could not allocate a node"));
    }
  }
}

}  // namespace

absl::StatusOr<XmlDocPtr> BuildEnvelope(
    const v1::Document& document, const std::vector<ManifestEntry>& manifest,
    bool with_signature) {
  EnvelopeBuilder b;
  if (!b.ok()) return b.status();
  xmlNode* header = b.Element(b.root(), "edXMLHeader");
  AddMessageHeader(b, header, document.header());
  AddTraceHeader(b, header, document);
  if (with_signature) AddSignature(b, header, document.signature());
  AddBody(b, manifest);
  if (!b.ok()) return b.status();
  return b.Release();
}

}  // namespace lienthong::documents::edxml_internal
