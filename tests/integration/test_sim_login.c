/* test_sim_login.c — routeros-sim's login flows over a real socket: the plain login of 6.43+, the
 * MD5 challenge of 6.40, its refusal on 6.49, commands before /login and /quit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "itest_sim.h"

static void login_plain(void **state)
{
	sim_proc p = sim_start(1, "7.16", NULL, NULL);
	sim_client c;
	ros_sentence s;
	(void)state;
	/* a command before /login: !fatal, then the router closes the connection */
	sim_open(&c, p.port);
	sim_send(&c, "/ip/address/print", NULL);
	sim_expect(&c, &s, "!fatal");
	assert_string_equal(s.words[1], "not logged in");
	ros_sentence_free(&s);
	assert_int_equal(sim_recv_status(&c, &s, 5000), -1);
	sim_close(&c);
	sim_open(&c, p.port);
	sim_send(&c, "/login", "=name=admin", "=password=wrong", NULL);
	sim_expect_trap(&c, "invalid user name or password (6)");
	sim_send(&c, "/login", "=name=admin", "=password=", ".tag=7", NULL);
	sim_expect_attr(&c, "!done", ".tag=", "7");
	sim_send(&c, "/quit", NULL);
	sim_expect(&c, &s, "!fatal");
	assert_string_equal(s.words[1], "session terminated on request");
	ros_sentence_free(&s);
	assert_int_equal(sim_recv_status(&c, &s, 5000), -1);
	sim_close(&c);
	sim_stop(&p);
}

/* "00" + hex(MD5(0x00 || password || challenge bytes)) */
static void challenge_response(const char *hexchal, const char *password, char out[35])
{
	unsigned char chal[16], md[16], zero = 0;
	unsigned int ml;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	for (int i = 0; i < 16; i++) {
		unsigned v;
		assert_int_equal(sscanf(hexchal + 2 * i, "%2x", &v), 1);
		chal[i] = (unsigned char)v;
	}
	assert_int_equal(EVP_DigestInit_ex(ctx, EVP_md5(), NULL), 1);
	EVP_DigestUpdate(ctx, &zero, 1);
	EVP_DigestUpdate(ctx, password, strlen(password));
	EVP_DigestUpdate(ctx, chal, 16);
	EVP_DigestFinal_ex(ctx, md, &ml);
	EVP_MD_CTX_free(ctx);
	strcpy(out, "00");
	for (int i = 0; i < 16; i++)
		sprintf(out + 2 + 2 * i, "%02x", md[i]);
}

static void login_challenge_640(void **state)
{
	sim_proc p = sim_start(1, "6.40", "--password", "s3cret");
	sim_client c;
	ros_sentence s;
	char resp[35], word[64];
	(void)state;
	sim_open(&c, p.port);
	for (int round = 0; round < 2; round++) {
		const char *pw = round == 0 ? "bad" : "s3cret";
		sim_send(&c, "/login", NULL);
		sim_expect(&c, &s, "!done");
		assert_int_equal(strlen(ros_sentence_attr(&s, "=ret=")), 32);
		challenge_response(ros_sentence_attr(&s, "=ret="), pw, resp);
		ros_sentence_free(&s);
		snprintf(word, sizeof word, "=response=%s", resp);
		sim_send(&c, "/login", "=name=admin", word, NULL);
		if (round == 0)
			sim_expect_trap(&c, "cannot log in");
		else
			sim_expect_done(&c);
	}
	sim_send(&c, "/system/clock/print", "=.proplist=date", NULL);
	sim_expect(&c, &s, "!re");
	assert_non_null(strchr(ros_sentence_attr(&s, "=date="), '/')); /* jan/02/2023 before 7.10 */
	ros_sentence_free(&s);
	sim_expect_done(&c);
	sim_close(&c);
	sim_stop(&p);
}

/* 6.49 still hands out a challenge for a bare /login but refuses the MD5 response (the method
 * is gone since 6.45.1); the plain login works. */
static void login_challenge_refused_649(void **state)
{
	sim_proc p = sim_start(1, "6.49", "--password", "s3cret");
	sim_client c;
	ros_sentence s;
	char resp[35], word[64];
	(void)state;
	sim_open(&c, p.port);
	sim_send(&c, "/login", NULL);
	sim_expect(&c, &s, "!done");
	challenge_response(ros_sentence_attr(&s, "=ret="), "s3cret", resp);
	ros_sentence_free(&s);
	snprintf(word, sizeof word, "=response=%s", resp);
	sim_send(&c, "/login", "=name=admin", word, NULL);
	sim_expect_trap(&c, "invalid user name or password (6)");
	sim_send(&c, "/login", "=name=admin", "=password=s3cret", NULL);
	sim_expect_done(&c);
	sim_close(&c);
	sim_stop(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(login_plain, sim_teardown),
		cmocka_unit_test_teardown(login_challenge_640, sim_teardown),
		cmocka_unit_test_teardown(login_challenge_refused_649, sim_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
