/* consumer.c — uses an installed libwasisock: usage: consumer VERSION */
#include <stdio.h>
#include <string.h>

#include <wasisock.h>
#include <wasisock_policy.h>

int main(int argc, char **argv) {
  const wasisock_import_t *t, *row;
  wasisock_policy_t *policy;
  wasisock_config_t cfg;
  unsigned char bytes[64];
  wasisock_mem_t mem;
  wasisock_t *host;
  uint32_t args[1];
  size_t n;

  if (argc != 2)
    return 2;
  if (strcmp(wasisock_version_string(), argv[1]) != 0) {
    fprintf(stderr, "version %s, expected %s\n", wasisock_version_string(),
            argv[1]);
    return 1;
  }
  /* The policy API is installed and exported too. */
  if (wasisock_policy_new(&policy) != WASISOCK_OK ||
      wasisock_policy_add_rule(policy, "default deny", NULL, 0) != WASISOCK_OK)
    return 1;
  wasisock_config_init(&cfg);
  cfg.policy = policy;
  if (wasisock_new(&cfg, &host) != WASISOCK_OK)
    return 1;
  wasisock_policy_free(policy);
  t = wasisock_import_table(&n);
  row = wasisock_import_find("sock_abi_version");
  if (t == NULL || n < 7 || row == NULL || wasisock_import_find("sock_open") == NULL)
    return 1;
  /* One call through the table, as an engine adapter would make it. */
  mem.base = bytes;
  mem.len = sizeof(bytes);
  args[0] = 8;
  if (row->call(host, &mem, args) != WASISOCK_OK ||
      wasisock_u32_read(bytes + 8) != WASISOCK_ABI_REVISION)
    return 1;
  wasisock_free(host);
  printf("wasisock %s: %zu imports, ok\n", wasisock_version_string(), n);
  return 0;
}
