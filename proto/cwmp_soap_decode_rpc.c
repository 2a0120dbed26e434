/* cwmp_soap_decode_rpc.c — the arguments of every CWMP RPC, request and response, and of a SOAP
 * Fault, read into cwmp_msg (names and order per cwmp-1-2.xsd; order is not enforced on input). */
#include "proto/cwmp_soap_dec.h"

#include <string.h>

/* Liberal where real ACSs are: a ParameterKey, CommandKey or optional Download/Upload argument
 * that is missing reads as "" or 0; FileType and URL are required. */
static tb_err download(const cx *c, const xmlNode *el, cwmp_download *d)
{
	tb_err rc;
	if ((rc = cx_arg_str(c, el, "CommandKey", false, &d->command_key)) ||
	    (rc = cx_arg_str(c, el, "FileType", true, &d->file_type)) ||
	    (rc = cx_arg_str(c, el, "URL", true, &d->url)) ||
	    (rc = cx_arg_str(c, el, "Username", false, &d->username)) ||
	    (rc = cx_arg_str(c, el, "Password", false, &d->password)) ||
	    (rc = cx_arg_uint(c, el, "FileSize", false, &d->file_size)) ||
	    (rc = cx_arg_str(c, el, "TargetFileName", false, &d->target_file_name)) ||
	    (rc = cx_arg_uint(c, el, "DelaySeconds", false, &d->delay_seconds)) ||
	    (rc = cx_arg_str(c, el, "SuccessURL", false, &d->success_url)) ||
	    (rc = cx_arg_str(c, el, "FailureURL", false, &d->failure_url)))
		return rc;
	return TB_OK;
}

static tb_err upload(const cx *c, const xmlNode *el, cwmp_upload *u)
{
	tb_err rc;
	if ((rc = cx_arg_str(c, el, "CommandKey", false, &u->command_key)) ||
	    (rc = cx_arg_str(c, el, "FileType", true, &u->file_type)) ||
	    (rc = cx_arg_str(c, el, "URL", true, &u->url)) ||
	    (rc = cx_arg_str(c, el, "Username", false, &u->username)) ||
	    (rc = cx_arg_str(c, el, "Password", false, &u->password)) ||
	    (rc = cx_arg_uint(c, el, "DelaySeconds", false, &u->delay_seconds)))
		return rc;
	return TB_OK;
}

static tb_err inform(const cx *c, const xmlNode *el, cwmp_inform *in)
{
	const xmlNode *dev = cx_arg(el, "DeviceId");
	cwmp_device_id *d = &in->device_id;
	tb_err rc;

	if (!dev)
		return tb_errf(c->e, TB_ERR_INVALID_ARG, "missing argument DeviceId");
	if ((rc = cx_arg_str(c, dev, "Manufacturer", true, &d->manufacturer)) ||
	    (rc = cx_arg_str(c, dev, "OUI", true, &d->oui)) ||
	    (rc = cx_arg_str(c, dev, "ProductClass", true, &d->product_class)) ||
	    (rc = cx_arg_str(c, dev, "SerialNumber", true, &d->serial_number)) ||
	    (rc = cx_events(c, el, "Event", &in->events)) ||
	    (rc = cx_arg_uint(c, el, "MaxEnvelopes", true, &in->max_envelopes)) ||
	    (rc = cx_arg_time(c, el, "CurrentTime", true, &in->current_time)) ||
	    (rc = cx_arg_uint(c, el, "RetryCount", true, &in->retry_count)) ||
	    (rc = cx_param_values(c, el, "ParameterList", &in->params)))
		return rc;
	return TB_OK;
}

static tb_err transfer_complete(const cx *c, const xmlNode *el, cwmp_transfer_complete *t)
{
	const xmlNode *f = cx_arg(el, "FaultStruct");
	tb_err rc;

	if (!f)
		return tb_errf(c->e, TB_ERR_INVALID_ARG, "missing argument FaultStruct");
	if ((rc = cx_arg_str(c, el, "CommandKey", true, &t->command_key)) ||
	    (rc = cx_arg_int(c, f, "FaultCode", true, &t->fault_code)) ||
	    (rc = cx_arg_str(c, f, "FaultString", false, &t->fault_string)) ||
	    (rc = cx_arg_time(c, el, "StartTime", true, &t->start_time)) ||
	    (rc = cx_arg_time(c, el, "CompleteTime", true, &t->complete_time)))
		return rc;
	return TB_OK;
}

/* Status of a response: 0 applied, 1 committed but applied later (every response that has one). */
static tb_err status(const cx *c, const xmlNode *el, int *out)
{
	tb_err rc = cx_arg_int(c, el, "Status", true, out);
	if (rc == TB_OK && *out != 0 && *out != 1)
		return tb_errf(c->e, TB_ERR_INVALID_ARG, "Status %d is neither 0 nor 1", *out);
	return rc;
}

