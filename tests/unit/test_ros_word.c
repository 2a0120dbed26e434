/* test_ros_word.c — cmocka tests of the RouterOS word codec: length prefixes at every boundary,
 * reserved bytes, sentences split at every byte position, caps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "transports/ros_word.h"

/* Expected encodings written out by hand from the documented scheme. */
static const struct {
	uint32_t len;
	size_t n;
	unsigned char bytes[5];
} vectors[] = {
	{0x00, 1, {0x00}},
	{0x01, 1, {0x01}},
	{0x7F, 1, {0x7F}},
	{0x80, 2, {0x80, 0x80}},
	{0x3FFF, 2, {0xBF, 0xFF}},
	{0x4000, 3, {0xC0, 0x40, 0x00}},
	{0x1FFFFF, 3, {0xDF, 0xFF, 0xFF}},
	{0x200000, 4, {0xE0, 0x20, 0x00, 0x00}},
	{0xFFFFFFF, 4, {0xEF, 0xFF, 0xFF, 0xFF}},
	{0x10000000, 5, {0xF0, 0x10, 0x00, 0x00, 0x00}},
	{0x12345678, 5, {0xF0, 0x12, 0x34, 0x56, 0x78}},
	{0xFFFFFFFF, 5, {0xF0, 0xFF, 0xFF, 0xFF, 0xFF}},
};

static void length_boundaries_both_ways(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		unsigned char out[5];
		uint32_t len = 0;
		size_t hl = 0;
		size_t n = ros_word_len_encode(vectors[i].len, out);
		assert_int_equal(n, vectors[i].n);
		assert_memory_equal(out, vectors[i].bytes, n);
		assert_int_equal(ros_word_len_decode(vectors[i].bytes, vectors[i].n, &len, &hl), 1);
		assert_int_equal(len, vectors[i].len);
		assert_int_equal(hl, vectors[i].n);
		/* one byte short is "need more", never a wrong value */
		assert_int_equal(ros_word_len_decode(vectors[i].bytes, vectors[i].n - 1, &len, &hl), 0);
	}
}

static void reserved_prefixes_rejected(void **state)
{
	uint32_t len;
	size_t hl;
	(void)state;
	for (unsigned b = 0xF1; b <= 0xFF; b++) {
		unsigned char buf[5] = {(unsigned char)b, 0, 0, 0, 0};
		assert_int_equal(ros_word_len_decode(buf, 5, &len, &hl), -1);
	}
}

static void reader_rejects_reserved_byte(void **state)
{
	ros_reader r;
	ros_sentence s;
	tb_errctx e;
	const unsigned char bad[] = {0x03, '!', 'r', 'e', 0xF8};
	(void)state;
	ros_reader_init(&r, 1024, 16);
	assert_int_equal(ros_reader_feed(&r, bad, sizeof bad), TB_OK);
	assert_int_equal(ros_reader_next(&r, &s, &e), -1);
	assert_int_equal(e.code, TB_ERR_PARSE);
	ros_reader_free(&r);
}

/* A sentence with words around every prefix-size boundary, plus binary bytes. */
static void build_sentence(tb_buf *b, char **big, size_t *sizes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		big[i] = malloc(sizes[i] + 1);
		assert_non_null(big[i]);
		for (size_t k = 0; k < sizes[i]; k++)
			big[i][k] = (char)(k * 7 + i);
		assert_int_equal(ros_word_append(b, big[i], sizes[i]), TB_OK);
	}
	assert_int_equal(ros_sentence_end(b), TB_OK);
}

static void split_at_every_position(void **state)
{
	size_t sizes[] = {3, 0x7F, 0x80, 1, 0x3FFF, 0x4000, 2};
	char *words[7];
	tb_buf b;
	(void)state;
	tb_buf_init(&b, 0);
	assert_int_equal(ros_word_append_str(&b, "!re"), TB_OK);
	/* a one-word sentence, then one with words at every prefix-size boundary */
	assert_int_equal(ros_sentence_end(&b), TB_OK);
	build_sentence(&b, words, sizes, 7);
	assert_true(b.len > 0x8000);
	for (size_t cut = 0; cut <= b.len; cut++) {
		ros_reader r;
		ros_sentence s;
		tb_errctx e;
		ros_reader_init(&r, 1 << 20, 64);
		assert_int_equal(ros_reader_feed(&r, b.data, cut), TB_OK);
		int got = ros_reader_next(&r, &s, &e);
		int seen = 0;
		assert_true(got >= 0);
		if (got == 1) {
			assert_int_equal(s.n, 1);
			assert_string_equal(s.words[0], "!re");
			ros_sentence_free(&s);
			seen = 1;
			got = ros_reader_next(&r, &s, &e);
			assert_true(got >= 0);
			if (got == 1)
				seen = 2;
		}
		assert_int_equal(ros_reader_feed(&r, b.data + cut, b.len - cut), TB_OK);
		if (seen == 0) {
			assert_int_equal(ros_reader_next(&r, &s, &e), 1);
			assert_string_equal(s.words[0], "!re");
			ros_sentence_free(&s);
		}
		if (seen < 2)
			assert_int_equal(ros_reader_next(&r, &s, &e), 1);
		assert_int_equal(s.n, 7);
		for (size_t i = 0; i < 7; i++) {
			assert_int_equal(s.lens[i], sizes[i]);
			assert_true(memcmp(s.words[i], words[i], sizes[i]) == 0);
			assert_int_equal(s.words[i][sizes[i]], '\0');
		}
		ros_sentence_free(&s);
		assert_int_equal(ros_reader_next(&r, &s, &e), 0);
		ros_reader_free(&r);
	}
	for (size_t i = 0; i < 7; i++)
		free(words[i]);
	tb_buf_free(&b);
}

