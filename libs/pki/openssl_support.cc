#include "libs/pki/openssl_support.h"

#include <openssl/crypto.h>
#include <openssl/err.h>

#include <climits>
#include <ctime>

#include "absl/strings/str_cat.h"
#include "libs/status/status_details.h"

namespace lienthong::pki {

std::string DrainOpenSslErrors() {
  std::string errors;
  while (unsigned long error = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(error, buffer, sizeof(buffer));
    absl::StrAppend(&errors, errors.empty() ? "" : "; ", buffer);
  }
  return errors;
}

absl::Status OpenSslError(absl::StatusCode code, absl::string_view reason,
                          absl::string_view message,
                          const std::map<std::string, std::string>& metadata) {
  std::string errors = DrainOpenSslErrors();
  std::string text = errors.empty() ? std::string(message)
                                    : absl::StrCat(message, ": ", errors);
  return WithErrorInfo(absl::Status(code, text), reason, metadata);
}

absl::Status OpenSslInternalError(absl::string_view what) {
  return OpenSslError(absl::StatusCode::kInternal, kOpenSslFailure,
                      absl::StrCat(what, " failed"));
}

void KeepOpenSslStateUntilExit() {
  OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr);
}

UniqueBio ReadOnlyBio(absl::string_view data) {
  if (data.size() > INT_MAX) return nullptr;
  // BIO_new_mem_buf refuses a null pointer, which an empty view may hold.
  const char* bytes = data.empty() ? "" : data.data();
  return UniqueBio(BIO_new_mem_buf(bytes, static_cast<int>(data.size())));
}

UniqueBio WritableBio() { return UniqueBio(BIO_new(BIO_s_mem())); }

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  if (size <= 0 || data == nullptr) return "";
  return std::string(data, static_cast<size_t>(size));
}

absl::Time Asn1TimeToTime(const ASN1_TIME* time) {
  std::tm tm = {};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    return absl::InfinitePast();
  }
  return absl::FromTM(tm, absl::UTCTimeZone());
}

}  // namespace lienthong::pki
