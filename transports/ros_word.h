/* ros_word.h — the RouterOS API wire format: length-prefixed words and sentences ending with an
 * empty word. Shared by the API client and routeros-sim; bytes are passed through untouched. */
#ifndef ROS_WORD_H
#define ROS_WORD_H

#include <stddef.h>
#include <stdint.h>

#include "util/tb_buf.h"
#include "util/tb_err.h"

#define ROS_WORD_MAX_LEN 0xFFFFFFFFu

/* Encodes the length prefix of a word of `len` bytes into out; returns its size (1..5). */
size_t ros_word_len_encode(uint32_t len, unsigned char out[5]);

/* Decodes a length prefix at buf[0..avail): returns 1 with *len and *hdr_len set, 0 when more
 * bytes are needed, -1 when the first byte is reserved (>= 0xF8). */
int ros_word_len_decode(const unsigned char *buf, size_t avail, uint32_t *len, size_t *hdr_len);

/* Appends one encoded word to b. */
tb_err ros_word_append(tb_buf *b, const void *word, size_t len);
tb_err ros_word_append_str(tb_buf *b, const char *word);
/* Appends the empty word that ends a sentence. */
tb_err ros_sentence_end(tb_buf *b);

/* One decoded sentence: n words, each a NUL-terminated copy (words may themselves contain NUL
 * bytes; lens[i] is the real length). */
typedef struct ros_sentence {
	char **words;
	size_t *lens;
	size_t n;
} ros_sentence;

void ros_sentence_free(ros_sentence *s);
/* The value of attribute "=name=" (or ".tag=" with prefix ".tag="), or NULL. E.g.
 * ros_sentence_attr(s, "=message=") returns what follows it in the first word that starts so. */
const char *ros_sentence_attr(const ros_sentence *s, const char *prefix);

/* Incremental decoder: feed bytes as they arrive (any split), take whole sentences out. */
typedef struct ros_reader {
	tb_buf in;        /* bytes not yet consumed */
	size_t max_sentence; /* cap on one sentence's total bytes */
	size_t max_words;    /* cap on words per sentence */
} ros_reader;

void ros_reader_init(ros_reader *r, size_t max_sentence, size_t max_words);
void ros_reader_free(ros_reader *r);
tb_err ros_reader_feed(ros_reader *r, const void *data, size_t len);
/* Returns 1 and fills *out when a whole sentence is available, 0 when more bytes are needed,
 * -1 on a protocol error (reserved prefix byte, over a cap) with e set. */
int ros_reader_next(ros_reader *r, ros_sentence *out, tb_errctx *e);

#endif
