/* cwmp_soap_encode_rpc.c — the body of every CWMP message: argument names, order and types as
 * cwmp-1-2.xsd gives them, xsi:type on every Value, soap-enc:arrayType on every array. */
#include "proto/cwmp_fault.h"
#include "proto/cwmp_soap_wr.h"

static void strings(wr *w, const char *name, const cwmp_strings *s)
{
	wr_array(w, name, "xsd:string", s->n);
	for (size_t i = 0; i < s->n; i++)
		wr_req(w, "string", s->v[i]);
	wr_close(w, name);
}

static void values(wr *w, const cwmp_param_values *p)
{
	wr_array(w, "ParameterList", "cwmp:ParameterValueStruct", p->n);
	for (size_t i = 0; i < p->n; i++) {
		const char *type = cwmp_type_name(p->v[i].type);
		if (!type) {
			wr_fail(w, TB_ERR_INVALID_ARG, "a Value without a known type");
			return;
		}
		wr_raw(w, "<ParameterValueStruct>");
		wr_req(w, "Name", p->v[i].name);
		wr_fmt(w, "<Value xsi:type=\"%s\">", type);
		wr_text(w, p->v[i].value);
		wr_raw(w, "</Value></ParameterValueStruct>");
	}
	wr_close(w, "ParameterList");
}

static void infos(wr *w, const cwmp_param_infos *p)
{
	wr_array(w, "ParameterList", "cwmp:ParameterInfoStruct", p->n);
	for (size_t i = 0; i < p->n; i++) {
		wr_raw(w, "<ParameterInfoStruct>");
		wr_req(w, "Name", p->v[i].name);
		wr_bool(w, "Writable", p->v[i].writable);
		wr_raw(w, "</ParameterInfoStruct>");
	}
	wr_close(w, "ParameterList");
}

static void attrs(wr *w, const cwmp_param_attrs *p)
{
	wr_array(w, "ParameterList", "cwmp:ParameterAttributeStruct", p->n);
	for (size_t i = 0; i < p->n; i++) {
		wr_raw(w, "<ParameterAttributeStruct>");
		wr_req(w, "Name", p->v[i].name);
		wr_int(w, "Notification", p->v[i].notification);
		strings(w, "AccessList", &p->v[i].access_list);
		wr_raw(w, "</ParameterAttributeStruct>");
	}
	wr_close(w, "ParameterList");
}

static void set_attrs(wr *w, const cwmp_set_attrs *p)
{
	wr_array(w, "ParameterList", "cwmp:SetParameterAttributesStruct", p->n);
	for (size_t i = 0; i < p->n; i++) {
		wr_raw(w, "<SetParameterAttributesStruct>");
		wr_req(w, "Name", p->v[i].name);
		wr_bool(w, "NotificationChange", p->v[i].notification_change);
		wr_int(w, "Notification", p->v[i].notification);
		wr_bool(w, "AccessListChange", p->v[i].access_list_change);
		strings(w, "AccessList", &p->v[i].access_list);
		wr_raw(w, "</SetParameterAttributesStruct>");
	}
	wr_close(w, "ParameterList");
}

static void inform(wr *w, const cwmp_inform *in)
{
	wr_raw(w, "<DeviceId>");
	wr_req(w, "Manufacturer", in->device_id.manufacturer);
	wr_req(w, "OUI", in->device_id.oui);
	wr_req(w, "ProductClass", in->device_id.product_class);
	wr_req(w, "SerialNumber", in->device_id.serial_number);
	wr_raw(w, "</DeviceId>");
	wr_array(w, "Event", "cwmp:EventStruct", in->events.n);
	for (size_t i = 0; i < in->events.n; i++) {
		wr_raw(w, "<EventStruct>");
		wr_req(w, "EventCode", in->events.v[i].code);
		wr_str(w, "CommandKey", in->events.v[i].command_key);
		wr_raw(w, "</EventStruct>");
	}
	wr_close(w, "Event");
	wr_uint(w, "MaxEnvelopes", in->max_envelopes);
	wr_time(w, "CurrentTime", in->current_time);
	wr_uint(w, "RetryCount", in->retry_count);
	values(w, &in->params);
}

static void download(wr *w, const cwmp_download *d)
{
	wr_str(w, "CommandKey", d->command_key);
	wr_req(w, "FileType", d->file_type);
	wr_req(w, "URL", d->url);
	wr_str(w, "Username", d->username);
	wr_str(w, "Password", d->password);
	wr_uint(w, "FileSize", d->file_size);
	wr_str(w, "TargetFileName", d->target_file_name);
	wr_uint(w, "DelaySeconds", d->delay_seconds);
	wr_str(w, "SuccessURL", d->success_url);
	wr_str(w, "FailureURL", d->failure_url);
}

static void upload(wr *w, const cwmp_upload *u)
{
	wr_str(w, "CommandKey", u->command_key);
	wr_req(w, "FileType", u->file_type);
	wr_req(w, "URL", u->url);
	wr_str(w, "Username", u->username);
	wr_str(w, "Password", u->password);
	wr_uint(w, "DelaySeconds", u->delay_seconds);
}

/* TR-069 Annex A: faultcode "Client" or "Server", faultstring "CWMP fault", the cwmp:Fault in
 * detail with one SetParameterValuesFault per parameter that failed. */
