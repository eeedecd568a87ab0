/*
 * bad_import — a module the runner must refuse before instantiating it: it
 * imports a wasisock call no host provides and a function from a module
 * ("env") that neither WASI preview 1 nor wasisock is.
 */
#include <stdint.h>

int32_t sock_frobnicate(uint32_t handle)
    __attribute__((__import_module__("wasisock"),
                   __import_name__("sock_frobnicate")));
int32_t mystery_function(void)
    __attribute__((__import_module__("env"), __import_name__("mystery_function")));

int main(void) { return sock_frobnicate(1) + mystery_function(); }
