/*
 * sock_poll.c — the sock_poll import: readiness of many handles at once.
 *
 * Fast path: one poll(2) with timeout 0 over the records' native fds (in
 * chunks, so nfds never exceeds a small RLIMIT_NOFILE).  If nothing is
 * ready and the guest is willing to wait:
 *   - up to WASISOCK__POLL_CHUNK records (every call a guest's select() or
 *     asyncio makes in practice): poll(2) itself waits, with what is left of
 *     the deadline — one syscall, nothing registered, nothing allocated;
 *   - more: every socket's uv_poll_t is started on the instance loop next
 *     to the instance timer, the loop turns until one fires or the deadline
 *     passes, the polls are stopped, and the readiness is computed again
 *     with poll(2) — the kernel, not the event that woke us, is the answer.
 *     A wake-up that turns out to be nothing (another event consumed it)
 *     waits again, up to the same deadline.
 *
 * The per-call arrays live on the stack for small calls and in one
 * per-instance buffer, grown as needed and kept, for larger ones: no
 * allocation per call in steady state.  Each socket's uv_poll_t is made once
 * (wait.c), at its first wait in a large call, and reused.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "internal.h"

/* Records handled with stack arrays (8 + 8 bytes each). */
#define WASISOCK__POLL_STACK 64
/* Most fds per poll(2): below any sane RLIMIT_NOFILE (poll(2) is EINVAL
 * when nfds exceeds it, and fd -1 entries count). */
#define WASISOCK__POLL_CHUNK 256
/* wasisock__sock_t.poll_events: "in this call" even with no event bits. */
#define WASISOCK__POLL_WANTED 0x100

#define WASISOCK__POLL_EVENTS (WASISOCK_POLLIN | WASISOCK_POLLOUT)
/* Accepted in events and ignored: they are always reported. */
#define WASISOCK__POLL_ALWAYS                                                  \
  (WASISOCK_POLLERR | WASISOCK_POLLHUP | WASISOCK_POLLNVAL)

static short wasisock__events_to_native(uint16_t events) {
  return (short)((events & WASISOCK_POLLIN ? POLLIN : 0) |
                 (events & WASISOCK_POLLOUT ? POLLOUT : 0));
}

static uint16_t wasisock__revents_from_native(short revents) {
  return (uint16_t)((revents & POLLIN ? WASISOCK_POLLIN : 0) |
                    (revents & POLLOUT ? WASISOCK_POLLOUT : 0) |
                    (revents & POLLERR ? WASISOCK_POLLERR : 0) |
                    (revents & POLLHUP ? WASISOCK_POLLHUP : 0) |
                    (revents & POLLNVAL ? WASISOCK_POLLNVAL : 0));
}

static void wasisock__poll_cb(uv_poll_t *poll, int status, int events) {
  wasisock_t *host = uv_loop_get_data(uv_handle_get_loop((uv_handle_t *)poll));

  (void)status;
  (void)events;
  host->poll_fired = 1;
  uv_stop(uv_handle_get_loop((uv_handle_t *)poll)); /* as the timer's (wait.c) */
}

/* The arrays for n records: the stack's or the instance's. */
static int32_t wasisock__poll_buffers(wasisock_t *host, uint32_t n,
                                      struct pollfd **fds,
                                      wasisock__sock_t ***socks) {
  struct pollfd *f;
  wasisock__sock_t **s;

  if (n > host->poll_cap) {
    f = realloc(host->poll_fds, (size_t)n * sizeof(*f));
    if (f == NULL)
      return WASISOCK_ENOMEM;
    host->poll_fds = f;
    s = realloc(host->poll_socks, (size_t)n * sizeof(*s));
    if (s == NULL)
      return WASISOCK_ENOMEM; /* poll_fds is larger than poll_cap: fine */
    host->poll_socks = s;
    host->poll_cap = n;
  }
  *fds = host->poll_fds;
  *socks = host->poll_socks;
  return WASISOCK_OK;
}

/* poll(2) with timeout 0; *nready = entries with any revents (fd -1 entries
 * get none). */
