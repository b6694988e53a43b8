#include "tuf/time.h"

#include <array>
#include <cstdio>

namespace tuf {
namespace {

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int64_t y, unsigned m) {
  static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` decimal digits at `pos`; false if any is not a digit.
bool read_digits(std::string_view s, std::size_t pos, std::size_t n, int64_t* out) {
  if (pos + n > s.size()) return false;
  int64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

struct Civil {
  int64_t year;
  unsigned month, day;
};

// Howard Hinnant's civil_from_days.
Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const unsigned d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const unsigned m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  return Civil{yoe + era * 400 + (m <= 2), m, d};
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::string format(Time instant, int32_t offset_minutes) {
  const int64_t local = instant.seconds + int64_t{offset_minutes} * 60;
  const int64_t days = floor_div(local, 86400);
  const int64_t secs = local - days * 86400;
  const Civil c = civil_from_days(days);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                static_cast<long long>(c.year), c.month, c.day, static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  std::string out = buf;
  if (instant.nanos != 0) {
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%09d", instant.nanos);
    std::string f = frac;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  if (offset_minutes == 0) {
    out += 'Z';
  } else {
    const int32_t a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
    out += buf;
  }
  return out;
}

}  // namespace

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string DateTime::to_rfc3339() const { return format(instant, offset_minutes); }

std::string format_rfc3339_utc(Time t) { return format(t, 0); }

Result<DateTime> parse_rfc3339(std::string_view s) {
  auto bad = [&](const char* why) {
    return make_error(ErrorKind::kMalformed, "",
                      "invalid RFC 3339 time \"" + std::string(s.substr(0, 64)) + "\": " + why);
  };
  int64_t year, month, day, hour, minute, second;
  if (s.size() < 20 || !read_digits(s, 0, 4, &year) || s[4] != '-' ||
      !read_digits(s, 5, 2, &month) || s[7] != '-' || !read_digits(s, 8, 2, &day) ||
      (s[10] != 'T' && s[10] != 't') || !read_digits(s, 11, 2, &hour) || s[13] != ':' ||
      !read_digits(s, 14, 2, &minute) || s[16] != ':' || !read_digits(s, 17, 2, &second)) {
    return bad("expected YYYY-MM-DDTHH:MM:SS");
  }
  if (month < 1 || month > 12) return bad("month out of range");
  if (day < 1 || day > days_in_month(year, static_cast<unsigned>(month))) {
    return bad("day out of range");
  }
  if (hour > 23 || minute > 59 || second > 59) return bad("time of day out of range");
  std::size_t pos = 19;
  int32_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (++digits > 9) return bad("more than 9 fraction digits");
      nanos = nanos * 10 + (s[pos] - '0');
      ++pos;
    }
    if (digits == 0) return bad("empty fraction");
    for (std::size_t i = digits; i < 9; ++i) nanos *= 10;
  }
  int32_t offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int64_t oh, om;
    if (!read_digits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !read_digits(s, pos + 4, 2, &om) || oh > 23 || om > 59) {
      return bad("bad zone offset");
    }
    offset = static_cast<int32_t>((oh * 60 + om) * (s[pos] == '-' ? -1 : 1));
    pos += 6;
  } else {
    return bad("missing zone");
  }
  if (pos != s.size()) return bad("trailing characters");
  const int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const int64_t local = days * 86400 + hour * 3600 + minute * 60 + second;
  return DateTime{Time{local - int64_t{offset} * 60, nanos}, offset};
}

}  // namespace tuf
