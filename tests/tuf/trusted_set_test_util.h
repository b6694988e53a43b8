// Helpers for the trusted set tests: the real notary repository (fixtures/delegations) to mutate,
// and the check that verifying it fails with a given error kind for a given role.
#ifndef DTRUST_TESTS_TUF_TRUSTED_SET_TEST_UTIL_H_
#define DTRUST_TESTS_TUF_TRUSTED_SET_TEST_UTIL_H_

#include <catch2/catch.hpp>
#include <string>

#include "test_repo.h"
#include "tuf/builder.h"

namespace trusted_set_test {

// A copy of the real repository, re-signed; each test mutates its own copy.
inline testing::TestRepo real_repo() {
  static const testing::TestRepo base = testing::TestRepo::from_fixture("delegations");
  return base;
}

// Verifying `repo` at its `now` (with `floors`) fails with `kind`, for `role` of `repo.gun`.
inline void require_fails(const testing::TestRepo& repo, tuf::ErrorKind kind,
                          const std::string& role, tuf::VersionFloors floors = {}) {
  tuf::Status s = repo.verify(repo.now, {}, floors);
  REQUIRE_FALSE(s.ok());
  INFO(s.error().message());
  CHECK(s.error().kind == kind);
  CHECK(s.error().role == role);
  CHECK(s.error().gun == repo.gun);
}

}  // namespace trusted_set_test

#endif  // DTRUST_TESTS_TUF_TRUSTED_SET_TEST_UTIL_H_
