/* nomem.h — allocation failures on demand for the *_nomem suites. The tests link with
 * -Wl,--wrap=malloc,... (tests/CMakeLists.txt), so every malloc, calloc, realloc, free, strdup and
 * strndup of the project's code comes through here, also under AddressSanitizer and valgrind (the
 * real allocator, theirs included, sits behind __real_*). nomem_fail_at(k) makes the k-th
 * allocation from now fail; nomem_live counts blocks taken and not yet freed. Include once. */
#ifndef NOMEM_H
#define NOMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);

static long nomem_countdown = -1; /* allocations left before the one that fails; -1: none */
static bool nomem_failed;         /* the armed failure happened */
static long nomem_seen;           /* allocations that came through here */
static long nomem_live;           /* blocks allocated here and not freed */

static bool nomem_fail_now(void)
{
	nomem_seen++;
	if (nomem_countdown < 0 || nomem_countdown-- > 0)
		return false;
	nomem_failed = true;
	return true;
}

static void *nomem_counted(void *p)
{
	nomem_live += p != NULL;
	return p;
}

void *__wrap_malloc(size_t n)
{
	return nomem_fail_now() ? NULL : nomem_counted(__real_malloc(n));
}

void *__wrap_calloc(size_t n, size_t size)
{
	return nomem_fail_now() ? NULL : nomem_counted(__real_calloc(n, size));
}

void *__wrap_realloc(void *p, size_t n)
{
	if (nomem_fail_now())
		return NULL;
	return p ? __real_realloc(p, n) : nomem_counted(__real_realloc(p, n));
}

void __wrap_free(void *p)
{
	nomem_live -= p != NULL;
	__real_free(p);
}

char *__wrap_strdup(const char *s)
{
	return nomem_fail_now() ? NULL : nomem_counted(__real_strdup(s));
}

char *__wrap_strndup(const char *s, size_t n)
{
	return nomem_fail_now() ? NULL : nomem_counted(__real_strndup(s, n));
}

/* Arms the k-th allocation from now to fail (k 0: the next one). */
static void nomem_fail_at(long k)
{
	nomem_failed = false;
	nomem_countdown = k;
}

static void nomem_disarm(void)
{
	nomem_countdown = -1;
}

/* The wrappers are in place: a suite that finds them missing fails, it never passes untested. */
static void nomem_check_wrapped(void)
{
	void *(*volatile alloc)(size_t) = malloc; /* a call the compiler cannot elide */
	void *p;

	nomem_fail_at(0);
	p = alloc(16);
	nomem_disarm();
	free(p);
	if (p != NULL || !nomem_failed) {
		fprintf(stderr, "nomem: malloc is not wrapped (link with -Wl,--wrap=malloc,...)\n");
		exit(1);
	}
}

#endif
