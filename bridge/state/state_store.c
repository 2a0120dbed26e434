/* state_store.c — one file per record: a 16-byte header (magic, version, length, CRC-32) and the
 * payload, replaced by write-to-.tmp, fsync, rename, fsync of the directory. Nothing in the
 * directory is followed if it is a symbolic link, and only this process's user may write there. */
#include "bridge/state/state_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bridge/state/state_metrics.h"
#include "util/tb_log.h"

#define HEADER_LEN 16
#define VERSION 1u
#define TMP_SUFFIX ".tmp"
#define TMP_FLAGS (O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC)

static const unsigned char magic[4] = {'T', 'B', 'S', 'R'};

struct tb_state_store {
	int dirfd;
	char *dir;
};

/* CRC-32 (IEEE 802.3, reflected, as zlib), four bits at a time. */
static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	static const uint32_t nibble[16] = {
		0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC, 0x76DC4190, 0x6B6B51F4,
		0x4DB26158, 0x5005713C, 0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C,
		0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C};
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		c = (c >> 4) ^ nibble[c & 15];
		c = (c >> 4) ^ nibble[c & 15];
	}
	return c ^ 0xFFFFFFFFu;
}

static void put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool has_tmp_suffix(const char *name)
{
	size_t n = strlen(name), s = strlen(TMP_SUFFIX);
	return n >= s && strcmp(name + n - s, TMP_SUFFIX) == 0;
}

bool state_store_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > STATE_STORE_MAX_NAME || name[0] == '.' || has_tmp_suffix(name))
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_' || *p == '-'))
			return false;
	return true;
}

static tb_err check_name(const char *name, tb_errctx *err)
{
	if (state_store_name_ok(name))
		return TB_OK;
	return tb_errf(err, TB_ERR_INVALID_ARG,
		       "state store: invalid record name (letters, digits, '.', '_', '-'; at most %d)",
		       STATE_STORE_MAX_NAME);
}

/* Removes the *.tmp files a crash may have left behind. */
static tb_err remove_stale(tb_state_store *s, tb_errctx *err)
{
	int fd = dup(s->dirfd);
	DIR *d;
	struct dirent *de;

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return tb_errf(err, TB_ERR_IO, "state store %s: cannot list: %s", s->dir,
			       strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		if (has_tmp_suffix(de->d_name) && unlinkat(s->dirfd, de->d_name, 0) != 0 &&
		    errno != ENOENT) {
			tb_errf(err, TB_ERR_IO, "state store %s: cannot remove %s: %s", s->dir,
				de->d_name, strerror(errno));
			closedir(d);
			return TB_ERR_IO;
		}
	}
	closedir(d);
	return TB_OK;
}

/* Nobody but this process's user may plant a file (or a symbolic link at a record's name) in the
 * store: a directory owned by someone else is refused, one that others may write is made 0700. */
static tb_err check_dir(const tb_state_store *s, tb_errctx *err)
{
	struct stat st;

	if (fstat(s->dirfd, &st) != 0)
		return tb_errf(err, TB_ERR_IO, "state store %s: stat: %s", s->dir, strerror(errno));
	if (st.st_uid != geteuid())
		return tb_errf(err, TB_ERR_DENIED,
			       "state store %s: owned by uid %u, not by this process (uid %u): refused",
			       s->dir, (unsigned)st.st_uid, (unsigned)geteuid());
	if (!(st.st_mode & (S_IWGRP | S_IWOTH)))
		return TB_OK;
	if (fchmod(s->dirfd, st.st_mode & 0700) != 0)
		return tb_errf(err, TB_ERR_IO, "state store %s: writable by others (mode %04o) and "
			       "cannot be fixed: %s", s->dir, (unsigned)(st.st_mode & 07777),
			       strerror(errno));
	tb_warn("state store %s: was writable by others (mode %04o); now %04o", s->dir,
		(unsigned)(st.st_mode & 07777), (unsigned)(st.st_mode & 0700));
	return TB_OK;
}

