/*
 * struct sockaddr_un with sun_path, as everywhere else, so programs with a
 * Unix-domain code path compile unchanged; socket(AF_UNIX, ...) itself is
 * EAFNOSUPPORT in the POSIX layer (socketpair is the exception, see
 * docs/POSIX.md).  Replaces wasi-libc's member-less preview 1 layout.
 */
#ifndef __wasilibc___struct_sockaddr_un_h
#define __wasilibc___struct_sockaddr_un_h

#include <__typedef_sa_family_t.h>

struct sockaddr_un {
  __attribute__((aligned(__BIGGEST_ALIGNMENT__))) sa_family_t sun_family;
  char sun_path[108];
};

#endif
