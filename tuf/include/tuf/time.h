// Instants and RFC 3339 timestamps as notary writes them.
//
// tuf/ never reads the clock: callers pass a reference Time. Time covers years 0001-9999
// (connaisseur's fixtures expire in 2998, beyond std::chrono's nanosecond range).
#ifndef DTRUST_TUF_TIME_H_
#define DTRUST_TUF_TIME_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "tuf/result.h"

namespace tuf {

// A UTC instant: seconds since the Unix epoch plus nanoseconds in [0, 1e9).
struct Time {
  int64_t seconds = 0;
  int32_t nanos = 0;

  friend auto operator<=>(const Time&, const Time&) = default;
  friend bool operator==(const Time&, const Time&) = default;

  static Time from_unix(int64_t seconds) { return Time{seconds, 0}; }
  Time plus_seconds(int64_t delta) const { return Time{seconds + delta, nanos}; }
};

// A timestamp as written in metadata: the instant and the zone offset it was written with.
// Go keeps the offset when it re-serialises, so we do too (spec 3.2, 4.5).
struct DateTime {
  Time instant;
  int32_t offset_minutes = 0;  // 0 is written as "Z"

  friend bool operator==(const DateTime&, const DateTime&) = default;

  // Go's time.Time JSON form: RFC 3339, fraction trimmed of trailing zeros (none when zero),
  // "Z" for a zero offset, otherwise "+hh:mm"/"-hh:mm". Example "2036-11-22T11:48:14.304332064Z".
  std::string to_rfc3339() const;
};

// Parses RFC 3339 ("YYYY-MM-DDTHH:MM:SS[.frac]Z|±hh:mm"), fraction up to 9 digits, calendar
// validated (month 1-12, day within month, hour < 24, ...). Fails with kMalformed.
Result<DateTime> parse_rfc3339(std::string_view text);

// The UTC form of an instant ("Z", trimmed fraction): what dtrust writes.
std::string format_rfc3339_utc(Time t);

// Days-from-civil helpers (proleptic Gregorian), exposed for certificate dates.
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);

}  // namespace tuf

#endif  // DTRUST_TUF_TIME_H_
