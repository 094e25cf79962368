import Dispatch
import Foundation

/// Maps the items `0..<count` on `jobs` threads and hands the results on in item order, as
/// soon as every earlier one is done (a reorder buffer holds the items that finish early): the
/// consumer sees the same sequence for any number of jobs.
struct OrderedParallelMap: Sendable {
  /// Worker threads (at least 1).
  let jobs: Int

  init(jobs: Int) {
    self.jobs = max(1, jobs)
  }

  /// Runs `transform` for every item on the worker threads; calls `finished` with the number of
  /// items finished so far after each one, and `consume` with the next result in order, both
  /// serially, under a lock, from a worker thread.
  ///
  /// - Complexity: the reorder buffer holds at most the results finished ahead of the oldest
  ///   unfinished item.
  func run<Output: Sendable>(
    count: Int, transform: (Int) -> Output, finished report: ((Int) -> Void)? = nil,
    consume: (Output) -> Void
  ) {
    var pending = [Output?](repeating: nil, count: count)
    let lock = NSLock()
    let jobs = min(self.jobs, max(count, 1))
    withoutActuallyEscaping(transform) { transform in
      withoutActuallyEscaping(consume) { consume in
        pending.withUnsafeMutableBufferPointer { buffer in
          // Slots, counters and `consume` are touched only under the lock; `transform` is
          // called concurrently and must be safe to (the pipeline's reads only shared values).
          nonisolated(unsafe) let slots = buffer
          nonisolated(unsafe) let transform = transform
          nonisolated(unsafe) let consume = consume
          nonisolated(unsafe) let report = report
          nonisolated(unsafe) var nextIndex = 0
          nonisolated(unsafe) var finished = 0
          nonisolated(unsafe) var cursor = 0
          DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            while true {
              lock.lock()
              let index = nextIndex
              nextIndex += 1
              guard index < count else {
                lock.unlock()
                return
              }
              lock.unlock()
              let output = transform(index)
              lock.lock()
              slots[index] = output
              finished += 1
              report?(finished)
              while cursor < count, let ready = slots[cursor] {
                slots[cursor] = nil
                consume(ready)
                cursor += 1
              }
              lock.unlock()
            }
          }
        }
      }
    }
  }
}
