// Reading edXML (ReadEdxml): parse (edxml_parser.h), then map the tree back
// onto the protos, checking structure and values.

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/pki/key_material.h"
#include "libs/status/status_details.h"
#include "services/documents/attachment_store.h"
#include "services/documents/document_names.h"
#include "services/documents/edxml_common.h"
#include "services/documents/edxml_package.h"
#include "services/documents/edxml_parser.h"

namespace lienthong::documents {
namespace {

using edxml_internal::ChildPath;
using edxml_internal::EdxmlError;
using edxml_internal::ElementPath;
using edxml_internal::XmlCharPtr;
using edxml_internal::XmlDocPtr;

const xmlChar* Xml(const char* text) {
  return reinterpret_cast<const xmlChar*>(text);
}

bool InEdxmlNamespace(const xmlNode* node) {
  return node->ns != nullptr && node->ns->href != nullptr &&
         absl::string_view(reinterpret_cast<const char*>(node->ns->href)) ==
             edxml_internal::kNamespace;
}

// The child elements of `parent` named `name` in the edXML namespace.
std::vector<const xmlNode*> Children(const xmlNode* parent, const char* name) {
  std::vector<const xmlNode*> found;
  if (parent == nullptr) return found;
  for (const xmlNode* child = parent->children; child != nullptr;
       child = child->next) {
    if (child->type == XML_ELEMENT_NODE && InEdxmlNamespace(child) &&
        xmlStrEqual(child->name, Xml(name))) {
      found.push_back(child);
    }
  }
  return found;
}

const xmlNode* Child(const xmlNode* parent, const char* name) {
  std::vector<const xmlNode*> found = Children(parent, name);
  return found.empty() ? nullptr : found.front();
}

std::string Content(const xmlNode* node) {
  XmlCharPtr content(xmlNodeGetContent(node));
  return content == nullptr
             ? ""
             : std::string(reinterpret_cast<const char*>(content.get()));
}

// Maps an envelope's tree onto an EdxmlPackage; the first problem found is
// kept in status_ and the rest of the walk is harmless.
class EnvelopeReader {
 public:
  explicit EnvelopeReader(const ReadOptions& options) : options_(options) {}

  absl::StatusOr<EdxmlPackage> Read(const xmlNode* root) {
    if (root == nullptr || !InEdxmlNamespace(root)) {
      return EdxmlError(edxml_internal::kWrongNamespace, "",
                        absl::StrCat("the root element must be in namespace ",
                                     edxml_internal::kNamespace));
    }
    if (!xmlStrEqual(root->name, Xml(edxml_internal::kRootName))) {
      return EdxmlError(edxml_internal::kMissingElement,
                        edxml_internal::kRootName,
                        "the root element must be edXMLEnvelope");
    }
    EdxmlPackage package;
    const xmlNode* header = Required(root, "edXMLHeader");
    ReadMessageHeader(Required(header, "MessageHeader"),
                      *package.document.mutable_header());
    ReadTraceHeader(Child(header, "TraceHeaderList"), package.document);
    if (const xmlNode* signature = Child(header, "Signature")) {
      ReadSignature(signature, *package.document.mutable_signature());
    }
    ReadBody(Required(root, "edXMLBody"), package);
    if (!status_.ok()) return status_;
    return package;
  }

 private:
  void Fail(absl::string_view reason, absl::string_view path,
            absl::string_view description) {
    if (status_.ok()) status_ = EdxmlError(reason, path, description);
  }

  const xmlNode* Required(const xmlNode* parent, const char* name) {
    if (parent == nullptr) return nullptr;
    const xmlNode* child = Child(parent, name);
    if (child == nullptr) {
      Fail(edxml_internal::kMissingElement, ChildPath(parent, name),
           "required");
    }
    return child;
  }

  // The text of child `name`; "" when absent.
  std::string Text(const xmlNode* parent, const char* name) {
    const xmlNode* child = Child(parent, name);
    return child == nullptr ? "" : Content(child);
  }

  std::string RequiredText(const xmlNode* parent, const char* name) {
    const xmlNode* child = Required(parent, name);
    if (child == nullptr) return "";
    std::string text = Content(child);
    if (text.empty()) {
      Fail(edxml_internal::kMissingElement, ElementPath(child), "empty");
    }
    return text;
  }

  // A non-negative number in child `name`; 0 when absent.
  int64_t Number(const xmlNode* parent, const char* name,
                 int64_t max = INT32_MAX) {
    const xmlNode* child = Child(parent, name);
    if (child == nullptr) return 0;
    const std::string text = Content(child);
    int64_t value = 0;
    if (!absl::SimpleAtoi(text, &value) || value < 0 || value > max) {
      Fail(edxml_internal::kBadValue, ElementPath(child),
           absl::StrCat("\"", text, "\" is not a number in 0..", max));
      return 0;
    }
    return value;
  }

