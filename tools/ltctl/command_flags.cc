#include "tools/ltctl/command_flags.h"

#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/file/read_file.h"
#include "libs/pki/identity.h"
#include "libs/pki/key_material.h"

// Defined in ltctl.cc, shared with push.
ABSL_DECLARE_FLAG(std::string, cert);
ABSL_DECLARE_FLAG(std::string, key);
ABSL_DECLARE_FLAG(std::string, output);

ABSL_FLAG(std::string, request, "",
          "the request in protobuf's JSON mapping, or @FILE holding it; "
          "flags and arguments are set on top");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(30),
          "deadline of each call of a command");
ABSL_FLAG(std::vector<std::string>, attach, {},
          "documents send: files to upload and attach, comma-separated");
ABSL_FLAG(bool, sign, false,
          "documents send: sign the envelope (CMS, detached) with "
          "--sign_cert and --sign_key");
ABSL_FLAG(std::string, sign_cert, "",
          "PEM certificate signing documents; default --cert");
ABSL_FLAG(std::string, sign_key, "",
          "PEM private key signing documents; default --key");
ABSL_FLAG(std::string, out, "",
          "documents download/edxml: the file to write; documents fetch: the "
          "directory");

// Convenience flags: each sets one request field (see `ltctl --help` on the
// command list). Resource flags take a bare id: --unit=298 is units/298.
ABSL_FLAG(std::string, unit, "",
          "a unit, units/{code} or {code}; rollups take several, "
          "comma-separated (as --indicator and --period)");
ABSL_FLAG(std::string, period, "", "a period, e.g. 2025-M05, 2025-Q2");
ABSL_FLAG(std::string, indicator, "", "an indicator, indicators/{code}");
ABSL_FLAG(std::string, plan, "", "a plan, plans/{id}");
ABSL_FLAG(std::string, agency, "",
          "an agency, agencies/{code}: the recipient (inbox, status, "
          "receipt) or sender (documents list); default this --cert's");
ABSL_FLAG(std::string, parent, "", "a parent unit (units list, reparent)");
ABSL_FLAG(std::string, document, "", "a document, documents/{id}");
ABSL_FLAG(std::string, year, "", "a year, e.g. 2025");
ABSL_FLAG(std::string, as_of, "", "a date, YYYY-MM-DD");
ABSL_FLAG(std::string, level, "", "a unit level: PROVINCE, DISTRICT, COMMUNE");
ABSL_FLAG(std::string, status, "",
          "a plan or task status, e.g. ISSUED, IN_PROGRESS, DONE");
ABSL_FLAG(std::string, state, "",
          "documents status: ARRIVED, REFUSED, ACCEPTED, ASSIGNED, HANDLING, "
          "DONE, ...");
ABSL_FLAG(std::string, note, "", "a note, e.g. the reason for a refusal");
ABSL_FLAG(std::string, handler, "", "documents status: who handles it");
ABSL_FLAG(std::string, format, "",
          "units import: UNITS_2025_JSON or OLD_TO_2025_JSON");
ABSL_FLAG(std::string, effective_date, "", "first day of a change, YYYY-MM-DD");
ABSL_FLAG(std::string, legal_reference, "",
          "units merge/split/rename/reparent/import: the legal act, e.g. "
          "\"NQ 1656/NQ-UBTVQH15\"");
ABSL_FLAG(std::string, display_name, "", "units rename: the new name");
ABSL_FLAG(bool, include_children, false, "rollups: also each unit's children");
ABSL_FLAG(bool, include_cascade, false,
          "achievement, tasks summary: also the plans implementing the plan");
ABSL_FLAG(std::string, request_id, "",
          "idempotency key: a retried write with the same key applies once");
ABSL_FLAG(std::string, page_size, "", "lists: items per page, 0-1000");
ABSL_FLAG(std::string, page_token, "", "lists: the page to read");

namespace lienthong::ltctl {
namespace {

// The agency code a certificate speaks for.
absl::StatusOr<std::string> AgencyOf(const std::string& cert_file) {
  absl::StatusOr<std::string> pem = ReadFile(cert_file);
  if (!pem.ok()) return pem.status();
  absl::StatusOr<pki::Certificate> certificate = pki::ParseCertificatePem(*pem);
  if (!certificate.ok()) return certificate.status();
  absl::StatusOr<pki::Identity> identity =
      pki::IdentityFromCertificate(certificate->get());
  if (!identity.ok()) return identity.status();
  return identity->agency_code;
}

}  // namespace

absl::StatusOr<CommandOptions> CommandOptionsFromFlags(
    std::shared_ptr<grpc::Channel> channel) {
  CommandOptions options;
  options.channel = std::move(channel);
  options.timeout = absl::GetFlag(FLAGS_timeout);
  if (options.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--timeout must be positive");
  }
  options.json = absl::GetFlag(FLAGS_output) == "json";
  options.request = absl::GetFlag(FLAGS_request);
  // Only the flags given: the command refuses those it has no use for.
  for (const std::string& name : ConvenienceFlags()) {
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag != nullptr && flag->CurrentValue() != flag->DefaultValue()) {
      options.flags[name] = flag->CurrentValue();
    }
  }
  const std::string cert = absl::GetFlag(FLAGS_cert);
  if (!cert.empty()) {
    absl::StatusOr<std::string> agency = AgencyOf(cert);
    if (!agency.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--cert: ", agency.status().message()));
    }
    options.own_agency = *agency;
  }
  options.attachments = absl::GetFlag(FLAGS_attach);
  options.sign = absl::GetFlag(FLAGS_sign);
  options.sign_cert_file = absl::GetFlag(FLAGS_sign_cert);
  options.sign_key_file = absl::GetFlag(FLAGS_sign_key);
  if (options.sign_cert_file.empty()) options.sign_cert_file = cert;
  if (options.sign_key_file.empty()) {
    options.sign_key_file = absl::GetFlag(FLAGS_key);
  }
  if (options.sign &&
      (options.sign_cert_file.empty() || options.sign_key_file.empty())) {
    return absl::InvalidArgumentError(
        "--sign needs --sign_cert and --sign_key (or --cert and --key)");
  }
  options.out = absl::GetFlag(FLAGS_out);
  return options;
}

}  // namespace lienthong::ltctl