tb_err state_store_open(const char *dir, tb_state_store **out, tb_errctx *err)
{
	tb_state_store *s;
	tb_err e;

	*out = NULL;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return tb_errf(err, TB_ERR_IO, "state store %s: cannot create: %s", dir,
			       strerror(errno));
	s = calloc(1, sizeof *s);
	if (!s || !(s->dir = strdup(dir))) {
		free(s);
		return tb_errf(err, TB_ERR_NOMEM, "state store: out of memory");
	}
	s->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dirfd < 0) {
		e = tb_errf(err, TB_ERR_IO, "state store %s: cannot open: %s", dir, strerror(errno));
		free(s->dir);
		free(s);
		return e;
	}
	e = check_dir(s, err);
	if (e == TB_OK)
		e = remove_stale(s, err);
	if (e == TB_OK && fsync(s->dirfd) != 0)
		e = tb_errf(err, TB_ERR_IO, "state store %s: fsync: %s", dir, strerror(errno));
	if (e != TB_OK) {
		state_store_close(s);
		return e;
	}
	*out = s;
	return TB_OK;
}

void state_store_close(tb_state_store *s)
{
	if (!s)
		return;
	close(s->dirfd);
	free(s->dir);
	free(s);
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static tb_err put_record(tb_state_store *s, const char *name, const void *data, size_t len,
			 tb_errctx *err)
{
	char tmp[STATE_STORE_MAX_NAME + sizeof TMP_SUFFIX];
	unsigned char hdr[HEADER_LEN];
	const char *step;
	int fd, saved;

	if (check_name(name, err) != TB_OK)
		return TB_ERR_INVALID_ARG;
	if (len > STATE_STORE_MAX_RECORD)
		return tb_errf(err, TB_ERR_TOO_BIG, "state store: record %s larger than %u bytes",
			       name, STATE_STORE_MAX_RECORD);
	memcpy(hdr, magic, 4);
	put_u32(hdr + 4, VERSION);
	put_u32(hdr + 8, (uint32_t)len);
	put_u32(hdr + 12, crc32_of(data, len));
	snprintf(tmp, sizeof tmp, "%s%s", name, TMP_SUFFIX);

	/* a file of our own, created now: never one that is there already, nor what a symbolic link
	 * planted at that name points to (it is removed, not followed) */
	step = "create";
	fd = openat(s->dirfd, tmp, TMP_FLAGS, 0600);
	if (fd < 0 && errno == EEXIST && unlinkat(s->dirfd, tmp, 0) == 0)
		fd = openat(s->dirfd, tmp, TMP_FLAGS, 0600);
	if (fd < 0)
		goto fail;
	step = "write";
	if (write_all(fd, hdr, sizeof hdr) != 0 || write_all(fd, data, len) != 0)
		goto fail_fd;
	step = "fsync";
	if (fdatasync(fd) != 0)
		goto fail_fd;
	if (close(fd) != 0) {
		fd = -1;
		step = "close";
		goto fail_fd;
	}
	step = "rename";
	if (renameat(s->dirfd, tmp, s->dirfd, name) != 0)
		goto fail_unlink;
	/* the rename is durable only once the directory is */
	if (fsync(s->dirfd) != 0)
		return tb_errf(err, TB_ERR_IO, "state store %s: fsync of the directory: %s", s->dir,
			       strerror(errno));
	return TB_OK;

fail_fd:
	saved = errno;
	if (fd >= 0)
		close(fd);
	errno = saved;
fail_unlink:
	saved = errno;
	unlinkat(s->dirfd, tmp, 0);
	errno = saved;
fail:
	return tb_errf(err, TB_ERR_IO, "state store %s: %s of %s: %s", s->dir, step, name,
		       strerror(errno));
}

tb_err state_store_put(tb_state_store *s, const char *name, const void *data, size_t len,
		       tb_errctx *err)
{
	uint64_t t0 = tb_metrics_clock_ns();
	tb_err rc = put_record(s, name, data, len, err);

	state_metrics_write("put", rc, t0);
	return rc;
}

static tb_err read_file(int fd, unsigned char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return TB_ERR_IO;
		if (r == 0)
			return TB_ERR_PARSE; /* shrank while reading */
		got += (size_t)r;
	}
	return TB_OK;
}