static void byte_by_byte(void **state)
{
	ros_reader r;
	ros_sentence s;
	tb_errctx e;
	tb_buf b;
	int got = 0;
	(void)state;
	tb_buf_init(&b, 0);
	assert_int_equal(ros_word_append_str(&b, "!done"), TB_OK);
	assert_int_equal(ros_word_append(&b, "=ret=a\0b", 8), TB_OK);
	assert_int_equal(ros_sentence_end(&b), TB_OK);
	ros_reader_init(&r, 1024, 16);
	for (size_t i = 0; i < b.len; i++) {
		assert_int_equal(got, 0);
		assert_int_equal(ros_reader_feed(&r, b.data + i, 1), TB_OK);
		got = ros_reader_next(&r, &s, &e);
		assert_true(got >= 0);
	}
	assert_int_equal(got, 1);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.lens[1], 8);
	assert_memory_equal(s.words[1], "=ret=a\0b", 8);
	assert_string_equal(ros_sentence_attr(&s, "=ret="), "a");
	assert_null(ros_sentence_attr(&s, "=message="));
	ros_sentence_free(&s);
	ros_reader_free(&r);
	tb_buf_free(&b);
}

static void empty_sentences_skipped(void **state)
{
	ros_reader r;
	ros_sentence s;
	tb_errctx e;
	const unsigned char in[] = {0, 0, 5, '!', 'd', 'o', 'n', 'e', 0};
	(void)state;
	ros_reader_init(&r, 1024, 16);
	assert_int_equal(ros_reader_feed(&r, in, sizeof in), TB_OK);
	assert_int_equal(ros_reader_next(&r, &s, &e), 1);
	assert_string_equal(s.words[0], "!done");
	ros_sentence_free(&s);
	assert_int_equal(ros_reader_next(&r, &s, &e), 0);
	ros_reader_free(&r);
}

static void caps_enforced(void **state)
{
	ros_reader r;
	ros_sentence s;
	tb_errctx e;
	tb_buf b;
	(void)state;

	/* a word announcing more than the sentence cap fails before its bytes arrive */
	{
		const unsigned char hdr[] = {0xE0, 0x20, 0x00, 0x00}; /* 2 MiB word */
		ros_reader_init(&r, 4096, 16);
		assert_int_equal(ros_reader_feed(&r, hdr, sizeof hdr), TB_OK);
		assert_int_equal(ros_reader_next(&r, &s, &e), -1);
		assert_int_equal(e.code, TB_ERR_TOO_BIG);
		ros_reader_free(&r);
	}
	/* too many words */
	tb_buf_init(&b, 0);
	for (int i = 0; i < 20; i++)
		assert_int_equal(ros_word_append_str(&b, "=a=b"), TB_OK);
	assert_int_equal(ros_sentence_end(&b), TB_OK);
	ros_reader_init(&r, 4096, 16);
	assert_int_equal(ros_reader_feed(&r, b.data, b.len), TB_OK);
	assert_int_equal(ros_reader_next(&r, &s, &e), -1);
	assert_int_equal(e.code, TB_ERR_TOO_BIG);
	ros_reader_free(&r);
	/* the input buffer itself is capped */
	ros_reader_init(&r, 16, 16);
	assert_int_equal(ros_reader_feed(&r, b.data, b.len), TB_OK);
	{
		unsigned char junk[70000];
		memset(junk, 1, sizeof junk);
		assert_int_equal(ros_reader_feed(&r, junk, sizeof junk), TB_ERR_TOO_BIG);
	}
	ros_reader_free(&r);
	tb_buf_free(&b);
}

static void large_word_roundtrip(void **state)
{
	size_t n = 0x200000 + 5; /* a four-byte prefix */
	char *w = malloc(n);
	ros_reader r;
	ros_sentence s;
	tb_errctx e;
	tb_buf b;
	(void)state;
	assert_non_null(w);
	memset(w, 'x', n);
	tb_buf_init(&b, 0);
	assert_int_equal(ros_word_append_str(&b, "!re"), TB_OK);
	assert_int_equal(ros_word_append(&b, w, n), TB_OK);
	assert_int_equal(ros_sentence_end(&b), TB_OK);
	assert_int_equal(b.data[4], 0xE0);
	ros_reader_init(&r, 4u << 20, 16);
	assert_int_equal(ros_reader_feed(&r, b.data, b.len), TB_OK);
	assert_int_equal(ros_reader_next(&r, &s, &e), 1);
	assert_int_equal(s.lens[1], n);
	assert_memory_equal(s.words[1], w, n);
	ros_sentence_free(&s);
	ros_reader_free(&r);
	tb_buf_free(&b);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(length_boundaries_both_ways),
		cmocka_unit_test(reserved_prefixes_rejected),
		cmocka_unit_test(reader_rejects_reserved_byte),
		cmocka_unit_test(split_at_every_position),
		cmocka_unit_test(byte_by_byte),
		cmocka_unit_test(empty_sentences_skipped),
		cmocka_unit_test(caps_enforced),
		cmocka_unit_test(large_word_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
