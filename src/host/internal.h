/*
 * internal.h — what the files of libwasisock share with each other.
 *
 * Names here are wasisock__ (two underscores): internal, hidden by
 * -fvisibility=hidden in the shared library, never part of the contract.
 *
 * Conventions inside the library:
 *   - every function that can fail returns a WASI errno value (int32_t,
 *     WASISOCK_OK on success), mapped from native errno at the syscall, so a
 *     caller just passes the code on;
 *   - only libuv 1.44 API is used, and no libuv global: inside Node the
 *     addon's uv_* calls bind to Node's own (newer) libuv, so the structs we
 *     allocate are sized at run time (uv_loop_size, uv_handle_size,
 *     uv_req_size) rather than with sizeof from Debian's headers.
 */
#ifndef WASISOCK_HOST_INTERNAL_H
#define WASISOCK_HOST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <poll.h>
#include <sys/socket.h>

#include <uv.h>

#include "errno_map.h"
#include "wasisock.h"
#include "wasisock_policy.h"

/* Handles start at WASISOCK_FIRST_HANDLE; max_sockets is at most
 * WASISOCK_MAX_SOCKETS_LIMIT (wasisock.h says why). */
#define WASISOCK__DEFAULT_MAX_SOCKETS 1024u

/* One open socket. */
typedef struct wasisock__sock {
  /* read-only after sock_open */
  int fd;     /* native socket, O_NONBLOCK | O_CLOEXEC */
  int family; /* native AF_INET or AF_INET6 */
  int type;   /* native SOCK_STREAM or SOCK_DGRAM */
  /* read-write: sock_set_timeout.  timed 0 (so a zeroed struct is right):
   * calls block until done; 1: a call waits at most timeout_ms in total,
   * and timeout_ms 0 means it never waits (non-blocking). */
  int timed;
  uint32_t timeout_ms;
  /* private: sock_poll's waits on the instance loop (sock_poll.c) */
  uv_poll_t *poll; /* created at the first such wait, NULL until then */
  int poll_events; /* sock_poll's scratch: UV_* events wanted this call */
} wasisock__sock_t;

struct wasisock {
  /* private */
  uv_loop_t *loop; /* this instance's own loop: malloc(uv_loop_size()) */
  wasisock__sock_t **socks; /* slot i is handle WASISOCK_FIRST_HANDLE + i */
  uint32_t nslots;          /* allocated slots */
  uint32_t nopen;           /* non-NULL slots */
  uint32_t max_sockets;     /* the lower of the config's and the policy's */
  /* Network policy (docs/POLICY.md, hooks in policy_internal.h): the
   * instance's own copy of the config's policy, NULL to allow everything.
   * Its denial callback is wasisock__denied (instance.c), which calls the
   * two below. */
  wasisock_policy_t *policy;
  uint64_t max_buffer; /* the policy's max-buffer, or NO_BUFFER_LIMIT */
  wasisock_policy_denial_cb policy_on_denial; /* the policy's own callback */
  void *policy_on_denial_data;
  wasisock_policy_denial_cb on_denial; /* the config's */
  void *on_denial_data;
  struct wasisock__name_cache *names; /* name_cache.c; NULL until used */
  /* The tracer (trace.c): the config's callback, NULL when off, and the
   * denials of the call being traced. */
  void (*on_call)(void *data, const wasisock_call_t *call);
  void *on_call_data;
  uint32_t trace_denials;
  char trace_denial[256];
  /* private: deadlines and sock_poll (wait.c, sock_poll.c) */
  uv_timer_t *timer;  /* a call's deadline; created at the first timed wait */
  int timer_fired;    /* set by the timer's callback */
  int poll_fired;     /* set when one of sock_poll's watched sockets fires */
  struct pollfd *poll_fds;       /* sock_poll's buffers for calls with more */
  wasisock__sock_t **poll_socks; /* records than fit on the stack; */
  uint32_t poll_cap;             /* grown, never shrunk, freed with host */
};

/* ---- guest_mem.c ---------------------------------------------------------
 * The only place that forms host pointers from guest offsets. */

/* 1 when mem is a usable view (not NULL; base NULL only with len 0). */
int wasisock__mem_valid(const wasisock_mem_t *mem);
/* Host pointer to guest bytes [ptr, ptr + len), or NULL when that range is
 * not inside the memory.  Overflow-proof: never computes ptr + len. */
uint8_t *wasisock__mem_range(const wasisock_mem_t *mem, uint32_t ptr,
                             uint64_t len);
/* Same for an array of count elements of size bytes (64-bit product). */
uint8_t *wasisock__mem_array(const wasisock_mem_t *mem, uint32_t ptr,
                             uint32_t count, uint32_t size);

/* ---- errno_map.c (errno_map.h), errno_uv.c ------------------------------- */

/* libuv error (negative native errno on Unix) → WASI errno. */
int32_t wasisock__errno_from_uv(int uverr);
/* libuv getaddrinfo error (UV_EAI_*) → WASI errno, as the contract says. */
int32_t wasisock__errno_from_eai(int uverr);

/* ---- handles.c ------------------------------------------------------------ */

/* Stores s under the lowest free handle.  EMFILE at max_sockets, ENOMEM. */
int32_t wasisock__handle_add(wasisock_t *host, wasisock__sock_t *s,
                             uint32_t *handle);
/* The socket of an open handle, else EBADF. */
int32_t wasisock__handle_get(wasisock_t *host, uint32_t handle,
                             wasisock__sock_t **s);
/* Frees the slot of an open handle (the caller closes the socket). */
void wasisock__handle_remove(wasisock_t *host, uint32_t handle);
/* 1 when another socket fits under max_sockets. */
int wasisock__handle_room(const wasisock_t *host);

