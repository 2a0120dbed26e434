/* usp_arena.c — the arena a USP response is built in: many small zeroed allocations (protobuf-c
 * structs, strings, pointer arrays) owned by one usp_resp and freed together, up to a limit. */
#include "bridge/usp/usp_engine_priv.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 4096
/* After an arena this large is freed, free heap pages go back to the system at once. */
#define ARENA_TRIM (1024 * 1024)

typedef struct arena_block {
	struct arena_block *next;
	size_t used, size;
	max_align_t data[]; /* size bytes */
} arena_block;

struct usp_arena {
	arena_block *head;
	size_t limit; /* bytes of blocks; 0: none */
	size_t total; /* bytes of blocks allocated */
	bool over;    /* an allocation was refused for the limit */
};

usp_arena *usp_arena_new(size_t limit)
{
	usp_arena *a = calloc(1, sizeof(usp_arena));

	if (a)
		a->limit = limit;
	return a;
}

void usp_arena_free(usp_arena *a)
{
	bool big;

	if (!a)
		return;
	big = a->total >= ARENA_TRIM;
	while (a->head) {
		arena_block *b = a->head;
		a->head = b->next;
		free(b);
	}
	free(a);
#ifdef __GLIBC__
	if (big)
		malloc_trim(0);
#else
	(void)big;
#endif
}

bool usp_arena_over(const usp_arena *a)
{
	return a->over;
}

void *usp_alloc(usp_arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	arena_block *b = a->head;
	void *p;

	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	if (!b || b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		if (a->limit && (size > a->limit || a->total > a->limit - size)) {
			a->over = true;
			return NULL;
		}
		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		a->total += size;
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *usp_strdup(usp_arena *a, const char *s)
{
	size_t n;
	char *p;

	if (!s)
		s = "";
	n = strlen(s);
	p = usp_alloc(a, n + 1);
	if (p)
		memcpy(p, s, n + 1);
	return p;
}

char *usp_printf(usp_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = usp_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* Capacity is implicit: the array is regrown whenever its count reaches a power of two. */
bool usp_push(usp_arena *a, void *arrp, size_t *n, void *item)
{
	void ***arr = arrp;

	if (*n == 0 || (*n & (*n - 1)) == 0) {
		size_t cap = *n ? *n * 2 : 2;
		void **grown = usp_alloc(a, cap * sizeof(void *));
		if (!grown)
			return false;
		if (*n)
			memcpy(grown, *arr, *n * sizeof(void *));
		*arr = grown;
	}
	(*arr)[(*n)++] = item;
	return true;
}
