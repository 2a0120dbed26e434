// uspjs_controller.js — a USP controller that is not ours: the npm usp-js library (its own
// protobufjs codec of TR-369's Record and Msg, over MQTT 3.1.1 with async-mqtt) drives one of
// trbridge's agents through every message type a controller uses. Prints "ok <step>" per step and
// "uspjs: done" at the end; exits 1 at the first step that does not hold.
//
//   node uspjs_controller.js full <broker port> <agent eid> <controller eid> <answer topic> <tag>
//   node uspjs_controller.js readonly <broker port> <agent eid> <controller eid> <answer topic>
//
// The agent answers on <answer topic> ([usp] controller_topic): usp-js sets no Response Topic.
// `full` leaves a NAT.PortMapping whose Description is <tag> for the test to find on the router.
'use strict';
const assert = require('node:assert');
const connect = require('usp-js').default;

const [mode, port, agent, controller, topic, tag] = process.argv.slice(2);

function within(ms, what, promise) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function refused(what, code, call) {
  let err;
  try {
    await call();
  } catch (e) {
    err = e;
  }
  assert.ok(err, `${what} was not refused`);
  assert.strictEqual(err.errCode, code, `${what}: ${JSON.stringify(err)}`);
  return err;
}

// A write of a required parameter (usp-js marks them all required) without the right: Error 7021
// "Required parameter failed" whose param_errs say 7006 "Permission denied" (TR-369 "Using
// allow_partial and required Parameters")
function deniedParam(err, param) {
  const errs = (err.updatedInstFailures || err.updatedObjResults || [{ paramErrs: err.paramErrs }])
    .flatMap((f) => f.paramErrs || []);
  assert.ok(errs.some((p) => p.param.endsWith(param) && p.errCode === 7006), JSON.stringify(err));
}

// One Notify of a subscription, handed over by usp-js (which answers it with a NotifyResp).
function nextNotify(usp, opts) {
  let clear;
  const got = new Promise((resolve) => {
    clear = usp.subscribe(opts, (msg) => resolve(msg));
  });
  return { added: clear, got };
}

