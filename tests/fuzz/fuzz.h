/*
 * fuzz.h — what the libFuzzer targets of tests/fuzz share (fuzz-net.c).
 *
 * Every target is a LLVMFuzzerTestOneInput: built with -fsanitize=fuzzer by
 * scripts/fuzz.sh (WASISOCK_FUZZ), and in normal builds linked with
 * replay.c, which feeds it the committed corpus (seeds and every input that
 * once found a bug) under ctest.
 *
 * The network is off limits: the targets reach loopback only, and only
 * sockets of this process.  fuzz-net.c enforces it for all of them:
 *   - getaddrinfo/freeaddrinfo are replaced (this executable exports them,
 *     so libuv's calls bind here): numeric addresses and "localhost" are
 *     answered locally, every other name gets the answer the target set
 *     with fuzz_gai_set_answer (fuzz-resolve) or EAI_NONAME.  No name ever
 *     reaches a DNS server or /etc/hosts;
 *   - fuzz_net_*: loopback listeners and sinks owned by the process, the
 *     only ports the import target lets a guest connect or send to.
 */
#ifndef WASISOCK_FUZZ_H
#define WASISOCK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "wasisock.h"

/* An invariant of the library broke: say which, and abort (libFuzzer keeps
 * the input as a crash). */
#define FUZZ_CHECK(cond)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__,     \
              #cond);                                                          \
      abort();                                                                 \
    }                                                                          \
  } while (0)

/* The input, consumed front to back; reads past its end give zeros. */
typedef struct fuzz_in {
  const uint8_t *p;
  size_t n;
} fuzz_in_t;

uint8_t fuzz_u8(fuzz_in_t *in);
uint16_t fuzz_u16(fuzz_in_t *in);
uint32_t fuzz_u32(fuzz_in_t *in);

/* ---- The resolver ---------------------------------------------------------
 * One fake answer: up to FUZZ_GAI_MAX entries of the given families
 * (AF_INET, AF_INET6, or others such as AF_UNIX that the host must skip)
 * and bytes, or an EAI_* error.  Applies to the next getaddrinfo calls for
 * names that are neither numeric nor "localhost", until cleared. */
#define FUZZ_GAI_MAX 24
typedef struct fuzz_gai_entry {
  int family;
  int null_addr; /* ai_addr NULL (a broken resolver) */
  uint8_t bytes[16];
} fuzz_gai_entry_t;

void fuzz_gai_set_answer(int eai, const fuzz_gai_entry_t *entries, size_t n);
void fuzz_gai_clear(void);
/* getaddrinfo calls answered from the fake (not numeric, not localhost). */
unsigned long fuzz_gai_fake_calls(void);

/* ---- Loopback endpoints of this process ------------------------------------ */
typedef enum fuzz_port_kind {
  FUZZ_TCP_LISTEN4, /* 127.0.0.1, listening; accepted and closed by drain */
  FUZZ_TCP_LISTEN6, /* [::1], listening */
  FUZZ_TCP_CLOSED4, /* 127.0.0.1, bound, not listening: connect refused */
  FUZZ_UDP_SINK4,   /* 127.0.0.1 datagram socket, emptied by drain */
  FUZZ_UDP_SINK6,   /* [::1] */
  FUZZ_NPORTS
} fuzz_port_kind_t;

/* Creates them on first use (aborts if loopback is unusable). */
void fuzz_net_init(void);
/* Port (host order) and family (WASISOCK_AF_*) of one. */
uint16_t fuzz_net_port(fuzz_port_kind_t k);
uint8_t fuzz_net_family(fuzz_port_kind_t k);
/* Accepts and closes pending connections, reads the sinks empty. */
void fuzz_net_drain(void);

/* 1 for 127.0.0.0/8 and ::1. */
int fuzz_addr_is_loopback(const wasisock_addr_t *a);

#endif /* WASISOCK_FUZZ_H */
