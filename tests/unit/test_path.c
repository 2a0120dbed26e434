/* test_path.c — cmocka tests of dm_path_parse/dm_path_template/dm_path_reaches: a table of valid
 * and invalid CWMP and USP paths with the expected error and the parsed shape, limits and messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "datamodel/dm_path.h"

#define U DM_PATH_USP
#define C DM_PATH_CWMP
#define CA (DM_PATH_CWMP | DM_PATH_ALIAS)
#define US (DM_PATH_USP | DM_PATH_SUPPORTED)

typedef struct row {
	unsigned flags;
	const char *text;
	tb_err rc;
	const char *shape; /* see shape() below; NULL for errors */
} row;

/* Shape: segments joined by '|': a name (with "+", "#n+", "#*+" after it), "=N" an instance
 * number, "*" a wildcard, "@alias", "?param OP value" (quoted values in "", components joined by
 * "&&"); then "/P" partial, "/C" command, "/E" event. */
static const row rows[] = {
	/* CWMP */
	{ C, "Device.IP.Interface.1.Enable", TB_OK, "Device|IP|Interface|=1|Enable" },
	{ C, "Device.IP.Interface.1.", TB_OK, "Device|IP|Interface|=1/P" },
	{ C, "Device.IP.", TB_OK, "Device|IP/P" },
	{ C, "Device.", TB_OK, "Device/P" },
	{ C, "", TB_OK, "Device/P" },
	{ C, "Device.DeviceInfo.X_00AABB-COM_Foo", TB_OK, "Device|DeviceInfo|X_00AABB-COM_Foo" },
	{ C, "Device.IP.Interface.4294967295.", TB_OK, "Device|IP|Interface|=4294967295/P" },
	{ CA, "Device.IP.Interface.[cpe-1].Enable", TB_OK, "Device|IP|Interface|@cpe-1|Enable" },
	{ CA, "Device.IP.Interface.[wan].", TB_OK, "Device|IP|Interface|@wan/P" },
	{ C, "Device.IP.Interface.[cpe-1].Enable", TB_ERR_PATH_SYNTAX, NULL },
	{ CA, "Device.IP.Interface.[1abc].", TB_ERR_PATH_SYNTAX, NULL },
	{ CA, "Device.IP.Interface.[].", TB_ERR_PATH_SYNTAX, NULL },
	{ CA, "Device.IP.Interface.[a.b].", TB_ERR_PATH_SYNTAX, NULL },
	{ C, "Device.IP.Interface.*.Enable", TB_ERR_PATH_SYNTAX, NULL },
	{ C, "Device.IP.Interface.1", TB_ERR_PATH_SYNTAX, NULL },
	{ C, "Device.Reboot()", TB_ERR_PATH_SYNTAX, NULL },
	{ C, "Device.Boot!", TB_ERR_PATH_SYNTAX, NULL },
	{ C, "Device.NAT.PortMapping.1.Interface+.Name", TB_ERR_PATH_SYNTAX, NULL },
	{ C, "Device..IP.", TB_ERR_PATH_SYNTAX, NULL },
	{ C, ".Device.", TB_ERR_PATH_SYNTAX, NULL },
	{ C, "Device.IP.Interface.01.", TB_ERR_PATH_SYNTAX, NULL },
	{ C, "Device.IP.Interface.0.", TB_ERR_PATH_SYNTAX, NULL },
	{ C, "Device.IP.Interface.4294967296.", TB_ERR_PATH_SYNTAX, NULL },
	{ C, "Device.IP .Interface.", TB_ERR_PATH_SYNTAX, NULL },
	/* USP: names, instances, wildcards */
	{ U, "Device.IP.Interface.1.Enable", TB_OK, "Device|IP|Interface|=1|Enable" },
	{ U, "Device.IP.Interface.*.", TB_OK, "Device|IP|Interface|*/P" },
	{ U, "Device.IP.Interface.*.IPv4Address.*.IPAddress", TB_OK,
	  "Device|IP|Interface|*|IPv4Address|*|IPAddress" },
	{ U, "Device.IP.Interface.3", TB_OK, "Device|IP|Interface|=3/P" },
	{ U, "Device.IP.Interface.", TB_OK, "Device|IP|Interface/P" },
	{ U, "Device.Reboot()", TB_OK, "Device|Reboot()/C" },
	{ U, "Device.Boot!", TB_OK, "Device|Boot!/E" },
	{ U, "Device.IP.Interface.[Name==\"eth0\"].Reset()", TB_OK,
	  "Device|IP|Interface|?Name==\"eth0\"|Reset()/C" },
	{ U, "", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.IP.Interface.Int*.", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.IP.Interface.*x.", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.*.", TB_OK, "Device|*/P" }, /* syntactically fine; resolve rejects */
	{ U, "*.IP.", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.IP.Interface.1.2.", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.IP.Interface.*.*.", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.Reboot().X", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.Reboot(", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.Boot!.", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.IP.Interface.{i}.", TB_ERR_PATH_SYNTAX, NULL },
	{ US, "Device.IP.Interface.{i}.Enable", TB_OK, "Device|IP|Interface|*|Enable" },
	{ U, "Device.X-Y.", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.IP.Interface. 1.", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.IP.Interface.1.Enable ", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.IP.Interface.1..", TB_ERR_PATH_SYNTAX, NULL },
	/* USP: searches and unique keys */
	{ U, "Device.IP.Interface.[Name==\"ether1\"].", TB_OK, "Device|IP|Interface|?Name==\"ether1\"/P" },
	{ U, "Device.IP.Interface.[Type==\"Normal\"&&Stats.ErrorsSent>0].Status", TB_OK,
	  "Device|IP|Interface|?Type==\"Normal\"&&Stats.ErrorsSent>0|Status" },
	{ U, "Device.X.[A!=1&&B<2&&C>3&&D<=4&&E>=5&&F~=6].", TB_OK,
	  "Device|X|?A!=1&&B<2&&C>3&&D<=4&&E>=5&&F~=6/P" },
	{ U, "Device.NAT.PortMapping.[RemoteHost==\"\"&&ExternalPort==0&&Protocol==\"TCP\"].", TB_OK,
	  "Device|NAT|PortMapping|?RemoteHost==\"\"&&ExternalPort==0&&Protocol==\"TCP\"/P" },
	{ U, "Device.IP.Interface.[Type == \"Normal\"].Status", TB_OK,
	  "Device|IP|Interface|?Type==\"Normal\"|Status" },
	{ U, "Device.DSL.Line.[Enable==true].CurrentProfile", TB_OK,
	  "Device|DSL|Line|?Enable==true|CurrentProfile" },
	{ U, "Device.X.[T<2021-06-06T08:00:00Z].", TB_OK, "Device|X|?T<2021-06-06T08:00:00Z/P" },
	{ U, "Device.X.[N==-5].", TB_OK, "Device|X|?N==-5/P" },
	{ U, "Device.X.[S==\"a%22b%25c\"].", TB_OK, "Device|X|?S==\"a\"b%c\"/P" },
	{ U, "Device.X.[S==\"a]b&&c\"].", TB_OK, "Device|X|?S==\"a]b&&c\"/P" },
	{ U, "Device.WiFi.AccessPoint.[SSIDReference+.SSID==\"MyHome\"].", TB_OK,
	  "Device|WiFi|AccessPoint|?SSIDReference+.SSID==\"MyHome\"/P" },
	{ U, "Device.IP.Interface.[].", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.IP.Interface.{Type==\"Normal\"}.Status", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.IP.Interface.[Type==\"Normal\"&&IPv4Address.*.AddressingType==\"Static\"].",
	  TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.IP.Interface.[Type=\"Normal\"].", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.IP.Interface.[Type==\"Normal\"||Name==\"a\"].", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.IP.Interface.[Type==\"Normal\".", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.IP.Interface.[Type==\"Normal].", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.IP.Interface.[Type==].", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.IP.Interface.[==1].", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.IP.Interface.[A==1&&].", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.IP.Interface.[A==1 ].", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.X.[S==\"100%\"].", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.X.[S==\"a%00\"].", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.X.[A+==1].", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.[A==1].", TB_OK, "Device|?A==1/P" }, /* syntactically fine; resolve rejects */
	/* USP: reference following */
	{ U, "Device.NAT.PortMapping.1.Interface+.Name", TB_OK,
	  "Device|NAT|PortMapping|=1|Interface+|Name" },
	{ U, "Device.NAT.PortMapping.1.Interface+.", TB_OK, "Device|NAT|PortMapping|=1|Interface+/P" },
	{ U, "Device.WiFi.SSID.1.LowerLayers#2+.Name", TB_OK, "Device|WiFi|SSID|=1|LowerLayers#2+|Name" },
	{ U, "Device.WiFi.SSID.*.LowerLayers#*+.Name", TB_OK,
	  "Device|WiFi|SSID|*|LowerLayers#*+|Name" },
	{ U, "Device.NAT.PortMapping.1.Interface+", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.NAT.PortMapping.1.Interface+.1.", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.WiFi.SSID.1.LowerLayers#0+.Name", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.WiFi.SSID.1.LowerLayers#2.Name", TB_ERR_PATH_SYNTAX, NULL },
	{ U, "Device.WiFi.SSID.1.LowerLayers#+.Name", TB_ERR_PATH_SYNTAX, NULL },
	/* both syntaxes at once */
	{ U | C, "", TB_OK, "Device/P" },
	{ U | C, "Device.IP.Interface.*.", TB_OK, "Device|IP|Interface|*/P" },
};

static void put_ref(char *buf, size_t len, int ref)
{
	size_t n = strlen(buf);

	if (ref == DM_REF_FIRST)
		snprintf(buf + n, len - n, "+");
	else if (ref == DM_REF_ALL)
		snprintf(buf + n, len - n, "#*+");
	else if (ref > 0)
		snprintf(buf + n, len - n, "#%d+", ref);
}

static void shape(const dm_path *p, char *buf, size_t len)
{
	static const char *ops[] = { "==", "!=", "<", ">", "<=", ">=", "~=" };

	buf[0] = '\0';
	for (size_t i = 0; i < p->n; i++) {
		const dm_seg *s = &p->segs[i];
		size_t n = strlen(buf);

		if (i)
			n += (size_t)snprintf(buf + n, len - n, "|");
		switch (s->kind) {
		case DM_SEG_NAME:
			snprintf(buf + n, len - n, "%s", s->name);
			put_ref(buf, len, s->ref);
			break;
		case DM_SEG_INST:
			snprintf(buf + n, len - n, "=%u", s->inst);
			break;
		case DM_SEG_WILD:
			snprintf(buf + n, len - n, "*");
			break;
		case DM_SEG_ALIAS:
			snprintf(buf + n, len - n, "@%s", s->name);
			break;
		case DM_SEG_SEARCH:
			snprintf(buf + n, len - n, "?");
			for (size_t j = 0; j < s->n_exprs; j++) {
				const dm_expr *x = &s->exprs[j];
				const char *q = x->quoted ? "\"" : "";

				n = strlen(buf);
				snprintf(buf + n, len - n, "%s%s%s%s%s%s", j ? "&&" : "", x->param,
					 ops[x->op], q, x->value, q);
			}
			break;
		}
	}
	if (p->partial)
		strncat(buf, "/P", len - strlen(buf) - 1);
	if (p->command)
		strncat(buf, "/C", len - strlen(buf) - 1);
	if (p->event)
		strncat(buf, "/E", len - strlen(buf) - 1);
}

static void table(void **state)
{
	(void)state;
	assert_true(sizeof(rows) / sizeof(rows[0]) >= 40);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const row *r = &rows[i];
		dm_path p;
		tb_errctx e;
		char got[512];
		tb_err rc;

		tb_err_clear(&e);
		rc = dm_path_parse(r->text, r->flags, &p, &e);
		if (rc != r->rc)
			fail_msg("row %zu \"%s\": got %s (%s), want %s", i, r->text, tb_err_str(rc),
				 e.msg, tb_err_str(r->rc));
		if (rc != TB_OK) {
			assert_non_null(strstr(e.msg, "offset"));
			assert_null(p.segs);
			continue;
		}
		shape(&p, got, sizeof got);
		if (strcmp(got, r->shape) != 0)
			fail_msg("row %zu \"%s\": shape %s, want %s", i, r->text, got, r->shape);
		dm_path_free(&p);
	}
}

static void search_rel_segments(void **state)
{
	dm_path p;
	const dm_expr *x;
	(void)state;
	assert_int_equal(dm_path_parse("Device.X.[A#3+.B+.C==\"v\"].", DM_PATH_USP, &p, NULL), TB_OK);
	x = &p.segs[2].exprs[0];
	assert_string_equal(x->param, "A#3+.B+.C");
	assert_int_equal(x->n_rel, 3);
	assert_string_equal(x->rel[0].name, "A");
	assert_int_equal(x->rel[0].ref, 3);
	assert_string_equal(x->rel[1].name, "B");
	assert_int_equal(x->rel[1].ref, DM_REF_FIRST);
	assert_string_equal(x->rel[2].name, "C");
	assert_int_equal(x->rel[2].ref, DM_REF_NONE);
	assert_true(x->quoted);
	dm_path_free(&p);
}

static void error_names_position(void **state)
{
	dm_path p;
	tb_errctx e;
	(void)state;
	assert_int_equal(dm_path_parse("Device.IP..X", DM_PATH_USP, &p, &e), TB_ERR_PATH_SYNTAX);
	assert_non_null(strstr(e.msg, "offset 10"));
	assert_int_equal(dm_path_parse("Device.IP.Interface.[A==1 ].", DM_PATH_USP, &p, &e),
			 TB_ERR_PATH_SYNTAX);
	assert_non_null(strstr(e.msg, "offset 25"));
	assert_int_equal(dm_path_parse("Device.\x01", DM_PATH_USP, &p, &e), TB_ERR_PATH_SYNTAX);
	assert_non_null(strstr(e.msg, "0x01"));
}

static void limits(void **state)
{
	char buf[DM_PATH_MAX_LEN + 16];
	dm_path p;
	size_t n = 0;
	(void)state;
	/* exactly DM_PATH_MAX_SEGS segments parse, one more does not */
	n = (size_t)snprintf(buf, sizeof buf, "Device");
	for (int i = 1; i < DM_PATH_MAX_SEGS; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, ".A");
	assert_int_equal(dm_path_parse(buf, DM_PATH_USP, &p, NULL), TB_OK);
	assert_int_equal(p.n, DM_PATH_MAX_SEGS);
	dm_path_free(&p);
	snprintf(buf + n, sizeof buf - n, ".B");
	assert_int_equal(dm_path_parse(buf, DM_PATH_USP, &p, NULL), TB_ERR_PATH_SYNTAX);
	/* length */
	memset(buf, 'A', DM_PATH_MAX_LEN);
	buf[DM_PATH_MAX_LEN] = '\0';
	assert_int_equal(dm_path_parse(buf, DM_PATH_USP, &p, NULL), TB_OK);
	dm_path_free(&p);
	buf[DM_PATH_MAX_LEN] = 'A';
	buf[DM_PATH_MAX_LEN + 1] = '\0';
	assert_int_equal(dm_path_parse(buf, DM_PATH_USP, &p, NULL), TB_ERR_PATH_SYNTAX);
	/* bad arguments */
	assert_int_equal(dm_path_parse("Device.", 0, &p, NULL), TB_ERR_INVALID_ARG);
	assert_int_equal(dm_path_parse(NULL, DM_PATH_USP, &p, NULL), TB_ERR_INVALID_ARG);
	dm_path_free(NULL);
}

static void reaches(void **state)
{
	const char *stats = "Device.Ethernet.Interface.{i}.";
	(void)state;
	assert_true(dm_path_reaches("", stats));                  /* CWMP: the whole tree */
	assert_true(dm_path_reaches("Device.", stats));
	assert_true(dm_path_reaches("Device.Ethernet.", stats));
	assert_true(dm_path_reaches("Device.Ethernet.Interface.", stats));
	assert_true(dm_path_reaches("Device.Ethernet.Interface.2.Stats.BytesSent", stats));
	assert_true(dm_path_reaches("Device.Ethernet.Interface.*.Stats.", stats));
	assert_true(dm_path_reaches("Device.Ethernet.Interface.[Name==\"e.1\"].Stats.", stats));
	assert_true(dm_path_reaches("Device.Ethernet.Interface.[cpe-1].Enable", stats));
	assert_true(dm_path_reaches("Device.IP.Interface.1.LowerLayers#1+.Stats.", stats));
	assert_true(dm_path_reaches("Device.DeviceInfo.UpTime", "Device.DeviceInfo."));
	assert_false(dm_path_reaches("Device.DeviceInfo.", stats));
	assert_false(dm_path_reaches("Device.Ethernet.Link.", stats));
	assert_false(dm_path_reaches("Device.Ethernet.InterfaceNumberOfEntries", stats));
	assert_false(dm_path_reaches("Device.Ethernet.Interface.Stats.", stats));
	assert_false(dm_path_reaches("Device.DeviceInfo.UpTime", "Device.DeviceInfo.FirmwareImage.{i}."));
	assert_false(dm_path_reaches("Device.DeviceInfo.", "Device.Time."));
}

static void templates(void **state)
{
	char out[128];
	(void)state;
	assert_int_equal(dm_path_template("Device.IP.Interface.3.Stats.BytesSent", out, sizeof out),
			 TB_OK);
	assert_string_equal(out, "Device.IP.Interface.{i}.Stats.BytesSent");
	assert_int_equal(dm_path_template("Device.IP.Interface.3.IPv4Address.12.", out, sizeof out),
			 TB_OK);
	assert_string_equal(out, "Device.IP.Interface.{i}.IPv4Address.{i}.");
	assert_int_equal(dm_path_template("Device.IP.Interface.[Name==\"a.b\"].*.X_1", out,
					  sizeof out), TB_OK);
	assert_string_equal(out, "Device.IP.Interface.{i}.{i}.X_1");
	assert_int_equal(dm_path_template("Device.IP.Interface.{i}.", out, sizeof out), TB_OK);
	assert_string_equal(out, "Device.IP.Interface.{i}.");
	assert_int_equal(dm_path_template("Device.", out, sizeof out), TB_OK);
	assert_string_equal(out, "Device.");
	assert_int_equal(dm_path_template("Device.IP.Interface.3.", out, 25), TB_OK);
	assert_int_equal(dm_path_template("Device.IP.Interface.3.", out, 24), TB_ERR_TOO_BIG);
	assert_int_equal(dm_path_template(NULL, out, sizeof out), TB_ERR_INVALID_ARG);
}

/* Lists of paths (ReferenceList, Targets): commas inside [...] stay in the item. */
static void path_lists(void **state)
{
	const char *cur = " Device.A., Device.B.[X==\"1,2\"&&Y>1].C ,,Device.D";
	char out[32], tiny[4];
	(void)state;
	assert_true(dm_path_list_next(&cur, out, sizeof out));
	assert_string_equal(out, "Device.A.");
	assert_true(dm_path_list_next(&cur, out, sizeof out));
	assert_string_equal(out, "Device.B.[X==\"1,2\"&&Y>1].C");
	assert_true(dm_path_list_next(&cur, tiny, sizeof tiny));
	assert_string_equal(tiny, ""); /* too long for out: no path */
	assert_false(dm_path_list_next(&cur, out, sizeof out));
	cur = "";
	assert_false(dm_path_list_next(&cur, out, sizeof out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(search_rel_segments),
		cmocka_unit_test(error_names_position),
		cmocka_unit_test(limits),
		cmocka_unit_test(templates),
		cmocka_unit_test(reaches),
		cmocka_unit_test(path_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