static int32_t wasisock__poll_scan(struct pollfd *fds, uint32_t n,
                                   uint32_t *nready) {
  uint32_t off, k, count = 0;
  int r;

  for (off = 0; off < n; off += k) {
    k = n - off < WASISOCK__POLL_CHUNK ? n - off : WASISOCK__POLL_CHUNK;
    do
      r = poll(fds + off, k, 0);
    while (r == -1 && errno == EINTR);
    if (r == -1)
      return wasisock__errno_from_native(errno);
    count += (uint32_t)r;
  }
  *nready = count;
  return WASISOCK_OK;
}

/* Waits in poll(2) itself for n <= WASISOCK__POLL_CHUNK records until one
 * is ready (*nready > 0, revents set) or the deadline passes (*nready 0). */
static int32_t wasisock__poll_direct(wasisock_t *host, struct pollfd *fds,
                                     uint32_t n, uint64_t deadline,
                                     uint32_t *nready) {
  uint64_t now;
  int timeout, r;

  for (;;) {
    timeout = -1;
    if (deadline != WASISOCK__FOREVER) {
      uv_update_time(host->loop);
      now = uv_now(host->loop);
      if (now >= deadline) {
        *nready = 0;
        return WASISOCK_OK;
      }
      timeout = deadline - now > INT_MAX ? INT_MAX : (int)(deadline - now);
    }
    r = poll(fds, n, timeout);
    if (r > 0) {
      *nready = (uint32_t)r;
      return WASISOCK_OK;
    }
    /* 0: poll(2)'s timeout ran out; the deadline is checked on the
     * instance clock (a millisecond early by rounding: one more short
     * poll).  EINTR: wait for the rest of the time. */
    if (r == -1 && errno != EINTR && errno != EAGAIN)
      return wasisock__errno_from_native(errno);
  }
}

/* Waits on the loop until one of the sockets fires (0) or the deadline
 * passes (ETIMEDOUT). */
static int32_t wasisock__poll_wait(wasisock_t *host, const struct pollfd *fds,
                                   wasisock__sock_t **socks, uint32_t n,
                                   uint64_t deadline) {
  wasisock__sock_t *s;
  int32_t err;
  uint32_t i;
  int ev, r;

  /* One uv_poll_start per socket, with the union of its records' events. */
  for (i = 0; i < n; i++)
    if (socks[i] != NULL)
      socks[i]->poll_events = 0;
  for (i = 0; i < n; i++)
    if (socks[i] != NULL)
      socks[i]->poll_events |= WASISOCK__POLL_WANTED |
                               (fds[i].events & POLLIN ? UV_READABLE : 0) |
                               (fds[i].events & POLLOUT ? UV_WRITABLE : 0);

  if ((err = wasisock__timer_arm(host, deadline)) != WASISOCK_OK)
    return err;
  uv_loop_set_data(host->loop, host);
  host->poll_fired = 0;
  for (i = 0; i < n; i++) {
    s = socks[i];
    if (s == NULL || !(s->poll_events & WASISOCK__POLL_WANTED))
      continue; /* closed, or started for an earlier record */
    /* No event asked: watch for errors and hang-ups only (epoll reports
     * those whatever the mask). */
    ev = s->poll_events & (UV_READABLE | UV_WRITABLE);
    s->poll_events = 0;
    if ((err = wasisock__poll_handle(host, s)) != WASISOCK_OK)
      goto out;
    if ((r = uv_poll_start(s->poll, ev ? ev : UV_DISCONNECT,
                           wasisock__poll_cb)) != 0) {
      err = wasisock__errno_from_uv(r);
      goto out;
    }
  }
  while (!host->poll_fired && !host->timer_fired) {
    /* Something is active (a poll, or the timer for nsubs 0), so ONCE
     * blocks; 0 with no callback means the loop lost it: report it. */
    if (uv_run(host->loop, UV_RUN_ONCE) == 0 && !host->poll_fired &&
        !host->timer_fired) {
      err = WASISOCK_EIO;
      break;
    }
  }

out:
  for (i = 0; i < n; i++)
    if (socks[i] != NULL && socks[i]->poll != NULL)
      uv_poll_stop(socks[i]->poll); /* twice, or never started: harmless */
  wasisock__timer_disarm(host);
  if (err != WASISOCK_OK)
    return err;
  return host->poll_fired ? WASISOCK_OK : WASISOCK_ETIMEDOUT;
}

