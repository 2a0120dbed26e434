/* tb_array.c — growing a plain C array by doubling (see tb_array.h). The array pointer is read and
 * written through memcpy so one function serves arrays of every element type. */
#include "util/tb_array.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

tb_err tb_room(void *arrp, size_t *cap, size_t n, size_t size, size_t first)
{
	void *arr, *grown;
	size_t nc;

	if (n < *cap)
		return TB_OK;
	nc = *cap ? *cap * 2 : first;
	if (nc <= *cap || (size && nc > SIZE_MAX / size))
		return TB_ERR_NOMEM;
	memcpy(&arr, arrp, sizeof arr);
	grown = realloc(arr, nc * size);
	if (!grown)
		return TB_ERR_NOMEM;
	memcpy(arrp, &grown, sizeof grown);
	*cap = nc;
	return TB_OK;
}
