/*
 * <netinet/tcp.h> of the wasisock POSIX layer (docs/POSIX.md).
 *
 * wasi-libc's header with Linux's whole list of TCP_* option names, minus
 * the ones the layer and the host do not serve, so `#ifdef TCP_X` means
 * TCP_X works (see the overlay's <netinet/in.h>).  Kept: TCP_NODELAY,
 * TCP_MAXSEG, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT (wasisock_abi.h's)
 * and the connection states TCP_ESTABLISHED ... TCP_CLOSING, which are no
 * options.
 */
#ifndef WASISOCK_POSIX_NETINET_TCP_H
#define WASISOCK_POSIX_NETINET_TCP_H

#include_next <netinet/tcp.h>

/* Not served (ENOPROTOOPT). */
#undef TCP_CC_INFO
#undef TCP_CM_INQ
#undef TCP_CONGESTION
#undef TCP_CORK
#undef TCP_DEFER_ACCEPT
#undef TCP_FASTOPEN
#undef TCP_FASTOPEN_CONNECT
#undef TCP_FASTOPEN_KEY
#undef TCP_FASTOPEN_NO_COOKIE
#undef TCP_INFO
#undef TCP_INQ
#undef TCP_LINGER2
#undef TCP_MD5SIG
#undef TCP_MD5SIG_EXT
#undef TCP_NOTSENT_LOWAT
#undef TCP_QUEUE_SEQ
#undef TCP_QUICKACK
#undef TCP_REPAIR
#undef TCP_REPAIR_OPTIONS
#undef TCP_REPAIR_QUEUE
#undef TCP_REPAIR_WINDOW
#undef TCP_SAVED_SYN
#undef TCP_SAVE_SYN
#undef TCP_SYNCNT
#undef TCP_THIN_DUPACK
#undef TCP_THIN_LINEAR_TIMEOUTS
#undef TCP_TIMESTAMP
#undef TCP_TX_DELAY
#undef TCP_ULP
#undef TCP_USER_TIMEOUT
#undef TCP_WINDOW_CLAMP
#undef TCP_ZEROCOPY_RECEIVE

#endif /* WASISOCK_POSIX_NETINET_TCP_H */
