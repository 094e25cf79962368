import Dispatch
import Foundation

/// Maps a sequence of work items on `jobs` threads and hands the results on in item order, as
/// soon as every earlier one is done (a reorder buffer holds the items that finish early): the
/// consumer sees the same sequence for any number of jobs.
///
/// Items are produced lazily, one at a time, by whichever thread needs the next one, and only a
/// bounded amount of work is in flight (taken but not yet consumed): a producer reading a large
/// file in batches never runs far ahead of the consumer, so memory stays bounded.
struct OrderedParallelMap: Sendable {
  /// Worker threads (at least 1).
  let jobs: Int
  /// The most work in flight, in the units of `run`'s `cost`.
  let window: Int

  /// A map on `jobs` threads with at most `window` units of work in flight (at least one
  /// item is always allowed).
  init(jobs: Int, window: Int = 256) {
    self.jobs = max(1, jobs)
    self.window = max(1, window)
  }

  /// Runs `transform` for every item `next` produces on the worker threads and calls `consume`
  /// with the results in the order the items were produced.
  ///
  /// - Parameters:
  ///   - next: The next item, or `nil` when there are no more; called serially, under a lock
  ///     of its own, from the worker threads.
  ///   - cost: An item's weight against `window` (1 for a small item).
  ///   - transform: Called concurrently; must be safe to (the pipeline's reads only shared
  ///     values).
  ///   - consume: Called with the next result in order, serially, from a worker thread (one
  ///     at a time, while the other threads go on working).
  /// - Complexity: the reorder buffer holds at most the results finished ahead of the oldest
  ///   unfinished item, and new items are taken only while the work in flight is under
  ///   `window`.
  func run<Item, Output: Sendable>(
    next: () -> Item?, cost: (Item) -> Int = { _ in 1 }, transform: (Item) -> Output,
    consume: (Output) -> Void
  ) {
    let lock = NSCondition()
    let producerLock = NSLock()
    withoutActuallyEscaping(next) { next in
      withoutActuallyEscaping(cost) { cost in
        withoutActuallyEscaping(transform) { transform in
          withoutActuallyEscaping(consume) { consume in
            // Slots and counters are touched only under `lock`, `consume` only by the thread
            // that set `consuming`; `next` and the producer's state only under `producerLock`.
            nonisolated(unsafe) let next = next
            nonisolated(unsafe) let cost = cost
            nonisolated(unsafe) let transform = transform
            nonisolated(unsafe) let consume = consume
            nonisolated(unsafe) var slots: [Int: (output: Output, cost: Int)] = [:]
            nonisolated(unsafe) var produced = 0
            nonisolated(unsafe) var exhausted = false
            nonisolated(unsafe) var cursor = 0
            nonisolated(unsafe) var inFlight = 0
            nonisolated(unsafe) var consuming = false
            DispatchQueue.concurrentPerform(iterations: jobs) { _ in
              while true {
                lock.lock()
                while inFlight >= window && !exhausted { lock.wait() }
                lock.unlock()
                producerLock.lock()
                guard !exhausted, let item = next() else {
                  // Written under both locks, so either may read it.
                  lock.lock()
                  exhausted = true
                  lock.broadcast()
                  lock.unlock()
                  producerLock.unlock()
                  return
                }
                let index = produced
                produced += 1
                let weight = max(1, cost(item))
                lock.lock()
                inFlight += weight
                lock.unlock()
                producerLock.unlock()
                let output = transform(item)
                lock.lock()
                slots[index] = (output, weight)
                // One thread at a time hands results on, outside `lock`, so the others can
                // leave their results and go on meanwhile; it goes on while results are ready.
                if !consuming {
                  consuming = true
                  while let ready = slots.removeValue(forKey: cursor) {
                    cursor += 1
                    lock.unlock()
                    consume(ready.output)
                    lock.lock()
                    inFlight -= ready.cost
                    lock.broadcast()
                  }
                  consuming = false
                }
                lock.unlock()
              }
            }
          }
        }
      }
    }
  }
}
