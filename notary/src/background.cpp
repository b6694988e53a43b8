// Helper threads started on another CPU than their creator's (see background.h).
#include "notary/background.h"

#include <sched.h>

#include <algorithm>
#include <system_error>

namespace notary {
namespace {

struct Start {
  std::function<void()> body;
  bool restore = false;  // whether `allowed` is to be set again once running
  cpu_set_t allowed;
};

void* run(void* arg) {
  std::unique_ptr<Start> start(static_cast<Start*>(arg));
  // A hint only: a thread left on the other CPUs still runs correctly.
  if (start->restore) (void)sched_setaffinity(0, sizeof start->allowed, &start->allowed);
  start->body();
  return nullptr;
}

}  // namespace

int usable_cpu_count() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return 1;
  return std::max(1, CPU_COUNT(&allowed));
}

BackgroundThread::BackgroundThread(std::function<void()> body) {
  auto start = std::make_unique<Start>();
  start->body = std::move(body);
  pthread_attr_t attr;
  if (int rc = pthread_attr_init(&attr); rc != 0) {
    throw std::system_error(rc, std::generic_category(), "pthread_attr_init");
  }
  CPU_ZERO(&start->allowed);
  const int here = sched_getcpu();
  if (here >= 0 && sched_getaffinity(0, sizeof start->allowed, &start->allowed) == 0 &&
      CPU_ISSET(here, &start->allowed) && CPU_COUNT(&start->allowed) > 1) {
    cpu_set_t elsewhere = start->allowed;
    CPU_CLR(here, &elsewhere);
    start->restore = pthread_attr_setaffinity_np(&attr, sizeof elsewhere, &elsewhere) == 0;
  }
  int rc = pthread_create(&thread_, &attr, &run, start.get());
  pthread_attr_destroy(&attr);
  if (rc != 0 && start->restore) {
    // The placement failed (other CPUs not usable after all, or a sandbox that refuses
    // sched_setaffinity, EPERM): an ordinary thread then. glibc runs no start routine when
    // setting the affinity fails, so `start` is still ours.
    start->restore = false;
    rc = pthread_create(&thread_, nullptr, &run, start.get());
  }
  if (rc != 0) throw std::system_error(rc, std::generic_category(), "pthread_create");
  start.release();  // run() owns it now
}

BackgroundThread::~BackgroundThread() { pthread_join(thread_, nullptr); }

}  // namespace notary
