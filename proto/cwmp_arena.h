/* cwmp_arena.h — the allocation arena of one CWMP message: every string and array of a decoded
 * message comes from it and goes with it in one free; the session engine builds its responses in
 * one the same way. */
#ifndef CWMP_ARENA_H
#define CWMP_ARENA_H

#include <stddef.h>

typedef struct cwmp_arena cwmp_arena;

cwmp_arena *cwmp_arena_new(void);
void cwmp_arena_free(cwmp_arena *a);
/* Zeroed memory aligned for any type; NULL when out of memory (or n*size overflows). */
void *cwmp_arena_calloc(cwmp_arena *a, size_t n, size_t size);
/* A NUL-terminated copy of s[0..len). */
char *cwmp_arena_strndup(cwmp_arena *a, const char *s, size_t len);

#endif
