/*
 * policy_addr.c — IPv4 and IPv6 text for the policy: strict parsing of rule
 * targets and address literals, canonical formatting for rule texts and
 * denial messages, and IPv4-mapped normalisation.
 *
 * Our own code rather than inet_pton: the same strict syntax on every
 * platform (glibc's inet_aton takes "127.1" and "0x7f.0.0.1", Windows'
 * inet_pton differs again), no allocation, and nothing the fuzzer cannot
 * reach.  Input is s[0..len), not NUL-terminated.
 */
#include <stdio.h>
#include <string.h>

#include "policy_internal.h"

static int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Four decimal octets 0-255 separated by dots; "0" but no other leading
 * zero (inet_aton reads "010" as octal 8: refuse the ambiguity). */
int wasisock__ip4_parse(const char *s, size_t len, uint8_t out[4]) {
  size_t i = 0;
  int part;

  for (part = 0; part < 4; part++) {
    size_t start = i;
    unsigned v = 0;
    if (part > 0) {
      if (i >= len || s[i] != '.')
        return 0;
      start = ++i;
    }
    while (i < len && s[i] >= '0' && s[i] <= '9' && i - start < 3)
      v = v * 10 + (unsigned)(s[i++] - '0');
    if (i == start || v > 255)
      return 0;
    if (i < len && s[i] >= '0' && s[i] <= '9')
      return 0; /* a fourth digit */
    if (s[start] == '0' && i - start > 1)
      return 0;
    out[part] = (uint8_t)v;
  }
  return i == len;
}

/* RFC 4291 section 2.2: eight groups of 1-4 hex digits, one "::" standing
 * for one or more zero groups, optionally a dotted quad as the last 32 bits.
 * No zone ("%eth0"): the ABI's address record has no scope id. */
int wasisock__ip6_parse(const char *s, size_t len, uint8_t out[16]) {
  uint16_t groups[8];
  int n = 0;
  int gap = -1; /* index in groups where "::" stands, or -1 */
  size_t i = 0;
  int k;

  if (len < 2)
    return 0;
  if (s[0] == ':') {
    if (s[1] != ':')
      return 0;
    gap = 0;
    i = 2;
  }
  while (i < len) {
    size_t start = i;
    unsigned v = 0;
    int h;
    if (n == 8)
      return 0;
    while (i < len && i - start < 5 && (h = hex_value(s[i])) >= 0) {
      v = v * 16 + (unsigned)h;
      i++;
    }
    if (i < len && s[i] == '.') {
      uint8_t v4[4];
      if (n > 6 || !wasisock__ip4_parse(s + start, len - start, v4))
        return 0;
      groups[n++] = (uint16_t)(v4[0] << 8 | v4[1]);
      groups[n++] = (uint16_t)(v4[2] << 8 | v4[3]);
      break;
    }
    if (i == start || i - start > 4)
      return 0;
    groups[n++] = (uint16_t)v;
    if (i == len)
      break;
    if (s[i] != ':')
      return 0;
    if (++i == len)
      return 0; /* "1:" */
    if (s[i] == ':') {
      if (gap >= 0)
        return 0; /* a second "::" */
      gap = n;
      i++;
    }
  }
  if (gap < 0 ? n != 8 : n > 7)
    return 0;

  memset(out, 0, 16);
  if (gap < 0)
    gap = n;
  for (k = 0; k < gap; k++) {
    out[2 * k] = (uint8_t)(groups[k] >> 8);
    out[2 * k + 1] = (uint8_t)groups[k];
  }
  for (k = gap; k < n; k++) {
    int at = 8 - (n - k); /* groups after "::" sit at the end */
    out[2 * at] = (uint8_t)(groups[k] >> 8);
    out[2 * at + 1] = (uint8_t)groups[k];
  }
  return 1;
}

static int ip6_is_mapped(const uint8_t b[16]) {
  static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return memcmp(b, prefix, sizeof prefix) == 0;
}

void wasisock__ip_unmap(wasisock__ip_t *ip) {
  if (ip->family != WASISOCK_AF_INET6 || !ip6_is_mapped(ip->bytes))
    return;
  ip->family = WASISOCK_AF_INET;
  memmove(ip->bytes, ip->bytes + 12, 4);
  memset(ip->bytes + 4, 0, 12);
}

/* RFC 5952: lower-case hex, no leading zeros, the longest run of two or more
 * zero groups (the first on a tie) as "::"; mapped addresses end in a dotted
 * quad. */
size_t wasisock__ip_format(const wasisock__ip_t *ip, char *buf) {
  const uint8_t *b = ip->bytes;
  int best = -1, best_len = 0, run = -1, k;
  size_t n = 0;

  if (ip->family == WASISOCK_AF_INET)
    return (size_t)snprintf(buf, WASISOCK__IP_STRLEN, "%u.%u.%u.%u", b[0], b[1],
                            b[2], b[3]);
  if (ip6_is_mapped(b))
    return (size_t)snprintf(buf, WASISOCK__IP_STRLEN, "::ffff:%u.%u.%u.%u",
                            b[12], b[13], b[14], b[15]);

  for (k = 0; k <= 8; k++) {
    int zero = k < 8 && b[2 * k] == 0 && b[2 * k + 1] == 0;
    if (zero && run < 0)
      run = k;
    if (!zero && run >= 0) {
      if (k - run > best_len && k - run >= 2) {
        best = run;
        best_len = k - run;
      }
      run = -1;
    }
  }
  for (k = 0; k < 8; k++) {
    if (k == best) {
      buf[n++] = ':';
      if (k == 0)
        buf[n++] = ':';
      k += best_len - 1;
      continue;
    }
    n += (size_t)snprintf(buf + n, WASISOCK__IP_STRLEN - n, "%x",
                          (unsigned)(b[2 * k] << 8 | b[2 * k + 1]));
    if (k < 7)
      buf[n++] = ':';
  }
  buf[n] = '\0';
  return n;
}

size_t wasisock__addr_text(const wasisock_addr_t *a, char *buf) {
  wasisock__ip_t ip;
  char text[WASISOCK__IP_STRLEN];
  uint32_t n = wasisock_addr_bytes_len(a->family);

  if (n == 0)
    return (size_t)snprintf(buf, WASISOCK__ADDR_STRLEN, "(family %u)",
                            (unsigned)a->family);
  memset(&ip, 0, sizeof ip);
  ip.family = a->family;
  memcpy(ip.bytes, a->bytes, n);
  wasisock__ip_format(&ip, text);
  return (size_t)snprintf(buf, WASISOCK__ADDR_STRLEN,
                          a->family == WASISOCK_AF_INET6 ? "[%s]:%u" : "%s:%u",
                          text, (unsigned)a->port);
}
