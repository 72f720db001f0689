#ifndef LIBS_PKI_OPENSSL_SUPPORT_H_
#define LIBS_PKI_OPENSSL_SUPPORT_H_

// Plumbing shared by the PKI wrappers: unique_ptr ownership of OpenSSL
// objects, this thread's OpenSSL error queue turned into an absl::Status, and
// memory BIOs.

#include <openssl/asn1.h>
#include <openssl/bio.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lienthong::pki {

// Deleter that frees an OpenSSL object with its own free function.
template <auto kFree>
struct OpenSslFree {
  template <typename T>
  void operator()(T* object) const {
    kFree(object);
  }
};

// Sole ownership of an OpenSSL object of type T, freed by kFree.
template <typename T, auto kFree>
using OpenSslPtr = std::unique_ptr<T, OpenSslFree<kFree>>;

// An owned BIO (and whatever chain hangs off it).
using UniqueBio = OpenSslPtr<BIO, BIO_free_all>;

// ErrorInfo reason of OpenSSL failures that no input explains (allocation,
// random numbers).
inline constexpr absl::string_view kOpenSslFailure = "OPENSSL_FAILURE";

// Drains this thread's OpenSSL error queue into one line ("" when empty).
std::string DrainOpenSslErrors();

// A status with `code` and `reason` whose message is `message` followed by the
// drained OpenSSL errors, if any.
absl::Status OpenSslError(
    absl::StatusCode code, absl::string_view reason, absl::string_view message,
    const std::map<std::string, std::string>& metadata = {});

// INTERNAL with reason OPENSSL_FAILURE: `what` failed for no input's fault.
absl::Status OpenSslInternalError(absl::string_view what);

// Asks OpenSSL not to free its global state at exit; call first in main().
// gRPC's threads can still be finishing as the process exits, and once
// OpenSSL's atexit handler has deleted its thread-local key, their error
// queues are never freed (LeakSanitizer reports them). The process is ending
// anyway, so the cleanup buys nothing.
void KeepOpenSslStateUntilExit();

// A read-only memory BIO over `data`, which must outlive it; null on failure.
UniqueBio ReadOnlyBio(absl::string_view data);

// An empty writable memory BIO; null on failure.
UniqueBio WritableBio();

// Everything written so far to the memory BIO `bio`.
std::string BioContents(BIO* bio);

// `time` (a certificate's or CRL's validity bound) as an absl::Time;
// InfinitePast when it is missing or does not convert.
absl::Time Asn1TimeToTime(const ASN1_TIME* time);

}  // namespace lienthong::pki

#endif  // LIBS_PKI_OPENSSL_SUPPORT_H_
