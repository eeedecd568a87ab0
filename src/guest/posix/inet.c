/*
 * inet.c — inet_addr() and inet_ntoa(), which wasi-libc's preview 1 build
 * leaves out (it has inet_aton, inet_pton and inet_ntop, used here).
 */
#include <arpa/inet.h>

in_addr_t inet_addr(const char *text) {
  struct in_addr a;
  return text != NULL && inet_aton(text, &a) ? a.s_addr : INADDR_NONE;
}

char *inet_ntoa(struct in_addr addr) {
  static char buf[INET_ADDRSTRLEN];
  return (char *)inet_ntop(AF_INET, &addr, buf, sizeof(buf));
}