int32_t wasisock_sock_poll(wasisock_t *host, const wasisock_mem_t *mem,
                           uint32_t subs_ptr, uint32_t nsubs,
                           uint32_t timeout_ms, uint32_t nready_ptr) {
  struct pollfd stack_fds[WASISOCK__POLL_STACK];
  wasisock__sock_t *stack_socks[WASISOCK__POLL_STACK];
  struct pollfd *fds;
  wasisock__sock_t **socks;
  wasisock_poll_sub_t sub;
  uint8_t *subs, *nready_out;
  int32_t timeout = (int32_t)timeout_ms;
  uint64_t deadline;
  uint32_t i, nready;
  uint16_t revents;
  int timed_out;
  int32_t err;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  /* 1. pointers */
  subs = wasisock__mem_array(mem, subs_ptr, nsubs, WASISOCK_POLL_SUB_SIZE);
  nready_out = wasisock__mem_range(mem, nready_ptr, WASISOCK_U32_SIZE);
  if (subs == NULL || nready_out == NULL)
    return WASISOCK_EFAULT;
  /* 2. argument values: the count, the events; no records and no timeout
   * would never return */
  if (nsubs > WASISOCK_POLL_MAX || (nsubs == 0 && timeout < 0))
    return WASISOCK_EINVAL;
  for (i = 0; i < nsubs; i++) {
    wasisock_poll_sub_read(subs + (size_t)i * WASISOCK_POLL_SUB_SIZE, &sub);
    if (sub.events & ~(WASISOCK__POLL_EVENTS | WASISOCK__POLL_ALWAYS))
      return WASISOCK_EINVAL;
  }
  /* 3. handles: a closed one is POLLNVAL in its record, not an error */
  deadline = wasisock__deadline_in(host, timeout);
  if (nsubs <= WASISOCK__POLL_STACK) {
    fds = stack_fds;
    socks = stack_socks;
  } else if ((err = wasisock__poll_buffers(host, nsubs, &fds, &socks)) !=
             WASISOCK_OK) {
    return err;
  }
  for (i = 0; i < nsubs; i++) {
    wasisock_poll_sub_read(subs + (size_t)i * WASISOCK_POLL_SUB_SIZE, &sub);
    if (wasisock__handle_get(host, sub.handle, &socks[i]) != WASISOCK_OK)
      socks[i] = NULL;
    fds[i].fd = socks[i] != NULL ? socks[i]->fd : -1;
    fds[i].events = wasisock__events_to_native(sub.events);
    fds[i].revents = 0;
  }

  /* A closed handle is ready at once (POLLNVAL), as a bad fd in poll(2). */
  if ((err = wasisock__poll_scan(fds, nsubs, &nready)) != WASISOCK_OK)
    return err;
  for (i = 0; i < nsubs; i++)
    nready += socks[i] == NULL;
  if (nready == 0 && timeout != 0 && nsubs <= WASISOCK__POLL_CHUNK &&
      (err = wasisock__poll_direct(host, fds, nsubs, deadline, &nready)) !=
          WASISOCK_OK)
    return err;
  while (nready == 0 && timeout != 0 && nsubs > WASISOCK__POLL_CHUNK) {
    err = wasisock__poll_wait(host, fds, socks, nsubs, deadline);
    if (err != WASISOCK_OK && err != WASISOCK_ETIMEDOUT)
      return err;
    timed_out = err == WASISOCK_ETIMEDOUT;
    /* After a timeout too: what is ready at the deadline counts. */
    if ((err = wasisock__poll_scan(fds, nsubs, &nready)) != WASISOCK_OK)
      return err;
    if (timed_out)
      break;
  }

  /* Success: revents of every record, in place, and the count. */
  nready = 0;
  for (i = 0; i < nsubs; i++) {
    revents = socks[i] != NULL ? wasisock__revents_from_native(fds[i].revents)
                               : WASISOCK_POLLNVAL;
    wasisock_poll_sub_set_revents(subs + (size_t)i * WASISOCK_POLL_SUB_SIZE,
                                  revents);
    nready += revents != 0;
  }
  wasisock_u32_write(nready_out, nready);
  return WASISOCK_OK;
}
