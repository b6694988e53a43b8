// Work handed to a helper thread that starts on another CPU than the thread handing it over.
//
// Linux usually queues a new thread on its creator's CPU. There the thread waits for the
// creator's time slice to run out, about 1.5 ms on the 2-CPU machines measured, even while
// another CPU idles. The commands' helpers carry whole chains of a command (the TLS set-up and
// first download of a publish, the cache read and root check of a warm look-up), so that wait
// lands on the command's critical path. Started elsewhere at once, a publish of 100 staged
// changes went from a median of 15.4 to 14.5 ms (two sets of 60 interleaved runs); the warm
// look-up's helper, which used to move itself off its creator's CPU once it first ran, went from
// a mean of 5.56 to 5.31 ms (two sets of 400).
//
// Threads whose creator waits for them at once (resolve's one thread per argument, the sync's
// delegation downloads) free the creator's CPU straight away and keep std::async.
#ifndef DTRUST_NOTARY_BACKGROUND_H_
#define DTRUST_NOTARY_BACKGROUND_H_

#include <pthread.h>

#include <functional>
#include <future>
#include <memory>
#include <type_traits>
#include <utility>

namespace notary {

// How many CPUs the calling thread may run on (its affinity mask); 1 when the mask cannot be
// read (e.g. more than 1,024 CPUs).
int usable_cpu_count();

// A joinable thread. It is created allowed on every CPU the creating thread may use except the
// one it runs on, so it starts there at once; its first act is to allow all of them again. It
// is an ordinary thread when the creator may use one CPU only, when the current CPU or the
// CPU mask cannot be read (e.g. more than 1,024 CPUs), or when the placement is refused.
// `body` must not throw (as with std::thread, an exception ends the process); Background<T>
// carries exceptions to its get(). Throws std::system_error when no thread can be made.
class BackgroundThread {
 public:
  explicit BackgroundThread(std::function<void()> body);
  ~BackgroundThread();  // joins
  BackgroundThread(const BackgroundThread&) = delete;
  BackgroundThread& operator=(const BackgroundThread&) = delete;

 private:
  pthread_t thread_;
};

// A callable that takes no arguments and returns a T.
template <class Task, class T>
concept TaskReturning = std::is_invocable_r_v<T, Task&>;

// A value computed by `task` on a BackgroundThread: std::async(std::launch::async, task)
// with the placement above. Like std::async's future, destruction waits for the task, and so
// does assigning another Background over one whose task still runs.
template <class T>
class Background {
 public:
  Background() = default;
  template <TaskReturning<T> Task>
  explicit Background(Task task) {
    auto packaged = std::make_shared<std::packaged_task<T()>>(std::move(task));
    future_ = packaged->get_future();
    thread_ = std::make_unique<BackgroundThread>([packaged] { (*packaged)(); });
  }
  // A value already at hand: no thread.
  static Background ready(T value) {
    Background b;
    std::promise<T> promise;
    promise.set_value(std::move(value));
    b.future_ = promise.get_future();
    return b;
  }

  bool valid() const { return future_.valid(); }
  void wait() const { future_.wait(); }
  T get() { return future_.get(); }  // waits; valid() is false afterwards

 private:
  std::future<T> future_;
  std::unique_ptr<BackgroundThread> thread_;  // declared last: joined before future_ goes
};

}  // namespace notary

#endif  // DTRUST_NOTARY_BACKGROUND_H_