/* ---- addr.c --------------------------------------------------------------- */

/* ABI families/types → native; -1 when the value is not one the ABI knows. */
int wasisock__af_to_native(uint32_t af);
int wasisock__socktype_to_native(uint32_t socktype);
/* Decoded record → sockaddr (IPv4 or IPv6, scope id 0). */
void wasisock__addr_to_sockaddr(const wasisock_addr_t *a,
                                struct sockaddr_storage *ss, socklen_t *len);
/* sockaddr → decoded record; EAFNOSUPPORT for other families. */
int32_t wasisock__addr_from_sockaddr(const struct sockaddr *sa,
                                     wasisock_addr_t *a);

/* ---- addr_arg.c -----------------------------------------------------------
 * The address argument of sock_connect, sock_bind and sock_send_to (op
 * WASISOCK_POLICY_CONNECT or _BIND): rec is the record in guest memory,
 * already range-checked.  Decodes it, finds the socket of handle (*s),
 * checks the family and the policy, and gives the native address. */
int32_t wasisock__addr_arg(wasisock_t *host, const uint8_t *rec,
                           uint32_t handle, wasisock_policy_op_t op,
                           wasisock__sock_t **s, struct sockaddr_storage *ss,
                           socklen_t *salen);

/* ---- wait.c ---------------------------------------------------------------
 * Deadlines are times of the instance loop's clock (uv_now, milliseconds);
 * WASISOCK__FOREVER is none. */
#define WASISOCK__FOREVER UINT64_MAX

/* The deadline of a call on s that starts now: FOREVER unless s has a
 * timeout (sock_set_timeout). */
uint64_t wasisock__deadline(wasisock_t *host, const wasisock__sock_t *s);
/* The deadline ms milliseconds from now; FOREVER for ms < 0. */
uint64_t wasisock__deadline_in(wasisock_t *host, int64_t ms);
/* 1 when s never waits (timeout 0). */
int wasisock__nonblocking(const wasisock__sock_t *s);

/* Blocks in poll(2) until s is readable or writable (events is UV_READABLE
 * or UV_WRITABLE) or the deadline passes (ETIMEDOUT).  A non-blocking
 * socket does not wait: EAGAIN.  Returns 0 also when the poll reports an
 * error condition: the caller retries its syscall, which reports the real
 * error.  One syscall per wait; the instance loop is not involved. */
int32_t wasisock__wait(wasisock_t *host, wasisock__sock_t *s, int events,
                       uint64_t deadline);
/* Creates s->poll (sock_poll's watcher of s on the instance loop) if it
 * does not exist yet. */
int32_t wasisock__poll_handle(wasisock_t *host, wasisock__sock_t *s);
/* Starts the instance timer so that host->timer_fired is set at deadline
 * (cleared now; nothing to start for FOREVER).  ETIMEDOUT when the deadline
 * has passed already. */
int32_t wasisock__timer_arm(wasisock_t *host, uint64_t deadline);
void wasisock__timer_disarm(wasisock_t *host);
/* Stops watching s and closes its poll handle (freed by the close callback,
 * which runs at the next turn of the loop). */
void wasisock__wait_close(wasisock__sock_t *s);
/* wasisock_free: closes the timer and frees sock_poll's buffers, before the
 * loop's last turn. */
void wasisock__wait_fini(wasisock_t *host);

/* ---- name_cache.c ---------------------------------------------------------
 * The host's record of its sock_resolve answers: which name each returned
 * address came from, so that a later connect to it can be checked against
 * host name rules.  Bounded: WASISOCK__NAME_CACHE_SIZE addresses, the least
 * recently stored evicted; the most recent name of an address wins. */
#define WASISOCK__NAME_CACHE_SIZE 256

/* Remembers name for addrs[0..n) (ports ignored; IPv4-mapped stored as
 * IPv4).  A name that is an address literal is not remembered.  Best
 * effort: out of memory, nothing is stored (a connect then has no name). */
void wasisock__name_remember(wasisock_t *host, const char *name,
                             const wasisock_addr_t *addrs, size_t n);
/* The name addr was last returned for, or NULL.  Valid until the next
 * wasisock__name_remember or wasisock__name_cache_free. */
const char *wasisock__name_for(const wasisock_t *host,
                               const wasisock_addr_t *addr);
void wasisock__name_cache_free(wasisock_t *host);

/* ---- trace.c ---------------------------------------------------------------
 * The tracer behind wasisock_config_t.on_call.  The import table's entry
 * points call wasisock__trace_call instead of the import when host->on_call
 * is set; that is the whole cost when tracing is off. */

/* Runs body (the row's untraced call) and reports it to host->on_call. */
int32_t wasisock__trace_call(wasisock_t *host, const wasisock_mem_t *mem,
                             const uint32_t *args, size_t row,
                             wasisock_import_fn body);
/* Counts a denial of the traced call (instance.c's denial hook). */
void wasisock__trace_denial(wasisock_t *host,
                            const wasisock_policy_denial_t *d);

/* ---- sock_opt.c ------------------------------------------------------------ */

/* The name of a socket option ("SO_REUSEADDR") by its ABI level and name,
 * or NULL for one the ABI does not have. */
const char *wasisock__opt_name(uint32_t level, uint32_t name);

/* ---- sock_open.c ---------------------------------------------------------- */

/* Applies the policy's max-buffer to a native socket (SO_SNDBUF, SO_RCVBUF);
 * nothing without one. */
int32_t wasisock__cap_buffers(const wasisock_t *host, int fd);

/* ---- sock_close.c --------------------------------------------------------- */

/* Closes the native socket and its poll handle and frees s. */
void wasisock__sock_destroy(wasisock__sock_t *s);

#endif /* WASISOCK_HOST_INTERNAL_H */
