/*
 * instance.c — wasisock_config_init, wasisock_new, wasisock_free and the
 * version string.
 *
 * An instance owns everything it uses: the socket table, a private libuv
 * loop, and its own copy of the network policy (with the name cache of its
 * lookups, name_cache.c).  No libuv global is touched (no uv_default_loop): two instances, in
 * one thread or in two, never see each other, and an instance inside Node
 * never runs Node's own loop.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "policy_internal.h"

#ifndef WASISOCK_VERSION_STRING
#error "WASISOCK_VERSION_STRING is set by src/host/CMakeLists.txt"
#endif

void wasisock_config_init(wasisock_config_t *config) {
  if (config == NULL)
    return;
  memset(config, 0, sizeof(*config));
  config->struct_size = sizeof(*config);
  config->max_sockets = WASISOCK__DEFAULT_MAX_SOCKETS;
}

/* Reads the caller's config into *out.  struct_size tells how much of the
 * struct the caller's header knew: fields past it keep their defaults, and
 * a larger struct (a newer header) is accepted only if the fields this
 * library does not know are zero, so an option it cannot honour is never
 * ignored silently. */
static int32_t wasisock__config_read(const wasisock_config_t *config,
                                     wasisock_config_t *out) {
  const unsigned char *extra;
  size_t i;

  wasisock_config_init(out);
  if (config == NULL)
    return WASISOCK_OK;
  if (config->struct_size < sizeof(config->struct_size))
    return WASISOCK_EINVAL;
  if (config->struct_size > sizeof(*config)) {
    extra = (const unsigned char *)config + sizeof(*config);
    for (i = 0; i < config->struct_size - sizeof(*config); i++)
      if (extra[i] != 0)
        return WASISOCK_EINVAL;
  }
#define WASISOCK__HAS(field)                                                   \
  (config->struct_size >=                                                      \
   offsetof(wasisock_config_t, field) + sizeof(config->field))
  if (WASISOCK__HAS(max_sockets))
    out->max_sockets = config->max_sockets;
  if (WASISOCK__HAS(policy))
    out->policy = config->policy;
  if (WASISOCK__HAS(on_denial))
    out->on_denial = config->on_denial;
  if (WASISOCK__HAS(on_denial_data))
    out->on_denial_data = config->on_denial_data;
  if (WASISOCK__HAS(on_call))
    out->on_call = config->on_call;
  if (WASISOCK__HAS(on_call_data))
    out->on_call_data = config->on_call_data;
#undef WASISOCK__HAS
  if (out->max_sockets == 0 || out->max_sockets > WASISOCK_MAX_SOCKETS_LIMIT)
    return WASISOCK_EINVAL;
  return WASISOCK_OK;
}

/* The denial callback of every instance's policy copy: the tracer's
 * record of the call, the policy's own callback, then the config's. */
static void wasisock__denied(void *data, const wasisock_policy_denial_t *d) {
  wasisock_t *host = data;

  if (host->on_call != NULL)
    wasisock__trace_denial(host, d);
  if (host->policy_on_denial != NULL)
    host->policy_on_denial(host->policy_on_denial_data, d);
  if (host->on_denial != NULL)
    host->on_denial(host->on_denial_data, d);
}

/* Takes the instance's copy of the config's policy and the limits it sets. */
static int32_t wasisock__policy_init(wasisock_t *host,
                                     const wasisock_config_t *cfg) {
  uint32_t n;
  int32_t err;

  host->max_buffer = WASISOCK_POLICY_NO_BUFFER_LIMIT;
  host->on_denial = cfg->on_denial;
  host->on_denial_data = cfg->on_denial_data;
  if (cfg->policy == NULL)
    return WASISOCK_OK;
  if ((err = wasisock__policy_copy(cfg->policy, &host->policy)) != WASISOCK_OK)
    return err;
  host->policy_on_denial = host->policy->on_denial;
  host->policy_on_denial_data = host->policy->on_denial_data;
  wasisock_policy_set_denial_callback(host->policy, wasisock__denied, host);
  n = wasisock_policy_get_max_sockets(host->policy);
  if (n < host->max_sockets)
    host->max_sockets = n;
  host->max_buffer = wasisock_policy_get_max_buffer_bytes(host->policy);
  return WASISOCK_OK;
}

int32_t wasisock_new(const wasisock_config_t *config, wasisock_t **out) {
  wasisock_config_t cfg;
  wasisock_t *host;
  int32_t err;
  int r;

  if (out == NULL)
    return WASISOCK_EINVAL;
  *out = NULL;
  if ((err = wasisock__config_read(config, &cfg)) != WASISOCK_OK)
    return err;

  host = calloc(1, sizeof(*host));
  if (host == NULL)
    return WASISOCK_ENOMEM;
  host->max_sockets = cfg.max_sockets;
  host->on_call = cfg.on_call;
  host->on_call_data = cfg.on_call_data;
  if ((err = wasisock__policy_init(host, &cfg)) != WASISOCK_OK)
    goto fail;

  /* uv_loop_size(), not sizeof(uv_loop_t): the libuv we run against may be
   * newer than the headers we were compiled with (Node bundles its own). */
  host->loop = malloc(uv_loop_size());
  if (host->loop == NULL) {
    err = WASISOCK_ENOMEM;
    goto fail;
  }
  if ((r = uv_loop_init(host->loop)) != 0) {
    err = wasisock__errno_from_uv(r);
    free(host->loop);
    host->loop = NULL;
    goto fail;
  }
  *out = host;
  return WASISOCK_OK;

fail:
  wasisock_policy_free(host->policy);
  free(host);
  return err;
}

void wasisock_free(wasisock_t *host) {
  uint32_t i;
  int r;

  if (host == NULL)
    return;
  for (i = 0; i < host->nslots; i++) {
    if (host->socks[i] != NULL) {
      wasisock__sock_destroy(host->socks[i]);
      host->socks[i] = NULL;
    }
  }
  free(host->socks);
  wasisock__wait_fini(host);

  /* sock_destroy uv_close()d the poll handles, wait_fini the timer; their
   * close callbacks (which free them) run on the next turn of the loop.
   * With no active handle left, UV_RUN_DEFAULT returns once they have all
   * run. */
  uv_run(host->loop, UV_RUN_DEFAULT);
  r = uv_loop_close(host->loop);
  /* Not guest input: UV_EBUSY here would be a bug in this library (a handle
   * not closed), and the loop cannot be freed safely then. */
  if (r == 0)
    free(host->loop);
  wasisock__name_cache_free(host);
  wasisock_policy_free(host->policy);
  free(host);
}

const char *wasisock_version_string(void) { return WASISOCK_VERSION_STRING; }
