/*
 * bad_signature — imports wasisock.sock_close with two parameters instead of
 * one; the runner must name the import and both signatures.
 */
#include <stdint.h>

int32_t wrong_close(uint32_t handle, uint32_t extra)
    __attribute__((__import_module__("wasisock"), __import_name__("sock_close")));

int main(void) { return wrong_close(1, 2); }
