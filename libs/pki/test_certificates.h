#ifndef LIBS_PKI_TEST_CERTIFICATES_H_
#define LIBS_PKI_TEST_CERTIFICATES_H_

// Fixed times and certificate specs shared by the libs/pki tests, so every
// test passes time explicitly and nothing depends on the wall clock.

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/pki/certificate_authority.h"

namespace lienthong::pki::testing {

// A UTC instant.
inline absl::Time Utc(int year, int month, int day) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, 0, 0, 0),
                         absl::UTCTimeZone());
}

// "Now" in the tests: inside every validity period below.
inline absl::Time TestNow() { return Utc(2025, 7, 1); }
// Validity of test CAs.
inline absl::Time CaNotBefore() { return Utc(2025, 1, 1); }
inline absl::Time CaNotAfter() { return Utc(2035, 1, 1); }
// Validity of test leaves.
inline absl::Time LeafNotBefore() { return Utc(2025, 6, 1); }
inline absl::Time LeafNotAfter() { return Utc(2026, 6, 1); }

// A test CA valid from CaNotBefore() to CaNotAfter().
inline absl::StatusOr<CertificateAuthority> TestCa(
    const std::string& name, KeyType key_type = KeyType::kEcdsaP256) {
  return CertificateAuthority::Create(name, key_type, CaNotBefore(),
                                      CaNotAfter());
}

// An operator certificate of a ward People's Committee.
inline LeafSpec AgencyLeaf(KeyType key_type = KeyType::kEcdsaP256) {
  LeafSpec spec;
  spec.common_name = "UBND phường Hồng Hà";
  spec.agency_code = "H26.1.15";
  spec.role = "operator";
  spec.key_type = key_type;
  spec.not_before = LeafNotBefore();
  spec.not_after = LeafNotAfter();
  return spec;
}

}  // namespace lienthong::pki::testing

#endif  // LIBS_PKI_TEST_CERTIFICATES_H_
