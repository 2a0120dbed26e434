/* state_store.h — the crash-safe store of what an ACS or controller changed at run time: one file
 * per record, written to name.tmp, fsynced and renamed over name (see docs/state-store.md). */
#ifndef TB_STATE_STORE_H
#define TB_STATE_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/tb_err.h"

/* Record names: 1..STATE_STORE_MAX_NAME of [A-Za-z0-9._-], not starting with '.', not ending in
 * ".tmp". So no '/', no "..", nothing hidden. */
#define STATE_STORE_MAX_NAME 128
/* Largest record payload. */
#define STATE_STORE_MAX_RECORD (16u * 1024u * 1024u)

typedef struct tb_state_store tb_state_store;

/* Opens (creating it with mode 0700 if missing) the store directory and removes stale *.tmp files
 * left by a crash. The directory must belong to this process's user (else TB_ERR_DENIED); one that
 * others may write is made 0700, with a log line. Records and temporaries that are symbolic links
 * are never followed. Blocking file I/O: records are small and written rarely. */
tb_err state_store_open(const char *dir, tb_state_store **out, tb_errctx *err);
void state_store_close(tb_state_store *s);

/* Replaces record name with len bytes atomically: after a crash at any moment, the record is either
 * the old complete content or the new one. */
tb_err state_store_put(tb_state_store *s, const char *name, const void *data, size_t len,
		       tb_errctx *err);

/* Reads record name into a new buffer (*data, owned by the caller; NUL-terminated, not counted in
 * *len). TB_ERR_NO_SUCH_OBJECT if there is none, TB_ERR_PARSE if it is corrupt (bad magic,
 * version, length or checksum), TB_ERR_INVALID_ARG for a bad name. */
tb_err state_store_get(tb_state_store *s, const char *name, unsigned char **data, size_t *len,
		       tb_errctx *err);

/* Removes record name; removing a missing record is not an error. */
tb_err state_store_delete(tb_state_store *s, const char *name, tb_errctx *err);

/* Whether name is a valid record name. */
bool state_store_name_ok(const char *name);

#endif