tb_err cx_rpc_args(const cx *c, const xmlNode *el, cwmp_msg *m)
{
	tb_err rc = TB_OK;

	switch (m->method) {
	case CWMP_M_GET_PARAMETER_VALUES:
	case CWMP_M_GET_PARAMETER_ATTRIBUTES:
		return cx_strings(c, el, "ParameterNames", &m->u.names);
	case CWMP_M_SET_PARAMETER_VALUES:
		if ((rc = cx_param_values(c, el, "ParameterList", &m->u.spv.params)))
			return rc;
		return cx_arg_str(c, el, "ParameterKey", false, &m->u.spv.parameter_key);
	case CWMP_M_GET_PARAMETER_NAMES:
		/* an empty <ParameterPath/> is the whole tree; NextLevel may be 0/1 */
		if ((rc = cx_arg_str(c, el, "ParameterPath", true, &m->u.gpn.path)))
			return rc;
		return cx_arg_bool(c, el, "NextLevel", true, &m->u.gpn.next_level);
	case CWMP_M_SET_PARAMETER_ATTRIBUTES:
		return cx_set_attrs(c, el, "ParameterList", &m->u.set_attrs);
	case CWMP_M_ADD_OBJECT:
	case CWMP_M_DELETE_OBJECT:
		if ((rc = cx_arg_str(c, el, "ObjectName", true, &m->u.object.object_name)))
			return rc;
		return cx_arg_str(c, el, "ParameterKey", false, &m->u.object.parameter_key);
	case CWMP_M_REBOOT:
		return cx_arg_str(c, el, "CommandKey", false, &m->u.command_key);
	case CWMP_M_DOWNLOAD:
		return download(c, el, &m->u.download);
	case CWMP_M_UPLOAD:
		return upload(c, el, &m->u.upload);
	case CWMP_M_SCHEDULE_INFORM:
		if ((rc = cx_arg_uint(c, el, "DelaySeconds", true, &m->u.schedule_inform.delay_seconds)))
			return rc;
		return cx_arg_str(c, el, "CommandKey", false, &m->u.schedule_inform.command_key);
	case CWMP_M_GET_RPC_METHODS_RESPONSE:
		return cx_strings(c, el, "MethodList", &m->u.methods);
	case CWMP_M_SET_PARAMETER_VALUES_RESPONSE:
	case CWMP_M_DELETE_OBJECT_RESPONSE:
		return status(c, el, &m->u.status);
	case CWMP_M_GET_PARAMETER_VALUES_RESPONSE:
		return cx_param_values(c, el, "ParameterList", &m->u.values);
	case CWMP_M_GET_PARAMETER_NAMES_RESPONSE:
		return cx_param_infos(c, el, "ParameterList", &m->u.infos);
	case CWMP_M_GET_PARAMETER_ATTRIBUTES_RESPONSE:
		return cx_param_attrs(c, el, "ParameterList", &m->u.attrs);
	case CWMP_M_ADD_OBJECT_RESPONSE:
		if ((rc = cx_arg_uint(c, el, "InstanceNumber", true, &m->u.add_resp.instance_number)))
			return rc;
		return status(c, el, &m->u.add_resp.status);
	case CWMP_M_DOWNLOAD_RESPONSE:
	case CWMP_M_UPLOAD_RESPONSE:
		if ((rc = status(c, el, &m->u.transfer_resp.status)) ||
		    (rc = cx_arg_time(c, el, "StartTime", false, &m->u.transfer_resp.start_time)))
			return rc;
		return cx_arg_time(c, el, "CompleteTime", false, &m->u.transfer_resp.complete_time);
	case CWMP_M_INFORM:
		return inform(c, el, &m->u.inform);
	case CWMP_M_TRANSFER_COMPLETE:
		return transfer_complete(c, el, &m->u.transfer_complete);
	case CWMP_M_INFORM_RESPONSE:
		/* required by the schema; an ACS that leaves it out is read as saying 1 */
		m->u.max_envelopes = 1;
		return cx_arg(el, "MaxEnvelopes") ? cx_arg_uint(c, el, "MaxEnvelopes", true, &m->u.max_envelopes)
						  : TB_OK;
	default: /* methods without arguments */
		return TB_OK;
	}
}

/* SOAP 1.1 Fault children (faultcode, faultstring, detail) are unqualified; some peers qualify
 * them with the envelope namespace. */
static const xmlNode *soap_child(const xmlNode *parent, const char *local)
{
	for (const xmlNode *n = parent->children; n; n = n->next)
		if (cx_is(n, local, NULL) || cx_is(n, local, CWMP_NS_SOAP_ENV))
			return n;
	return NULL;
}

tb_err cx_fault(const cx *c, const xmlNode *el, cwmp_msg *m)
{
	cwmp_fault *f = &m->u.fault;
	const xmlNode *detail = soap_child(el, "detail"), *cf = NULL;
	tb_err rc;

	if ((rc = cx_text(c, soap_child(el, "faultcode"), &f->soap_faultcode)) ||
	    (rc = cx_text(c, soap_child(el, "faultstring"), &f->soap_faultstring)))
		return rc;
	for (const xmlNode *n = detail ? detail->children : NULL; n && !cf; n = n->next)
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "Fault") == 0 &&
		    cx_cwmp_ns(n, &m->ns))
			cf = n;
	if (!cf) { /* a plain SOAP fault: no CWMP code */
		f->string = f->soap_faultstring;
		return TB_OK;
	}
	if ((rc = cx_arg_int(c, cf, "FaultCode", true, &f->code)) ||
	    (rc = cx_arg_str(c, cf, "FaultString", false, &f->string)))
		return rc;
	return cx_spv_faults(c, cf, &f->spv_faults);
}
