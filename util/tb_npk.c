/* tb_npk.c — RouterOS package file names and version order (MikroTik's download archive names
 * its files <package>-<version>-<architecture>.npk; x86 files carry no architecture). */
#include "util/tb_npk.h"

#include <stdlib.h>
#include <string.h>

/* A version: digits and dots, then at most a pre-release tag of letters and digits. */
static bool is_version(const char *s, size_t n)
{
	size_t i = 0;

	if (!n || s[0] < '0' || s[0] > '9')
		return false;
	while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
		i++;
	if (s[i - 1] == '.')
		return false;
	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
		i++;
	return i == n;
}

static bool copy(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		return false;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return true;
}

bool tb_npk_parse(const char *file, tb_npk *out)
{
	size_t len = file ? strlen(file) : 0;

	if (len < 6 || strcmp(file + len - 4, ".npk") != 0)
		return false;
	len -= 4;
	/* the version is the first '-'-separated field that reads as one, after a name */
	for (const char *p = strchr(file, '-'); p && (size_t)(p - file) < len; p = strchr(p + 1, '-')) {
		const char *v = p + 1, *end = memchr(v, '-', len - (size_t)(v - file));
		size_t vn = end ? (size_t)(end - v) : len - (size_t)(v - file);
		if (p == file || !is_version(v, vn))
			continue;
		return copy(out->name, sizeof out->name, file, (size_t)(p - file)) &&
		       copy(out->version, sizeof out->version, v, vn) &&
		       copy(out->arch, sizeof out->arch, end ? end + 1 : "",
			    end ? len - (size_t)(end + 1 - file) : 0) &&
		       (!end || out->arch[0]);
	}
	return false;
}

bool tb_url_file_name(const char *url, char *out, size_t len)
{
	const char *p = strstr(url, "://"), *end, *seg;

	p = p ? p + 3 : url;
	p += strcspn(p, "/?#"); /* past the host */
	if (*p != '/')
		return false;
	end = p + strcspn(p, "?#");
	for (seg = end; seg > p && seg[-1] != '/'; seg--)
		;
	return seg != end && copy(out, len, seg, (size_t)(end - seg));
}

/* Rank of a pre-release tag: alpha < beta < rc < release. */
static int tag_rank(const char *t)
{
	if (!*t)
		return 3;
	if (!strncmp(t, "rc", 2))
		return 2;
	if (!strncmp(t, "beta", 4))
		return 1;
	return 0;
}

int tb_npk_vercmp(const char *a, const char *b)
{
	while (*a || *b) {
		char *ea, *eb;
		unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
		if (x != y)
			return x < y ? -1 : 1;
		a = ea;
		b = eb;
		if (*a == '.' && *b == '.') {
			a++;
			b++;
			continue;
		}
		if (*a == '.' || *b == '.') /* "7.17.1" after "7.17" and "7.17rc1" */
			return *a == '.' ? 1 : -1;
		if (tag_rank(a) != tag_rank(b))
			return tag_rank(a) < tag_rank(b) ? -1 : 1;
		while (*a && (*a < '0' || *a > '9')) /* same tag: its number decides */
			a++;
		while (*b && (*b < '0' || *b > '9'))
			b++;
		if (!*a && !*b)
			return 0;
	}
	return 0;
}