static void fault(wr *w, const cwmp_fault *f)
{
	const char *fc = f->soap_faultcode ? f->soap_faultcode : cwmp_fault_is_client(f->code) ? "Client" : "Server";

	wr_raw(w, "<soap-env:Fault>");
	wr_str(w, "faultcode", fc);
	wr_str(w, "faultstring", f->soap_faultstring ? f->soap_faultstring : "CWMP fault");
	wr_raw(w, "<detail><cwmp:Fault>");
	wr_int(w, "FaultCode", f->code);
	wr_str(w, "FaultString", f->string ? f->string : cwmp_fault_string(f->code));
	for (size_t i = 0; i < f->spv_faults.n; i++) {
		const cwmp_spv_fault *s = &f->spv_faults.v[i];
		wr_raw(w, "<SetParameterValuesFault>");
		wr_req(w, "ParameterName", s->name);
		wr_int(w, "FaultCode", s->code);
		wr_str(w, "FaultString", s->string ? s->string : cwmp_fault_string(s->code));
		wr_raw(w, "</SetParameterValuesFault>");
	}
	wr_raw(w, "</cwmp:Fault></detail></soap-env:Fault>");
}

static void args(wr *w, const cwmp_msg *m)
{
	switch (m->method) {
	case CWMP_M_GET_PARAMETER_VALUES:
	case CWMP_M_GET_PARAMETER_ATTRIBUTES:
		strings(w, "ParameterNames", &m->u.names);
		break;
	case CWMP_M_SET_PARAMETER_VALUES:
		values(w, &m->u.spv.params);
		wr_str(w, "ParameterKey", m->u.spv.parameter_key);
		break;
	case CWMP_M_GET_PARAMETER_NAMES:
		wr_str(w, "ParameterPath", m->u.gpn.path);
		wr_bool(w, "NextLevel", m->u.gpn.next_level);
		break;
	case CWMP_M_SET_PARAMETER_ATTRIBUTES:
		set_attrs(w, &m->u.set_attrs);
		break;
	case CWMP_M_ADD_OBJECT:
	case CWMP_M_DELETE_OBJECT:
		wr_req(w, "ObjectName", m->u.object.object_name);
		wr_str(w, "ParameterKey", m->u.object.parameter_key);
		break;
	case CWMP_M_REBOOT:
		wr_str(w, "CommandKey", m->u.command_key);
		break;
	case CWMP_M_DOWNLOAD:
		download(w, &m->u.download);
		break;
	case CWMP_M_UPLOAD:
		upload(w, &m->u.upload);
		break;
	case CWMP_M_SCHEDULE_INFORM:
		wr_uint(w, "DelaySeconds", m->u.schedule_inform.delay_seconds);
		wr_str(w, "CommandKey", m->u.schedule_inform.command_key);
		break;
	case CWMP_M_GET_RPC_METHODS_RESPONSE:
		strings(w, "MethodList", &m->u.methods);
		break;
	case CWMP_M_SET_PARAMETER_VALUES_RESPONSE:
	case CWMP_M_DELETE_OBJECT_RESPONSE:
		wr_int(w, "Status", m->u.status);
		break;
	case CWMP_M_GET_PARAMETER_VALUES_RESPONSE:
		values(w, &m->u.values);
		break;
	case CWMP_M_GET_PARAMETER_NAMES_RESPONSE:
		infos(w, &m->u.infos);
		break;
	case CWMP_M_GET_PARAMETER_ATTRIBUTES_RESPONSE:
		attrs(w, &m->u.attrs);
		break;
	case CWMP_M_ADD_OBJECT_RESPONSE:
		wr_uint(w, "InstanceNumber", m->u.add_resp.instance_number);
		wr_int(w, "Status", m->u.add_resp.status);
		break;
	case CWMP_M_DOWNLOAD_RESPONSE:
	case CWMP_M_UPLOAD_RESPONSE:
		wr_int(w, "Status", m->u.transfer_resp.status);
		wr_time(w, "StartTime", m->u.transfer_resp.start_time);
		wr_time(w, "CompleteTime", m->u.transfer_resp.complete_time);
		break;
	case CWMP_M_INFORM:
		inform(w, &m->u.inform);
		break;
	case CWMP_M_TRANSFER_COMPLETE:
		wr_str(w, "CommandKey", m->u.transfer_complete.command_key);
		wr_raw(w, "<FaultStruct>");
		wr_int(w, "FaultCode", m->u.transfer_complete.fault_code);
		wr_str(w, "FaultString", m->u.transfer_complete.fault_string);
		wr_raw(w, "</FaultStruct>");
		wr_time(w, "StartTime", m->u.transfer_complete.start_time);
		wr_time(w, "CompleteTime", m->u.transfer_complete.complete_time);
		break;
	case CWMP_M_INFORM_RESPONSE:
		wr_uint(w, "MaxEnvelopes", m->u.max_envelopes);
		break;
	default: /* methods without arguments */
		break;
	}
}

void wr_body(wr *w, const cwmp_msg *m)
{
	const char *name = cwmp_method_name(m->method);

	if (m->method == CWMP_M_FAULT) {
		fault(w, &m->u.fault);
		return;
	}
	wr_fmt(w, "<cwmp:%s>", name);
	args(w, m);
	wr_fmt(w, "</cwmp:%s>", name);
}
