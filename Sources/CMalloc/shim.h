#ifndef CMALLOC_SHIM_H
#define CMALLOC_SHIM_H
// The C library allocator's controls that rolelens uses, where it has them (glibc); elsewhere
// they do nothing.
// Any C library header defines __GLIBC__ under glibc; it must come before the test.
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/// Gives the allocator's free memory, in every thread's arena, back to the system.
///
/// glibc gives back only the free memory at the top of an arena by itself; what is freed below
/// a block still in use stays resident, and over a long run of many files that grows.
static inline void clib_release_free_memory(void) {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

/// Allocations of at least `bytes` get pages of their own, given back as soon as they are freed.
///
/// Setting it also stops glibc from raising the threshold (up to 32 MB) each time a large
/// block is freed, and its threshold for giving back the free top of an arena with it (up to
/// 64 MB): left to itself, a long run keeps tens of megabytes it no longer uses.
static inline void clib_set_mmap_threshold(int bytes) {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, bytes);
#endif
}
#endif
