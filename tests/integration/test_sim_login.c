/* test_sim.c — routeros-sim over real sockets: both login flows, print with .proplist and
 * queries, add/set/remove and their traps, unknown paths, listen + cancel across two sessions,
 * reboot, ping streaming, !empty on 7.18, fault injection and 200 routers in one process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "itest_util.h"
#include "transports/ros_word.h"

/* How long a rebooted router refuses connections (--reboot-delay). */
#define REBOOT_DELAY_MS 2000u
#define REBOOT_DELAY_MS_TEXT "2000"

typedef struct sim_proc {
	pid_t pid;
	int port;
} sim_proc;

/* A client connection: socket plus its sentence reader. */
typedef struct client {
	int fd;
	ros_reader rd;
} client;

static pid_t running_pid; /* the simulator of the current test, for the teardown */

static sim_proc sim_start(int routers, const char *version, const char *extra1, const char *extra2)
{
	sim_proc p;
	char n[16], port[16];
	char *argv[16];
	int a = 0;
	p.port = itest_free_port_range(routers);
	snprintf(n, sizeof n, "%d", routers);
	snprintf(port, sizeof port, "%d", p.port);
	argv[a++] = (char *)itest_bin("tools/routeros-sim");
	argv[a++] = "--routers";
	argv[a++] = n;
	argv[a++] = "--port";
	argv[a++] = port;
	argv[a++] = "--ros-version";
	argv[a++] = (char *)version;
	argv[a++] = "--reboot-delay";
	argv[a++] = REBOOT_DELAY_MS_TEXT;
	argv[a++] = "--log-level";
	argv[a++] = "warn";
	if (extra1)
		argv[a++] = (char *)extra1;
	if (extra2)
		argv[a++] = (char *)extra2;
	argv[a] = NULL;
	p.pid = itest_spawn(argv, NULL);
	assert_true(p.pid > 0);
	running_pid = p.pid;
	assert_true(itest_wait_port(p.port + routers - 1, 10000));
	return p;
}

