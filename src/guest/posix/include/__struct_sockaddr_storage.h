/*
 * struct sockaddr_storage of Linux's size (128 bytes), large enough for
 * every sockaddr the headers define, sockaddr_un included (wasi-libc's
 * preview 1 one is 48 bytes).  Every call takes an explicit length, so
 * wasi-libc's own code does not depend on this size.
 */
#ifndef __wasilibc___struct_sockaddr_storage_h
#define __wasilibc___struct_sockaddr_storage_h

#include <__typedef_sa_family_t.h>

struct sockaddr_storage {
  __attribute__((aligned(__BIGGEST_ALIGNMENT__))) sa_family_t ss_family;
  char __ss_data[126];
};

#endif