async function full(usp) {
  const protos = await usp.supportedProto('Device.');
  assert.ok(protos.includes('1.4'), JSON.stringify(protos));
  console.log('ok GetSupportedProtocol');

  const version = await usp.get('Device.DeviceInfo.SoftwareVersion');
  assert.match(version, /^[0-9]+\.[0-9]+/);
  const info = await usp.get('Device.DeviceInfo.');
  assert.strictEqual(info.Manufacturer, 'MikroTik');
  await refused('Get of an absent object', 7026, () => usp.get('Device.NoSuchObject.'));
  console.log('ok Get');

  // ValueChange: the subscription is an Add of Device.LocalAgent.Subscription. by usp-js
  const vc = nextNotify(usp, { id: `vc-${tag}`, notif: 'ValueChange',
                               reference: 'Device.DeviceInfo.ProvisioningCode' });
  const clearVc = await vc.added;
  const set = await usp.set('Device.DeviceInfo.ProvisioningCode', tag);
  assert.strictEqual(set[0].updatedParams.ProvisioningCode, tag, JSON.stringify(set));
  console.log('ok Set');
  const change = await within(10000, 'ValueChange Notify', vc.got);
  assert.deepStrictEqual(change, { paramPath: 'Device.DeviceInfo.ProvisioningCode',
                                   paramValue: tag });
  await clearVc();
  console.log('ok Notify ValueChange');

  // a secured parameter: this controller's role is one of the SecuredRoles ([usp] secured_roles)
  const psk = `${tag}-Pass-9`;
  const pskSet = await usp.set('Device.WiFi.AccessPoint.1.Security.KeyPassphrase', psk);
  assert.strictEqual(pskSet[0].updatedParams.KeyPassphrase, psk, JSON.stringify(pskSet));
  assert.strictEqual(await usp.get('Device.WiFi.AccessPoint.1.Security.KeyPassphrase'), psk);
  console.log('ok secured parameter read');

  const oc = nextNotify(usp, { id: `oc-${tag}`, notif: 'ObjectCreation',
                               reference: 'Device.NAT.PortMapping.' });
  const clearOc = await oc.added;
  const added = await usp.add('Device.NAT.PortMapping.', {
    Enable: 'true', Protocol: 'TCP', ExternalPort: '18091', InternalClient: '192.168.88.10',
    InternalPort: '80', Description: tag, Interface: 'Device.IP.Interface.1' });
  assert.match(added, /^Device\.NAT\.PortMapping\.[0-9]+\.$/);
  console.log('ok Add');
  const created = await within(10000, 'ObjectCreation Notify', oc.got);
  assert.strictEqual(created.objPath, added, JSON.stringify(created));
  await clearOc();
  console.log('ok Notify ObjectCreation');

  const insts = await usp.instances('Device.NAT.PortMapping.');
  const row = insts[0].currInsts.find((i) => i.instantiatedObjPath === added);
  assert.ok(row, JSON.stringify(insts));
  assert.match(row.uniqueKeys.Alias, /^cpe-/);
  assert.strictEqual(row.uniqueKeys.ExternalPort, '18091');
  console.log('ok GetInstances');
  const found = await usp.get(`Device.NAT.PortMapping.[Description=="${tag}"].InternalClient`);
  assert.deepStrictEqual(found, ['192.168.88.10']);
  console.log('ok Get search path');

  const dm = await usp.supportedDM('Device.NAT.PortMapping.', {
    firstLevelOnly: true, returnCommands: true, returnEvents: true, returnParams: true });
  const obj = dm[0].supportedObjs.find((o) => o.supportedObjPath === 'Device.NAT.PortMapping.{i}.');
  assert.ok(obj && obj.isMultiInstance && obj.access === 'OBJ_ADD_DELETE', JSON.stringify(dm));
  assert.ok(obj.supportedParams.some((p) => p.paramName === 'ExternalPort'), JSON.stringify(obj));
  console.log('ok GetSupportedDM');

  // an asynchronous command: usp-js subscribes to its OperationComplete by itself
  const [ping, cleanPing] = await usp.operate('Device.IP.Diagnostics.IPPing()');
  const result = new Promise((resolve) => ping.subscribe(resolve));
  await ping({ Host: '192.168.88.1', ProtocolVersion: 'Any', NumberOfRepetitions: '2',
               Timeout: '1000', DataBlockSize: '56' });
  const out = await within(20000, 'OperationComplete', result);
  assert.strictEqual(out.Status, 'Complete', JSON.stringify(out));
  assert.strictEqual(out.SuccessCount, '2', JSON.stringify(out));
  await cleanPing();
  console.log('ok Operate IPPing() OperationComplete');

  // a second row to delete again: the first stays for the test to find on the router
  const other = await usp.add('Device.NAT.PortMapping.', {
    Enable: 'true', Protocol: 'UDP', ExternalPort: '18092', InternalClient: '192.168.88.11',
    InternalPort: '53', Description: `${tag}-gone`, Interface: 'Device.IP.Interface.1' });
  const deleted = await usp.del(other);
  assert.deepStrictEqual(deleted, [other]);
  await refused('Get of the deleted row', 7026, () => usp.get(`${other}ExternalPort`));
  console.log('ok Delete');
}

async function readonly(usp) {
  const name = await usp.get('Device.DeviceInfo.HostName');
  assert.ok(typeof name === 'string' && name.length > 0);
  console.log('ok Get');
  // no secured role: a secured parameter reads empty (TR-181 ControllerTrust.SecuredRoles)
  assert.strictEqual(await usp.get('Device.WiFi.AccessPoint.1.Security.KeyPassphrase'), '');
  console.log('ok secured parameter empty');
  deniedParam(await refused('Set', 7021,
    () => usp.set('Device.DeviceInfo.HostName', 'uspjs-not-allowed')), 'HostName');
  await refused('Add', 7006, () => usp.add('Device.NAT.PortMapping.', { Protocol: 'TCP' }));
  await refused('Operate', 7006, () => usp.operate('Device.Reboot()', { isAsync: false })
    .then(([reboot]) => reboot()));
  console.log('ok refused 7006');
}

(async () => {
  const usp = await connect({
    host: '127.0.0.1', port: Number(port), protocol: 'mqtt', toId: agent, fromId: controller,
    publishEndpoint: `usp/agent/${agent}`, subscribeEndpoint: topic,
  }, { onError: (e) => console.log('usp-js error:', e) });
  await (mode === 'full' ? full(usp) : readonly(usp));
  await usp.disconnect();
  console.log('uspjs: done');
  process.exit(0);
})().catch((e) => {
  console.log('uspjs: FAILED', e && e.stack ? e.stack : JSON.stringify(e));
  process.exit(1);
});