static void sim_stop(sim_proc *p)
{
	int st = itest_stop(p->pid);
	running_pid = 0;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static int try_connect(int port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void client_open(client *c, int port)
{
	c->fd = try_connect(port);
	assert_true(c->fd >= 0);
	ros_reader_init(&c->rd, 1 << 20, 4096);
}

static void client_close(client *c)
{
	close(c->fd);
	ros_reader_free(&c->rd);
}

/* Sends one sentence made of the given words (NULL-terminated). */
static void csend(client *c, ...)
{
	tb_buf b;
	va_list ap;
	const char *w;
	tb_buf_init(&b, 0);
	va_start(ap, c);
	while ((w = va_arg(ap, const char *)) != NULL)
		assert_int_equal(ros_word_append_str(&b, w), TB_OK);
	va_end(ap);
	assert_int_equal(ros_sentence_end(&b), TB_OK);
	assert_int_equal(write(c->fd, b.data, b.len), (ssize_t)b.len);
	tb_buf_free(&b);
}

/* Reads the next sentence; 0 on success, -1 when the peer closed, -2 on timeout. */
static int crecv_status(client *c, ros_sentence *s, int timeout_ms)
{
	tb_errctx e;
	for (;;) {
		unsigned char buf[4096];
		struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
		ssize_t n;
		int rc = ros_reader_next(&c->rd, s, &e);
		assert_true(rc >= 0);
		if (rc == 1)
			return 0;
		if (poll(&pfd, 1, timeout_ms) <= 0)
			return -2;
		n = read(c->fd, buf, sizeof buf);
		if (n <= 0)
			return -1;
		assert_int_equal(ros_reader_feed(&c->rd, buf, (size_t)n), TB_OK);
	}
}

static void crecv(client *c, ros_sentence *s)
{
	assert_int_equal(crecv_status(c, s, 5000), 0);
}

/* Expects a sentence starting with `type`; returns it for more checks (caller frees). */
static void expect(client *c, ros_sentence *s, const char *type)
{
	crecv(c, s);
	assert_string_equal(s->words[0], type);
}

static void expect_done(client *c)
{
	ros_sentence s;
	expect(c, &s, "!done");
	ros_sentence_free(&s);
}

static void expect_trap(client *c, const char *message)
{
	ros_sentence s;
	expect(c, &s, "!trap");
	assert_string_equal(ros_sentence_attr(&s, "=message="), message);
	ros_sentence_free(&s);
	expect_done(c);
}

/* Round-trips a tagged command so everything sent before it has been processed. */
static void sync_session(client *c)
{
	ros_sentence s;
	csend(c, "/system/identity/print", "=.proplist=name", ".tag=sync", NULL);
	expect(c, &s, "!re");
	ros_sentence_free(&s);
	expect_done(c);
}

static void login(client *c)
{
	csend(c, "/login", "=name=admin", "=password=", NULL);
	expect_done(c);
}

static void login_plain(void **state)
{
	sim_proc p = sim_start(1, "7.16", NULL, NULL);
	client c;
	ros_sentence s;
	(void)state;
	/* a command before /login: !fatal, then the router closes the connection */
	client_open(&c, p.port);
	csend(&c, "/ip/address/print", NULL);
	expect(&c, &s, "!fatal");
	assert_string_equal(s.words[1], "not logged in");
	ros_sentence_free(&s);
	assert_int_equal(crecv_status(&c, &s, 5000), -1);
	client_close(&c);
	client_open(&c, p.port);
	csend(&c, "/login", "=name=admin", "=password=wrong", NULL);
	expect_trap(&c, "invalid user name or password (6)");
	csend(&c, "/login", "=name=admin", "=password=", ".tag=7", NULL);
	expect(&c, &s, "!done");
	assert_string_equal(ros_sentence_attr(&s, ".tag="), "7");
	ros_sentence_free(&s);
	csend(&c, "/quit", NULL);
	expect(&c, &s, "!fatal");
	assert_string_equal(s.words[1], "session terminated on request");
	ros_sentence_free(&s);
	assert_int_equal(crecv_status(&c, &s, 5000), -1);
	client_close(&c);
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
	client c;
	ros_sentence s;
	char resp[35], word[64];
	(void)state;
	client_open(&c, p.port);
	for (int round = 0; round < 2; round++) {
		const char *pw = round == 0 ? "bad" : "s3cret";
		csend(&c, "/login", NULL);
		expect(&c, &s, "!done");
		assert_int_equal(strlen(ros_sentence_attr(&s, "=ret=")), 32);
		challenge_response(ros_sentence_attr(&s, "=ret="), pw, resp);
		ros_sentence_free(&s);
		snprintf(word, sizeof word, "=response=%s", resp);
		csend(&c, "/login", "=name=admin", word, NULL);
		if (round == 0)
			expect_trap(&c, "cannot log in");
		else
			expect_done(&c);
	}
	csend(&c, "/system/clock/print", "=.proplist=date", NULL);
	expect(&c, &s, "!re");
	assert_non_null(strchr(ros_sentence_attr(&s, "=date="), '/')); /* jan/02/2023 before 7.10 */
	ros_sentence_free(&s);
	expect_done(&c);
	client_close(&c);
	sim_stop(&p);
}

/* 6.49 still hands out a challenge for a bare /login but refuses the MD5 response (the method
 * is gone since 6.45.1); the plain login works. */
static void login_challenge_refused_649(void **state)
{
	sim_proc p = sim_start(1, "6.49", "--password", "s3cret");
	client c;
	ros_sentence s;
	char resp[35], word[64];
	(void)state;
	client_open(&c, p.port);
	csend(&c, "/login", NULL);
	expect(&c, &s, "!done");
	challenge_response(ros_sentence_attr(&s, "=ret="), "s3cret", resp);
	ros_sentence_free(&s);
	snprintf(word, sizeof word, "=response=%s", resp);
	csend(&c, "/login", "=name=admin", word, NULL);
	expect_trap(&c, "invalid user name or password (6)");
	csend(&c, "/login", "=name=admin", "=password=s3cret", NULL);
	expect_done(&c);
	client_close(&c);
	sim_stop(&p);
}

static void print_proplist_and_queries(void **state)
{
	sim_proc p = sim_start(1, "7.16", "--model", "hap-ax2");
	client c;
	ros_sentence s;
	int rows = 0;
	(void)state;
	client_open(&c, p.port);
	login(&c);
	csend(&c, "/interface/print", "=.proplist=name", "?type=ether", ".tag=q1", NULL);
	for (;;) {
		crecv(&c, &s);
		assert_string_equal(ros_sentence_attr(&s, ".tag="), "q1");
		if (!strcmp(s.words[0], "!done")) {
			ros_sentence_free(&s);
			break;
		}
		assert_string_equal(s.words[0], "!re");
		assert_int_equal(s.n, 3); /* !re, =name=, .tag= */
		assert_memory_equal(ros_sentence_attr(&s, "=name="), "ether", 5);
		rows++;
		ros_sentence_free(&s);
	}
	assert_int_equal(rows, 5);
	/* type=ether OR type=bridge, then NOT: only the two Wi-Fi radios are left */
	csend(&c, "/interface/print", "=.proplist=name,type", "?type=ether", "?type=bridge", "?#|!",
	      NULL);
	for (int i = 0; i < 2; i++) {
		expect(&c, &s, "!re");
		assert_string_equal(ros_sentence_attr(&s, "=type="), "wifi");
		ros_sentence_free(&s);
	}
	expect_done(&c);
	csend(&c, "/interface/print", "=count-only=", "?type=ether", NULL);
	expect(&c, &s, "!done");
	assert_string_equal(ros_sentence_attr(&s, "=ret="), "5");
	ros_sentence_free(&s);
	csend(&c, "/system/resource/print", "=.proplist=uptime,version,board-name", NULL);
	expect(&c, &s, "!re");
	assert_string_equal(ros_sentence_attr(&s, "=version="), "7.16 (stable)");
	assert_non_null(ros_sentence_attr(&s, "=uptime="));
	assert_null(ros_sentence_attr(&s, "=cpu="));
	ros_sentence_free(&s);
	expect_done(&c);
	csend(&c, "/system/clock/print", "=.proplist=date", NULL);
	expect(&c, &s, "!re");
	assert_int_equal(ros_sentence_attr(&s, "=date=")[4], '-'); /* 2023-01-02 from 7.10 */
	ros_sentence_free(&s);
	expect_done(&c);
	client_close(&c);
	sim_stop(&p);
}

static void add_set_remove_and_traps(void **state)
{
	sim_proc p = sim_start(1, "7.16", NULL, NULL);
	client c;
	ros_sentence s;
	char id[16], idw[32];
	(void)state;
	client_open(&c, p.port);
	login(&c);
	csend(&c, "/ip/address/add", "=address=172.16.5.1/24", "=interface=ether3", NULL);
	expect(&c, &s, "!done");
	snprintf(id, sizeof id, "%s", ros_sentence_attr(&s, "=ret="));
	assert_int_equal(id[0], '*');
	ros_sentence_free(&s);
	snprintf(idw, sizeof idw, "?.id=%s", id);
	csend(&c, "/ip/address/print", idw, NULL);
	expect(&c, &s, "!re");
	assert_string_equal(ros_sentence_attr(&s, "=network="), "172.16.5.0");
	assert_string_equal(ros_sentence_attr(&s, "=disabled="), "false");
	ros_sentence_free(&s);
	expect_done(&c);
	snprintf(idw, sizeof idw, "=.id=%s", id);
	csend(&c, "/ip/address/set", idw, "=comment=lab", NULL);
	expect_done(&c);
	csend(&c, "/ip/address/unset", idw, "=value-name=address", NULL); /* required */
	expect_trap(&c, "input does not match any value of value-name");
	csend(&c, "/ip/address/unset", idw, "=value-name=comment", NULL);
	expect_done(&c);
	snprintf(idw, sizeof idw, "?.id=%s", id);
	csend(&c, "/ip/address/print", idw, NULL);
	expect(&c, &s, "!re");
	assert_null(ros_sentence_attr(&s, "=comment=")); /* unset: the item has no comment */
	ros_sentence_free(&s);
	expect_done(&c);
	snprintf(idw, sizeof idw, "=.id=%s", id);
	csend(&c, "/ip/address/set", "=.id=*FF", "=comment=x", NULL);
	expect_trap(&c, "no such item");
	csend(&c, "/ip/address/set", idw, "=colour=blue", NULL);
	expect_trap(&c, "unknown parameter colour");
	csend(&c, "/ip/address/add", "=address=172.16.6.1/24", "=interface=nope", NULL);
	expect(&c, &s, "!trap");
	assert_string_equal(ros_sentence_attr(&s, "=category="), "1");
	assert_string_equal(ros_sentence_attr(&s, "=message="),
			    "input does not match any value of interface");
	ros_sentence_free(&s);
	expect_done(&c);
	csend(&c, "/ip/firewall/nat/add", "=chain=dstnat", "=action=teleport", NULL);
	expect_trap(&c, "input does not match any value of action");
	snprintf(idw, sizeof idw, "=numbers=%s", id);
	csend(&c, "/ip/address/remove", idw, NULL);
	expect_done(&c);
	csend(&c, "/ip/address/remove", idw, NULL);
	expect_trap(&c, "no such item");
	/* /interface/ethernet and /interface tell the same story */
	csend(&c, "/interface/ethernet/set", "=.id=ether4", "=name=lan4", "=mtu=1400", NULL);
	expect_done(&c);
	csend(&c, "/interface/print", "=.proplist=name,mtu", "?default-name=ether4", NULL);
	expect(&c, &s, "!re");
	assert_string_equal(ros_sentence_attr(&s, "=name="), "lan4");
	assert_string_equal(ros_sentence_attr(&s, "=mtu="), "1400");
	ros_sentence_free(&s);
	expect_done(&c);
	csend(&c, "/system/identity/set", "=name=lab-router", NULL);
	expect_done(&c);
	csend(&c, "/system/identity/print", NULL);
	expect(&c, &s, "!re");
	assert_string_equal(ros_sentence_attr(&s, "=name="), "lab-router");
	ros_sentence_free(&s);
	expect_done(&c);
	client_close(&c);
	sim_stop(&p);
}

static void unknown_command_double_trap(void **state)
{
	sim_proc p = sim_start(1, "6.49", NULL, NULL);
	client c;
	ros_sentence s;
	(void)state;
	client_open(&c, p.port);
	login(&c);
	csend(&c, "/ip/aasasa/p", ".tag=9", NULL);
	expect(&c, &s, "!trap");
	assert_string_equal(ros_sentence_attr(&s, "=category="), "0");
	assert_string_equal(ros_sentence_attr(&s, "=message="), "no such command or directory (aasasa)");
	assert_string_equal(ros_sentence_attr(&s, ".tag="), "9");
	ros_sentence_free(&s);
	expect(&c, &s, "!trap");
	assert_string_equal(ros_sentence_attr(&s, "=message="), "no such command prefix");
	ros_sentence_free(&s);
	expect_done(&c);
	/* v6 has no /interface/wifi */
	csend(&c, "/interface/wifi/print", NULL);
	expect(&c, &s, "!trap");
	assert_string_equal(ros_sentence_attr(&s, "=message="), "no such command or directory (wifi)");
	ros_sentence_free(&s);
	expect(&c, &s, "!trap");
	ros_sentence_free(&s);
	expect_done(&c);
	client_close(&c);
	sim_stop(&p);
}

static void listen_sees_other_session_and_cancel(void **state)
{
	sim_proc p = sim_start(1, "7.16", NULL, NULL);
	client a, b;
	ros_sentence s;
	char id[16], idw[32];
	(void)state;
	client_open(&a, p.port);
	client_open(&b, p.port);
	login(&a);
	login(&b);
	csend(&a, "/ip/firewall/nat/listen", ".tag=L", NULL);
	sync_session(&a); /* the listen is registered once a later command of A has answered */
	csend(&b, "/ip/firewall/nat/add", "=chain=dstnat", "=action=dst-nat", "=dst-port=2222",
	      "=protocol=tcp", "=to-addresses=192.168.88.22", NULL);
	expect(&b, &s, "!done");
	snprintf(id, sizeof id, "%s", ros_sentence_attr(&s, "=ret="));
	ros_sentence_free(&s);
	expect(&a, &s, "!re");
	assert_string_equal(ros_sentence_attr(&s, ".tag="), "L");
	assert_string_equal(ros_sentence_attr(&s, "=.id="), id);
	assert_string_equal(ros_sentence_attr(&s, "=dst-port="), "2222");
	ros_sentence_free(&s);
	snprintf(idw, sizeof idw, "=.id=%s", id);
	csend(&b, "/ip/firewall/nat/disable", idw, NULL);
	expect_done(&b);
	expect(&a, &s, "!re");
	assert_string_equal(ros_sentence_attr(&s, "=disabled="), "true");
	ros_sentence_free(&s);
	csend(&b, "/ip/firewall/nat/remove", idw, NULL);
	expect_done(&b);
	expect(&a, &s, "!re");
	assert_string_equal(ros_sentence_attr(&s, "=.id="), id);
	assert_string_equal(ros_sentence_attr(&s, "=.dead="), "true"); /* v7; v6 says yes */
	ros_sentence_free(&s);
	csend(&a, "/cancel", "=tag=L", ".tag=C", NULL);
	expect(&a, &s, "!trap");
	assert_string_equal(ros_sentence_attr(&s, ".tag="), "L");
	assert_string_equal(ros_sentence_attr(&s, "=category="), "2");
	assert_string_equal(ros_sentence_attr(&s, "=message="), "interrupted");
	ros_sentence_free(&s);
	expect(&a, &s, "!done");
	assert_string_equal(ros_sentence_attr(&s, ".tag="), "C");
	ros_sentence_free(&s);
	expect(&a, &s, "!done");
	assert_string_equal(ros_sentence_attr(&s, ".tag="), "L");
	ros_sentence_free(&s);
	/* print =follow-only= streams changes too */
	csend(&a, "/system/identity/print", "=follow-only=", ".tag=F", NULL);
	sync_session(&a);
	csend(&b, "/system/identity/set", "=name=renamed", NULL);
	expect_done(&b);
	expect(&a, &s, "!re");
	assert_string_equal(ros_sentence_attr(&s, "=name="), "renamed");
	ros_sentence_free(&s);
	client_close(&a);
	client_close(&b);
	sim_stop(&p);
}

/* RouterOS 6 marks a removed item with .dead=yes (MikroTik's API manual). */
static void listen_dead_yes_on_v6(void **state)
{
	sim_proc p = sim_start(1, "6.49", NULL, NULL);
	client a;
	ros_sentence s;
	char idw[32];
	(void)state;
	client_open(&a, p.port);
	login(&a);
	csend(&a, "/ip/firewall/nat/listen", ".tag=L", NULL);
	sync_session(&a);
	csend(&a, "/ip/firewall/nat/add", "=chain=dstnat", "=action=dst-nat", "=dst-port=2222",
	      "=protocol=tcp", "=to-addresses=192.168.88.22", ".tag=A", NULL);
	for (int got = 0; got < 2;) { /* the !re of the listen and the !done of the add, any order */
		crecv(&a, &s);
		if (!strcmp(s.words[0], "!done")) {
			snprintf(idw, sizeof idw, "=.id=%s", ros_sentence_attr(&s, "=ret="));
			got++;
		} else if (!strcmp(s.words[0], "!re")) {
			got++;
		}
		ros_sentence_free(&s);
	}
	csend(&a, "/ip/firewall/nat/remove", idw, ".tag=R", NULL);
	for (bool dead = false, done = false; !dead || !done;) {
		crecv(&a, &s);
		if (!strcmp(s.words[0], "!re")) {
			assert_string_equal(ros_sentence_attr(&s, "=.dead="), "yes");
			dead = true;
		} else {
			assert_string_equal(s.words[0], "!done");
			done = true;
		}
		ros_sentence_free(&s);
	}
	client_close(&a);
	sim_stop(&p);
}

/* Waits until the router accepts connections again after a reboot or reset (generously: the
 * machine may be loaded). */
static void wait_back(int port)
{
	int fd, tries = 0;
	while ((fd = try_connect(port)) < 0 && tries++ < 600)
		usleep(50 * 1000);
	assert_true(fd >= 0);
	close(fd);
}

/* reset-configuration answers nothing and reboots into the default configuration: the identity
 * is MikroTik again, port forwards and leases are gone, the LAN defaults are back; keep-users=yes
 * keeps the account, without it the router has admin with the factory password. */
static void reset_configuration_defaults_and_users(void **state)
{
	sim_proc p = sim_start(1, "7.16", "--password", "s3cret");
	client c;
	ros_sentence s;
	(void)state;
	for (int round = 0; round < 2; round++) {
		client_open(&c, p.port);
		csend(&c, "/login", "=name=admin", "=password=s3cret", NULL);
		expect_done(&c);
		if (round == 0) {
			csend(&c, "/system/reset-configuration", "=keep-users=maybe", NULL);
			expect_trap(&c, "invalid value for yes/no argument");
			csend(&c, "/system/reset-configuration", "=keep-users=yes", NULL);
		} else {
			csend(&c, "/system/reset-configuration", NULL);
		}
		assert_int_equal(crecv_status(&c, &s, 5000), -1); /* no answer, the socket drops */
		client_close(&c);
		wait_back(p.port);
		client_open(&c, p.port);
		/* keep-users=yes: the old password; afterwards: admin without a password */
		csend(&c, "/login", "=name=admin", round ? "=password=s3cret" : "=password=", NULL);
		expect_trap(&c, "invalid user name or password (6)");
		csend(&c, "/login", "=name=admin", round ? "=password=" : "=password=s3cret", NULL);
		expect_done(&c);
		csend(&c, "/system/identity/print", NULL);
		expect(&c, &s, "!re");
		assert_string_equal(ros_sentence_attr(&s, "=name="), "MikroTik");
		ros_sentence_free(&s);
		expect_done(&c);
		csend(&c, "/ip/firewall/nat/print", "=count-only=", "?chain=dstnat", NULL);
		expect(&c, &s, "!done");
		assert_string_equal(ros_sentence_attr(&s, "=ret="), "0");
		ros_sentence_free(&s);
		csend(&c, "/ip/address/print", "=count-only=", "?address=192.168.88.1/24", NULL);
		expect(&c, &s, "!done");
		assert_string_equal(ros_sentence_attr(&s, "=ret="), "1");
		ros_sentence_free(&s);
		client_close(&c);
	}
	sim_stop(&p);
}

/* Seconds of a RouterOS interval such as 1w2d3h4m5s. */
static long interval_seconds(const char *v)
{
	long total = 0, n = 0;
	for (; *v; v++) {
		if (*v >= '0' && *v <= '9') {
			n = n * 10 + (*v - '0');
			continue;
		}
		total += n * (*v == 'w' ? 604800 : *v == 'd' ? 86400 : *v == 'h' ? 3600 : *v == 'm' ? 60 : 1);
		n = 0;
	}
	return total;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void reboot_drops_and_comes_back(void **state)
{
	sim_proc p = sim_start(2, "7.16", NULL, NULL);
	client c;
	ros_sentence s;
	uint64_t sent;
	int fd;
	(void)state;
	client_open(&c, p.port + 1);
	login(&c);
	csend(&c, "/system/resource/print", "=.proplist=uptime", NULL);
	expect(&c, &s, "!re");
	assert_true(interval_seconds(ros_sentence_attr(&s, "=uptime=")) > 60);
	ros_sentence_free(&s);
	expect_done(&c);
	sent = now_ms();
	csend(&c, "/system/reboot", NULL);
	assert_int_equal(crecv_status(&c, &s, 5000), -1); /* no answer, the socket drops */
	client_close(&c);
	fd = try_connect(p.port + 1);
	/* refused while rebooting; a machine that stalled past the reboot proves nothing here */
	if (now_ms() - sent < REBOOT_DELAY_MS)
		assert_int_equal(fd, -1);
	if (fd >= 0)
		close(fd);
	fd = try_connect(p.port); /* the other router is not affected */
	assert_true(fd >= 0);
	close(fd);
	wait_back(p.port + 1);
	client_open(&c, p.port + 1);
	login(&c);
	csend(&c, "/system/resource/print", "=.proplist=uptime", NULL);
	expect(&c, &s, "!re");
	assert_true(interval_seconds(ros_sentence_attr(&s, "=uptime=")) <
		    (long)((now_ms() - sent) / 1000 + 2)); /* counted from the boot */
	ros_sentence_free(&s);
	expect_done(&c);
	client_close(&c);
	sim_stop(&p);
}

static void ping_streams_rows(void **state)
{
	sim_proc p = sim_start(1, "7.16", NULL, NULL);
	client c;
	ros_sentence s;
	(void)state;
	client_open(&c, p.port);
	login(&c);
	csend(&c, "/ping", "=address=8.8.8.8", "=count=3", "=interval=50ms", ".tag=P", NULL);
	for (int i = 0; i < 3; i++) {
		char seq[8];
		expect(&c, &s, "!re");
		snprintf(seq, sizeof seq, "%d", i);
		assert_string_equal(ros_sentence_attr(&s, "=seq="), seq);
		assert_string_equal(ros_sentence_attr(&s, "=host="), "8.8.8.8");
		assert_non_null(ros_sentence_attr(&s, "=time="));
		assert_string_equal(ros_sentence_attr(&s, "=packet-loss="), "0");
		assert_string_equal(ros_sentence_attr(&s, ".tag="), "P");
		ros_sentence_free(&s);
	}
	expect_done(&c);
	/* an unbounded ping runs until cancelled */
	csend(&c, "/ping", "=address=192.0.2.1", "=interval=20ms", ".tag=U", NULL);
	expect(&c, &s, "!re");
	assert_string_equal(ros_sentence_attr(&s, "=status="), "timeout");
	ros_sentence_free(&s);
	csend(&c, "/cancel", NULL);
	for (;;) { /* rows may still be in flight before the trap */
		bool trap;
		crecv(&c, &s);
		trap = !strcmp(s.words[0], "!trap");
		if (trap)
			assert_string_equal(ros_sentence_attr(&s, "=message="), "interrupted");
		else
			assert_string_equal(s.words[0], "!re");
		ros_sentence_free(&s);
		if (trap)
			break;
	}
	expect_done(&c); /* /cancel */
	expect_done(&c); /* the ping */
	client_close(&c);
	sim_stop(&p);
}

static void empty_reply_on_718(void **state)
{
	sim_proc p = sim_start(1, "7.18", NULL, NULL);
	client c;
	ros_sentence s;
	(void)state;
	client_open(&c, p.port);
	login(&c);
	csend(&c, "/ip/address/print", "?interface=ether5", NULL);
	expect(&c, &s, "!empty");
	ros_sentence_free(&s);
	expect_done(&c);
	client_close(&c);
	sim_stop(&p);
}

static void fault_trap_and_drop(void **state)
{
	sim_proc p = sim_start(2, "7.16", "--fault", "delay:1:10");
	client c, d;
	ros_sentence s;
	int fd;
	(void)state;
	client_open(&c, p.port);
	login(&c);
	csend(&c, "/sim/fault", "=spec=trap:0:/system/identity/print:2", NULL);
	expect_done(&c);
	csend(&c, "/system/identity/print", NULL);
	expect(&c, &s, "!re");
	ros_sentence_free(&s);
	expect_done(&c);
	csend(&c, "/system/identity/print", NULL);
	expect_trap(&c, "failure: simulated fault");
	csend(&c, "/system/identity/print", NULL);
	expect(&c, &s, "!re");
	ros_sentence_free(&s);
	expect_done(&c);
	csend(&c, "/sim/fault", "=spec=bogus", NULL);
	expect(&c, &s, "!trap");
	ros_sentence_free(&s);
	expect_done(&c);
	/* drop: the session closes and new connections are closed at once */
	csend(&c, "/sim/fault", "=spec=drop:0", NULL);
	assert_int_equal(crecv_status(&c, &s, 5000), -1);
	client_close(&c);
	fd = try_connect(p.port);
	if (fd >= 0) {
		char byte;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		assert_int_equal(poll(&pfd, 1, 5000), 1);
		assert_true(read(fd, &byte, 1) <= 0);
		close(fd);
	}
	/* router 1 clears router 0 */
	client_open(&d, p.port + 1);
	login(&d);
	csend(&d, "/sim/fault", "=spec=clear:0", NULL);
	expect_done(&d);
	client_open(&c, p.port);
	login(&c);
	csend(&d, "/sim/fault", "=spec=fatal:0", NULL);
	expect_done(&d);
	csend(&c, "/interface/print", NULL);
	expect(&c, &s, "!fatal");
	ros_sentence_free(&s);
	assert_int_equal(crecv_status(&c, &s, 5000), -1);
	client_close(&c);
	client_close(&d);
	sim_stop(&p);
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* delay:R:MS holds every command MS before it is processed — the first of a session too, and each
 * of several sent at once in turn. Other routers are not held. (A lower bound: a loaded machine
 * only makes it longer.) */
static void fault_delay_holds_every_command(void **state)
{
	sim_proc p = sim_start(2, "7.16", "--fault", "delay:0:300");
	client c, d;
	ros_sentence s;
	int64_t t0;
	(void)state;
	client_open(&c, p.port);
	t0 = mono_ms();
	login(&c); /* the session's first command */
	assert_true(mono_ms() - t0 >= 300);
	t0 = mono_ms();
	csend(&c, "/system/identity/print", ".tag=1", NULL);
	csend(&c, "/system/identity/print", ".tag=2", NULL);
	expect(&c, &s, "!re");
	ros_sentence_free(&s);
	expect_done(&c);
	assert_true(mono_ms() - t0 >= 300);
	expect(&c, &s, "!re");
	ros_sentence_free(&s);
	expect_done(&c);
	assert_true(mono_ms() - t0 >= 600);
	client_open(&d, p.port + 1);
	login(&d);
	client_close(&d);
	client_close(&c);
	sim_stop(&p);
}

static void many_routers_answer(void **state)
{
	enum { N = 200 };
	sim_proc p = sim_start(N, "7.16", NULL, NULL);
	(void)state;
	for (int i = 0; i < N; i++) {
		client c;
		ros_sentence s;
		char want[32];
		client_open(&c, p.port + i);
		login(&c);
		csend(&c, "/system/identity/print", NULL);
		expect(&c, &s, "!re");
		snprintf(want, sizeof want, "rtr-%05d", i);
		assert_string_equal(ros_sentence_attr(&s, "=name="), want);
		ros_sentence_free(&s);
		expect_done(&c);
		client_close(&c);
	}
	sim_stop(&p);
}

static char fetch_dir[64]; /* --fetch-dir of the test that made one */
static const char *const fetch_files[] = {"good.rsc", "broken.rsc"};

static void fetch_file_put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", fetch_dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Fetches url into dst-path: rows until !done, or the !trap's message into trap. */
static void fetch(client *c, const char *url, const char *dst, char *trap, size_t trap_len)
{
	char u[160], d[96];
	ros_sentence s;

	snprintf(u, sizeof u, "=url=%s", url);
	snprintf(d, sizeof d, "=dst-path=%s", dst);
	csend(c, "/tool/fetch", u, d, NULL);
	trap[0] = '\0';
	for (;;) {
		crecv(c, &s);
		if (!strcmp(s.words[0], "!trap"))
			snprintf(trap, trap_len, "%s", ros_sentence_attr(&s, "=message="));
		if (!strcmp(s.words[0], "!done")) {
			ros_sentence_free(&s);
			return;
		}
		ros_sentence_free(&s);
	}
}

/* /import of a file /tool/fetch stored (--fetch-dir serves it): its lines run through the menus'
 * set; a missing file, a file the server lacks and a line outside the subset trap, the lines
 * before that line stay applied. */
static void fetch_and_import(void **state)
{
	sim_proc p;
	client c;
	ros_sentence s;
	char trap[200];

	(void)state;
	snprintf(fetch_dir, sizeof fetch_dir, "/tmp/tb-sim-fetch.XXXXXX");
	assert_non_null(mkdtemp(fetch_dir));
	fetch_file_put("good.rsc", "# comment\r\n\r\n/system/identity/set name=\"from file\"\r\n");
	fetch_file_put("broken.rsc", "/system identity set name=first\n"
				     "/system identity set name=second\n"
				     "/ip address add address=10.1.1.1/24 interface=ether1\n");
	p = sim_start(1, "7.16", "--fetch-dir", fetch_dir);
	client_open(&c, p.port);
	login(&c);
	csend(&c, "/import", "=file-name=good.rsc", NULL);
	expect_trap(&c, "no such item");
	fetch(&c, "http://192.0.2.9/files/missing.rsc", "missing.rsc", trap, sizeof trap);
	assert_non_null(strstr(trap, "404"));
	fetch(&c, "http://192.0.2.9/files/good.rsc?x=1", "good.rsc", trap, sizeof trap);
	assert_string_equal(trap, "");
	csend(&c, "/file/print", "?name=good.rsc", NULL);
	expect(&c, &s, "!re");
	assert_non_null(strstr(ros_sentence_attr(&s, "=contents="), "from file"));
	ros_sentence_free(&s);
	expect_done(&c);
	csend(&c, "/import", "=file-name=good.rsc", NULL);
	expect_done(&c);
	csend(&c, "/system/identity/print", NULL);
	expect(&c, &s, "!re");
	assert_string_equal(ros_sentence_attr(&s, "=name="), "from file");
	ros_sentence_free(&s);
	expect_done(&c);
	fetch(&c, "http://192.0.2.9/broken.rsc", "broken.rsc", trap, sizeof trap);
	csend(&c, "/import", "=file-name=broken.rsc", NULL);
	expect_trap(&c, "failure: bad command name (line 3)");
	csend(&c, "/system/identity/print", NULL);
	expect(&c, &s, "!re");
	assert_string_equal(ros_sentence_attr(&s, "=name="), "second");
	ros_sentence_free(&s);
	expect_done(&c);
	client_close(&c);
	sim_stop(&p);
}

/* A failed assertion skips sim_stop: stop the simulator here so no child outlives the test (and
 * remove fetch_and_import's files). */
static int stop_leftover(void **state)
{
	char path[128];

	(void)state;
	if (running_pid > 0)
		itest_stop(running_pid);
	running_pid = 0;
	if (fetch_dir[0]) {
		for (size_t i = 0; i < sizeof fetch_files / sizeof fetch_files[0]; i++) {
			snprintf(path, sizeof path, "%s/%s", fetch_dir, fetch_files[i]);
			unlink(path);
		}
		rmdir(fetch_dir);
		fetch_dir[0] = '\0';
	}
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(login_plain, stop_leftover),
		cmocka_unit_test_teardown(login_challenge_640, stop_leftover),
		cmocka_unit_test_teardown(login_challenge_refused_649, stop_leftover),
		cmocka_unit_test_teardown(print_proplist_and_queries, stop_leftover),
		cmocka_unit_test_teardown(add_set_remove_and_traps, stop_leftover),
		cmocka_unit_test_teardown(unknown_command_double_trap, stop_leftover),
		cmocka_unit_test_teardown(listen_sees_other_session_and_cancel, stop_leftover),
		cmocka_unit_test_teardown(listen_dead_yes_on_v6, stop_leftover),
		cmocka_unit_test_teardown(reboot_drops_and_comes_back, stop_leftover),
		cmocka_unit_test_teardown(reset_configuration_defaults_and_users, stop_leftover),
		cmocka_unit_test_teardown(ping_streams_rows, stop_leftover),
		cmocka_unit_test_teardown(fetch_and_import, stop_leftover),
		cmocka_unit_test_teardown(empty_reply_on_718, stop_leftover),
		cmocka_unit_test_teardown(fault_trap_and_drop, stop_leftover),
		cmocka_unit_test_teardown(fault_delay_holds_every_command, stop_leftover),
		cmocka_unit_test_teardown(many_routers_answer, stop_leftover),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
