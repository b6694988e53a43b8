// Helper threads (notary/background.h): a Background hands back its task's value or exception
// and waits for the task when dropped unread; a BackgroundThread starts off its creator's CPU
// and is then allowed on every CPU again, or is an ordinary thread when there is one CPU to use.
#include <sched.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "notary/background.h"

namespace {

using notary::Background;
using notary::BackgroundThread;

bool same_cpus(const cpu_set_t& a, const cpu_set_t& b) { return CPU_EQUAL(&a, &b) != 0; }

// Pins the calling (test) thread to the CPU it runs on, as `taskset -c N` pins a process, and
// gives it back its former CPUs when the scope ends.
class PinnedToThisCpu {
 public:
  PinnedToThisCpu() {
    CPU_ZERO(&before_);
    REQUIRE(sched_getaffinity(0, sizeof before_, &before_) == 0);
    cpu = sched_getcpu();
    REQUIRE(cpu >= 0);
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    REQUIRE(sched_setaffinity(0, sizeof one, &one) == 0);  // this thread only
  }
  ~PinnedToThisCpu() { (void)sched_setaffinity(0, sizeof before_, &before_); }
  PinnedToThisCpu(const PinnedToThisCpu&) = delete;
  PinnedToThisCpu& operator=(const PinnedToThisCpu&) = delete;

  int cpu = -1;
  cpu_set_t one;

 private:
  cpu_set_t before_;
};

}  // namespace

TEST_CASE("background: get() hands back the task's value") {
  Background<std::string> task([] { return std::string("timestamp bytes"); });
  REQUIRE(task.valid());
  CHECK(task.get() == "timestamp bytes");
  CHECK_FALSE(task.valid());
}

TEST_CASE("background: an exception in the task comes out of get()") {
  Background<int> task([]() -> int { throw std::runtime_error("server went away"); });
  CHECK_THROWS_WITH(task.get(), "server went away");
}

TEST_CASE("background: a value already at hand needs no thread") {
  auto task = Background<std::string>::ready("offered");
  REQUIRE(task.valid());
  CHECK(task.get() == "offered");
}

TEST_CASE("background: dropping an unread Background waits for its task") {
  // The task uses memory its creator owns (a Remote's members): it must end first.
  std::atomic<bool> finished{false};
  {
    Background<int> task([&finished] {
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      finished = true;
      return 1;
    });
  }
  CHECK(finished);
}

TEST_CASE("background: a moved-to Background still waits for the task it took over") {
  std::atomic<bool> finished{false};
  {
    Background<int> outer;
    {
      Background<int> inner([&finished] {
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        finished = true;
        return 2;
      });
      outer = std::move(inner);
    }
    CHECK(outer.valid());
  }
  CHECK(finished);
}

TEST_CASE("background thread: joins on destruction") {
  std::atomic<int> runs{0};
  {
    BackgroundThread thread([&runs] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      ++runs;
    });
  }
  CHECK(runs == 1);
}

TEST_CASE("background thread: is allowed on every CPU its creator may use once running") {
  // The placement off the creator's CPU is for the start only; a helper left pinned to the
  // other CPUs could not use its creator's CPU once the creator waits for it.
  cpu_set_t creator;
  CPU_ZERO(&creator);
  REQUIRE(sched_getaffinity(0, sizeof creator, &creator) == 0);
  cpu_set_t seen;
  CPU_ZERO(&seen);
  {
    BackgroundThread thread([&seen] { (void)sched_getaffinity(0, sizeof seen, &seen); });
  }
  CHECK(same_cpus(seen, creator));
}

TEST_CASE("background thread: starts on another CPU than its creator's when there is one") {
  cpu_set_t creator;
  CPU_ZERO(&creator);
  REQUIRE(sched_getaffinity(0, sizeof creator, &creator) == 0);
  if (CPU_COUNT(&creator) < 2) {
    WARN("one usable CPU: nothing to place");
    return;
  }
  // The creator may itself move between reading its CPU and the thread's start, so count.
  int elsewhere = 0;
  constexpr int kTries = 20;
  for (int i = 0; i < kTries; ++i) {
    const int here = sched_getcpu();
    int started_on = -1;
    {
      BackgroundThread thread([&started_on] { started_on = sched_getcpu(); });
    }
    if (started_on != here) ++elsewhere;
  }
  CHECK(elsewhere >= kTries - 3);
}

TEST_CASE("background thread: is an ordinary thread when its creator may use one CPU only") {
  const PinnedToThisCpu pinned;
  int started_on = -1;
  cpu_set_t seen;
  CPU_ZERO(&seen);
  {
    BackgroundThread thread([&] {
      started_on = sched_getcpu();
      (void)sched_getaffinity(0, sizeof seen, &seen);
    });
  }
  CHECK(started_on == pinned.cpu);
  CHECK(same_cpus(seen, pinned.one));
}

TEST_CASE("usable_cpu_count: the CPUs the calling thread may run on") {
  cpu_set_t before;
  CPU_ZERO(&before);
  REQUIRE(sched_getaffinity(0, sizeof before, &before) == 0);
  CHECK(notary::usable_cpu_count() == CPU_COUNT(&before));
  const PinnedToThisCpu pinned;
  CHECK(notary::usable_cpu_count() == 1);
}
