#ifndef CRENAME_SHIM_H
#define CRENAME_SHIM_H
// renameat2(2), which swaps two paths atomically (RENAME_EXCHANGE). glibc declares it only
// under _GNU_SOURCE, which Swift's Glibc module does not define, so call the system call.
#include <errno.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

/// Swaps `from` and `to` (both must exist) in one step.
static inline int crename_exchange(const char *from, const char *to) {
#if defined(__linux__) && defined(SYS_renameat2)
  return (int)syscall(SYS_renameat2, -100 /* AT_FDCWD */, from, -100, to, 1u << 1 /* RENAME_EXCHANGE */);
#else
  errno = ENOSYS;
  return -1;
#endif
}

/// Renames `from` to `to`, failing with EEXIST if `to` exists (plain rename(2) would replace
/// an empty folder there).
static inline int crename_noreplace(const char *from, const char *to) {
#if defined(__linux__) && defined(SYS_renameat2)
  return (int)syscall(SYS_renameat2, -100, from, -100, to, 1u << 0 /* RENAME_NOREPLACE */);
#else
  errno = ENOSYS;
  return -1;
#endif
}
#endif
