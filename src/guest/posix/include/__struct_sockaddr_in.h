/*
 * struct sockaddr_in with sin_zero, which portable programs clear or copy
 * and wasi-libc's preview 1 layout leaves out.  Same size (16) and the same
 * offsets for the other fields, so wasi-libc's own code is unaffected.
 * Found before wasi-libc's header of the same name by the POSIX layer's
 * include directory (docs/POSIX.md).
 */
#ifndef __wasilibc___struct_sockaddr_in_h
#define __wasilibc___struct_sockaddr_in_h

#include <__struct_in_addr.h>
#include <__typedef_in_port_t.h>
#include <__typedef_sa_family_t.h>

struct sockaddr_in {
  __attribute__((aligned(__BIGGEST_ALIGNMENT__))) sa_family_t sin_family;
  in_port_t sin_port;
  struct in_addr sin_addr;
  unsigned char sin_zero[8];
};

#endif