static tb_err verify(const tb_state_store *s, const char *name, const unsigned char *buf, size_t n,
		     tb_errctx *err)
{
	const char *why = NULL;
	if (n < HEADER_LEN)
		why = "shorter than its header";
	else if (memcmp(buf, magic, 4) != 0)
		why = "bad magic";
	else if (get_u32(buf + 4) != VERSION)
		why = "unsupported version";
	else if (get_u32(buf + 8) != n - HEADER_LEN)
		why = "length does not match the file size";
	else if (get_u32(buf + 12) != crc32_of(buf + HEADER_LEN, n - HEADER_LEN))
		why = "checksum mismatch";
	if (!why)
		return TB_OK;
	return tb_errf(err, TB_ERR_PARSE, "state store %s: record %s is corrupt: %s", s->dir, name,
		       why);
}

tb_err state_store_get(tb_state_store *s, const char *name, unsigned char **data, size_t *len,
		       tb_errctx *err)
{
	struct stat st;
	unsigned char *buf;
	size_t n;
	tb_err e;
	int fd;

	*data = NULL;
	*len = 0;
	if (check_name(name, err) != TB_OK)
		return TB_ERR_INVALID_ARG;
	/* a symbolic link is not followed (ELOOP), a FIFO does not block the open */
	fd = openat(s->dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return tb_errf(err, TB_ERR_NO_SUCH_OBJECT, "state store %s: no record %s", s->dir,
			       name);
	if (fd < 0 && errno == ELOOP)
		return tb_errf(err, TB_ERR_PARSE, "state store %s: record %s is corrupt: %s", s->dir,
			       name, "a symbolic link");
	if (fd < 0 || fstat(fd, &st) != 0) {
		e = tb_errf(err, TB_ERR_IO, "state store %s: cannot open %s: %s", s->dir, name,
			    strerror(errno));
		if (fd >= 0)
			close(fd);
		return e;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)(HEADER_LEN + STATE_STORE_MAX_RECORD)) {
		close(fd);
		return tb_errf(err, TB_ERR_PARSE, "state store %s: record %s is corrupt: %s", s->dir,
			       name, S_ISREG(st.st_mode) ? "too large" : "not a regular file");
	}
	n = (size_t)st.st_size;
	buf = malloc(n + 1);
	if (!buf) {
		close(fd);
		return tb_errf(err, TB_ERR_NOMEM, "state store: out of memory");
	}
	e = read_file(fd, buf, n);
	close(fd);
	if (e == TB_ERR_IO)
		e = tb_errf(err, e, "state store %s: cannot read %s", s->dir, name);
	else if (e == TB_OK)
		e = verify(s, name, buf, n, err);
	else
		e = tb_errf(err, e, "state store %s: record %s shrank while being read", s->dir, name);
	if (e != TB_OK) {
		free(buf);
		return e;
	}
	memmove(buf, buf + HEADER_LEN, n - HEADER_LEN);
	buf[n - HEADER_LEN] = '\0';
	*data = buf;
	*len = n - HEADER_LEN;
	return TB_OK;
}

static tb_err delete_record(tb_state_store *s, const char *name, tb_errctx *err)
{
	if (check_name(name, err) != TB_OK)
		return TB_ERR_INVALID_ARG;
	if (unlinkat(s->dirfd, name, 0) != 0 && errno != ENOENT)
		return tb_errf(err, TB_ERR_IO, "state store %s: cannot delete %s: %s", s->dir, name,
			       strerror(errno));
	if (fsync(s->dirfd) != 0)
		return tb_errf(err, TB_ERR_IO, "state store %s: fsync of the directory: %s", s->dir,
			       strerror(errno));
	return TB_OK;
}

tb_err state_store_delete(tb_state_store *s, const char *name, tb_errctx *err)
{
	uint64_t t0 = tb_metrics_clock_ns();
	tb_err rc = delete_record(s, name, err);

	state_metrics_write("delete", rc, t0);
	return rc;
}