  std::string Date(const xmlNode* parent, const char* name) {
    const xmlNode* child = Child(parent, name);
    if (child == nullptr) return "";
    std::string text = Content(child);
    if (!edxml_internal::IsEdxmlDate(text)) {
      Fail(edxml_internal::kBadValue, ElementPath(child),
           absl::StrCat("\"", text, "\" is not a yyyy/MM/dd date"));
    }
    return text;
  }

  // Base64 content (whitespace allowed, as other systems wrap lines).
  std::string Base64(const xmlNode* node) {
    std::string text = Content(node);
    text.erase(std::remove_if(text.begin(), text.end(),
                              [](char c) { return absl::ascii_isspace(c); }),
               text.end());
    std::string bytes;
    if (!absl::Base64Unescape(text, &bytes)) {
      Fail(edxml_internal::kBadValue, ElementPath(node), "not base64");
    }
    return bytes;
  }

  void ReadOrganization(const xmlNode* node, v1::Organization& org) {
    org.set_organ_id(RequiredText(node, "OrganId"));
    org.set_organization_in_charge(Text(node, "OrganizationInCharge"));
    org.set_organ_name(Text(node, "OrganName"));
    org.set_organ_add(Text(node, "OrganAdd"));
    org.set_email(Text(node, "Email"));
    org.set_telephone(Text(node, "Telephone"));
    org.set_fax(Text(node, "Fax"));
    org.set_website(Text(node, "Website"));
  }

  void ReadOtherInfo(const xmlNode* node, v1::OtherInfo& info) {
    if (const xmlNode* priority = Child(node, "Priority")) {
      const int64_t number = Number(node, "Priority");
      const std::optional<v1::Priority> value =
          edxml_internal::PriorityFromNumber(number);
      if (!value.has_value()) {
        Fail(edxml_internal::kBadValue, ElementPath(priority),
             "priority must be 0..4");
      } else if (status_.ok()) {
        info.set_priority(*value);
      }
    }
    info.set_sphere_of_promulgation(Text(node, "SphereOfPromulgation"));
    info.set_typer_notation(Text(node, "TyperNotation"));
    info.set_promulgation_amount(Number(node, "PromulgationAmount"));
    info.set_page_amount(Number(node, "PageAmount"));
    for (const xmlNode* appendix :
         Children(Child(node, "Appendixes"), "Appendix")) {
      info.add_appendixes(Content(appendix));
    }
  }

  void ReadMessageHeader(const xmlNode* node, v1::MessageHeader& h) {
    if (node == nullptr) return;
    if (const xmlNode* from = Required(node, "From")) {
      ReadOrganization(from, *h.mutable_from());
    }
    const std::vector<const xmlNode*> tos = Children(node, "To");
    if (tos.empty()) Required(node, "To");
    for (const xmlNode* to : tos) ReadOrganization(to, *h.add_to());
    if (const xmlNode* code = Child(node, "Code")) {
      h.mutable_code()->set_code_number(Text(code, "CodeNumber"));
      h.mutable_code()->set_code_notation(Text(code, "CodeNotation"));
    }
    if (const xmlNode* info = Child(node, "PromulgationInfo")) {
      h.mutable_promulgation_info()->set_place(Text(info, "Place"));
      h.mutable_promulgation_info()->set_promulgation_date(
          Date(info, "PromulgationDate"));
    }
    if (const xmlNode* type = Child(node, "DocumentType")) {
      h.mutable_document_type()->set_type(Number(type, "Type"));
      h.mutable_document_type()->set_type_name(Text(type, "TypeName"));
    }
    h.set_subject(Text(node, "Subject"));
    h.set_content(Text(node, "Content"));
    if (const xmlNode* signer = Child(node, "SignerInfo")) {
      h.mutable_signer_info()->set_competence(Text(signer, "Competence"));
      h.mutable_signer_info()->set_position(Text(signer, "Position"));
      h.mutable_signer_info()->set_full_name(Text(signer, "FullName"));
    }
    h.set_due_date(Date(node, "DueDate"));
    for (const xmlNode* place : Children(Child(node, "ToPlaces"), "Place")) {
      h.add_to_places(Content(place));
    }
    if (const xmlNode* other = Child(node, "OtherInfo")) {
      ReadOtherInfo(other, *h.mutable_other_info());
    }
    h.set_steering_type(Number(node, "SteeringType"));
    h.set_document_id(Text(node, "DocumentId"));
    if (const xmlNode* response = Child(node, "ResponseFor")) {
      v1::ResponseFor& r = *h.mutable_response_for();
      r.set_organ_id(Text(response, "OrganId"));
      r.set_code(Text(response, "Code"));
      r.set_promulgation_date(Date(response, "PromulgationDate"));
      r.set_document_id(Text(response, "DocumentId"));
    }
  }

