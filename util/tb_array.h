/* tb_array.h — growing a plain C array (pointer, count, capacity) by doubling: the one way the
 * tree makes room for one more element. */
#ifndef TB_ARRAY_H
#define TB_ARRAY_H

#include <stddef.h>

#include "util/tb_err.h"

/* Makes sure element n of the array *arrp (capacity *cap elements of size bytes each; arrp is the
 * address of the array pointer, of any element type) exists: once n reaches *cap the array is
 * reallocated to twice the capacity, or to `first` elements when it has none. TB_ERR_NOMEM, the
 * array and *cap unchanged, when memory (or size_t) runs out. */
tb_err tb_room(void *arrp, size_t *cap, size_t n, size_t size, size_t first);

#endif
