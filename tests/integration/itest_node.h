/* itest_node.h — peers that are not ours, for the end-to-end tests: Node scripts in tests/node/ (the
 * npm `ws` package, installed by scripts/deps.sh), and certificates made with the openssl tool. */
#ifndef ITEST_NODE_H
#define ITEST_NODE_H

#include <stdbool.h>
#include <sys/types.h>

/* Starts `node tests/node/<script> args...` (args NULL-terminated) with stdout+stderr to out_path;
 * fails the test when node or the npm packages are missing. */
pid_t itest_node_start(const char *script, const char *out_path, char *const args[]);
/* Waits for pid to exit; its exit code, or -1 (after killing it) when it ran past timeout_ms. */
int itest_wait_exit(pid_t pid, int timeout_ms);

/* A CA (dir/<ca>.pem, dir/<ca>.key), and a certificate it signs (dir/<name>.pem, dir/<name>.key)
 * whose subjectAltName is `san` (openssl syntax: "URI:urn:bbf:usp:id:self::ctl", "DNS:x"). */
bool itest_make_ca(const char *dir, const char *ca);
bool itest_make_signed_cert(const char *dir, const char *ca, const char *name, const char *san);

#endif