  void ReadTraceHeader(const xmlNode* node, v1::Document& document) {
    const xmlNode* business = Child(node, "Business");
    if (business == nullptr) return;
    if (const xmlNode* doc_type = Child(business, "BusinessDocType")) {
      const std::optional<v1::BusinessType> type =
          edxml_internal::BusinessTypeFromDocType(
              Number(business, "BusinessDocType"));
      if (!type.has_value()) {
        Fail(edxml_internal::kBadValue, ElementPath(doc_type),
             "BusinessDocType must be 0..3");
      } else if (status_.ok()) {
        document.set_business_type(*type);
      }
    }
    document.set_target_document(Text(business, "BusinessInfo"));
  }

  void ReadSignature(const xmlNode* node, v1::DetachedSignature& signature) {
    if (const xmlNode* value = Required(node, "SignatureValue")) {
      signature.set_signature(Base64(value));
    }
    const xmlNode* certificate =
        Child(Child(Child(node, "KeyInfo"), "X509Data"), "X509Certificate");
    if (certificate != nullptr) {
      signature.set_signer_certificate(Base64(certificate));
    }
  }

  void ReadBody(const xmlNode* body, EdxmlPackage& package) {
    if (body == nullptr) return;
    absl::flat_hash_map<std::string, size_t> by_content_id;
    for (const xmlNode* reference :
         Children(Child(body, "edXMLManifest"), "Reference")) {
      EdxmlAttachment attachment;
      v1::AttachmentRef& ref = attachment.ref;
      ref.set_content_id(RequiredText(reference, "ContentId"));
      ref.set_file_name(Text(reference, "AttachmentName"));
      ref.set_mime_type(Text(reference, "ContentType"));
      ref.set_description(Text(reference, "Description"));
      attachment.sha256_hex = RequiredText(reference, "Sha256");
      if (!attachment.sha256_hex.empty() &&
          !IsSha256Hex(attachment.sha256_hex)) {
        Fail(edxml_internal::kBadValue, ChildPath(reference, "Sha256"),
             "need 64 lowercase hex digits");
      }
      ref.set_attachment(absl::StrCat(edxml_internal::kAttachmentPrefix,
                                      attachment.sha256_hex));
      ref.set_size_bytes(Number(reference, "Size", INT64_MAX));
      if (!by_content_id.emplace(ref.content_id(), package.attachments.size())
               .second) {
        Fail(edxml_internal::kBadValue, ChildPath(reference, "ContentId"),
             absl::StrCat("ContentId ", ref.content_id(), " repeats"));
      }
      package.attachments.push_back(std::move(attachment));
    }
    for (const xmlNode* node :
         Children(Child(body, "Attachments"), "Attachment")) {
      ReadAttachmentContent(node, by_content_id, package);
    }
    for (EdxmlAttachment& attachment : package.attachments) {
      if (options_.require_embedded && attachment.content.empty()) {
        Fail(edxml_internal::kMissingElement,
             absl::StrCat("edXMLBody/Attachments/Attachment[@ContentId='",
                          attachment.ref.content_id(), "']"),
             "every attachment must be embedded");
      }
      *package.document.add_attachments() = attachment.ref;
    }
  }

  void ReadAttachmentContent(
      const xmlNode* node,
      const absl::flat_hash_map<std::string, size_t>& by_content_id,
      EdxmlPackage& package) {
    XmlCharPtr id_attribute(xmlGetNoNsProp(node, Xml("ContentId")));
    if (id_attribute == nullptr) {
      Fail(edxml_internal::kMissingElement, ChildPath(node, "@ContentId"),
           "required");
      return;
    }
    const std::string content_id(
        reinterpret_cast<const char*>(id_attribute.get()));
    auto it = by_content_id.find(content_id);
    if (it == by_content_id.end()) {
      Fail(edxml_internal::kAttachmentMismatch, ElementPath(node),
           absl::StrCat("no Reference has ContentId ", content_id));
      return;
    }
    EdxmlAttachment& attachment = package.attachments[it->second];
    if (!attachment.content.empty()) {
      Fail(edxml_internal::kBadValue, ElementPath(node),
           absl::StrCat("ContentId ", content_id, " is embedded twice"));
      return;
    }
    attachment.content = Base64(node);
    const int64_t size = attachment.ref.size_bytes();
    if (size != 0 && size != static_cast<int64_t>(attachment.content.size())) {
      Fail(edxml_internal::kAttachmentMismatch, ElementPath(node),
           absl::StrCat(attachment.content.size(), " bytes, the Reference ",
                        "says ", size));
    } else if (!attachment.content.empty() &&
               pki::Sha256Hex(attachment.content) != attachment.sha256_hex) {
      Fail(edxml_internal::kAttachmentMismatch, ElementPath(node),
           "SHA-256 differs from the Reference's");
    }
  }

  const ReadOptions& options_;
  absl::Status status_;
};

}  // namespace

absl::StatusOr<EdxmlPackage> ReadEdxml(absl::string_view xml,
                                       const ReadOptions& options) {
  absl::StatusOr<XmlDocPtr> doc =
      edxml_internal::ParseUntrustedXml(xml, options.max_bytes);
  if (!doc.ok()) return doc.status();
  return EnvelopeReader(options).Read(xmlDocGetRootElement(doc->get()));
}

}  // namespace lienthong::documents
