/* guest_lib.c — a wasm32 program on the installed guest library
 * (<wasisock.h>, -lwasisock_guest): asks the host for its ABI revision and
 * fails unless it is the revision of the installed header. */
#include <stdio.h>

#include <wasisock.h>

int main(void) {
  int revision = wasisock_abi_revision();

  if (revision < 0) {
    perror("wasisock_abi_revision");
    return 1;
  }
  printf("host ABI revision %d, header %d\n", revision, WASISOCK_ABI_REVISION);
  return revision == WASISOCK_ABI_REVISION ? 0 : 1;
}
