/* cwmp_arena.c — bump allocator in chunks for decoded messages (see cwmp_arena.h).
 * Chunks double up to 64 KiB; a larger request gets a chunk of its own. */
#include "proto/cwmp_arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct chunk {
	struct chunk *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
} chunk;

struct cwmp_arena {
	chunk *head;
	size_t next_size;
};

cwmp_arena *cwmp_arena_new(void)
{
	cwmp_arena *a = calloc(1, sizeof *a);
	if (a)
		a->next_size = 1024;
	return a;
}

void cwmp_arena_free(cwmp_arena *a)
{
	if (!a)
		return;
	for (chunk *c = a->head, *n; c; c = n) {
		n = c->next;
		free(c);
	}
	free(a);
}

static void *arena_alloc(cwmp_arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	size_t need = (size + align - 1) & ~(align - 1);
	chunk *c = a->head;

	if (need < size)
		return NULL;
	if (!c || c->size - c->used < need) {
		size_t sz = a->next_size > need ? a->next_size : need;
		if (sz > SIZE_MAX - sizeof *c)
			return NULL;
		c = malloc(sizeof *c + sz);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = sz;
		c->next = a->head;
		a->head = c;
		if (a->next_size < 64 * 1024)
			a->next_size *= 2;
	}
	void *p = c->data + c->used;
	c->used += need;
	return p;
}

void *cwmp_arena_calloc(cwmp_arena *a, size_t n, size_t size)
{
	void *p;
	if (size && n > SIZE_MAX / size)
		return NULL;
	p = arena_alloc(a, n * size > 0 ? n * size : 1);
	if (p)
		memset(p, 0, n * size);
	return p;
}

char *cwmp_arena_strndup(cwmp_arena *a, const char *s, size_t len)
{
	char *p = len < SIZE_MAX ? arena_alloc(a, len + 1) : NULL;
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}
