/*
 * posixtest — checks the POSIX socket layer from inside a guest.
 *
 *   posixtest CASE [ARGS...]
 *
 * Prints "ok CASE" and exits 0 when every check of the case passed; a
 * failed check prints its file, line and errno and exits 1 (check.h).
 * Cases that need a peer get it from the driver (tests/posix/run-posix.mjs)
 * as arguments.  The same source builds natively (tests/posix/CMakeLists),
 * where the checks hold for Linux itself.
 */
#include <stdio.h>
#include <string.h>

#include "posixtest.h"

static const struct {
  const char *name;
  tcase_fn fn;
} cases[] = {
    {"tcp", case_tcp},
    {"tcp6", case_tcp6},
    {"nonblock_connect", case_nonblock_connect},
    {"timeouts", case_timeouts},
    {"udp", case_udp},
    {"options", case_options},
    {"errors", case_errors},
    {"efault", case_efault},
    {"fds", case_fds},
    {"dirs", case_dirs},
    {"poll", case_poll},
    {"select", case_select},
    {"stdin", case_stdin},
    {"netdb", case_netdb},
    {"netdb_files", case_netdb_files},
    {"echo_bulk", case_echo_bulk},
    {"udp_echo", case_udp_echo},
    {"socketpair", case_socketpair},
    {"policy", case_policy},
    {"sleep", case_sleep},
};

int main(int argc, char **argv) {
  size_t i;
  int r;

  if (argc < 2) {
    fprintf(stderr, "usage: posixtest CASE [ARGS...]\n");
    return 2;
  }
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    if (strcmp(cases[i].name, argv[1]) == 0) {
      r = cases[i].fn(argc - 2, argv + 2);
      if (r == 77) {
        printf("skip %s\n", argv[1]);
        return 77;
      }
      printf("ok %s\n", argv[1]);
      return r;
    }
  fprintf(stderr, "posixtest: unknown case %s\n", argv[1]);
  return 2;
}
