// controller_client.js — a USP controller that is not trbridge's: the npm `ws` WebSocket client and
// usp_wire.js. It opens sessions to several agents of one bridge at once, checks each opens with
// the agent's WebSocketConnect Record, subscribes to the HostName of each, renames each router, and
// waits for every ValueChange Notify on the session of its own agent, with all sessions kept open.
//
//   node controller_client.js --eid self::ctl --agent ws://127.0.0.1:PORT/usp/sim0=os::AGENT0 ...
//
// Prints one line per step; exits 0 when every check held, 1 (with the reason) otherwise.
'use strict';

const http = require('http');
const WebSocket = require('ws');
const usp = require('./usp_wire');

const args = process.argv.slice(2);
const opt = { agents: [], timeout: 60000 };
for (let i = 0; i < args.length; i += 2) {
  if (args[i] === '--eid') opt.eid = args[i + 1];
  else if (args[i] === '--agent') {
    const at = args[i + 1].lastIndexOf('=');
    opt.agents.push({ url: args[i + 1].slice(0, at), eid: args[i + 1].slice(at + 1) });
  } else if (args[i] === '--timeout') opt.timeout = Number(args[i + 1]) * 1000;
  else throw new Error('unknown argument ' + args[i]);
}

function fail(why) {
  console.log('FAIL ' + why);
  process.exit(1);
}

setTimeout(() => fail('timed out'), opt.timeout).unref();

// R-WS.11a: an agent answers a handshake that used the bbf-usp-protocol extension with its own
// eid. (The ws client refuses an extension it did not ask for, so this one handshake is Node's own
// http upgrade.)
function checkExtensionAnswer(agent) {
  return new Promise((resolve, reject) => {
    const u = new URL(agent.url);
    const req = http.request({
      host: u.hostname, port: u.port, path: u.pathname,
      headers: {
        Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': Buffer.from('0123456789abcdef').toString('base64'),
        'Sec-WebSocket-Protocol': 'v1.usp',
        'Sec-WebSocket-Extensions': `bbf-usp-protocol; eid="${opt.eid}"`,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      const ext = res.headers['sec-websocket-extensions'] || '';
      if (ext !== `bbf-usp-protocol; eid="${agent.eid}"`)
        reject(new Error(`${agent.url}: extension answer "${ext}"`));
      else resolve();
    });
    req.on('response', (res) => reject(new Error(`${agent.url}: HTTP ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}

// One agent's session: Records in order, each handed to whoever waits for it.
class Session {
  constructor(agent, index) {
    this.agent = agent;
    this.index = index;
    this.queue = [];
    this.waiters = [];
    this.nextId = 0;
    const url = agent.url + '?eid=' + encodeURIComponent(opt.eid); // R-WS.10b
    this.ws = new WebSocket(url, 'v1.usp');
    this.ws.on('message', (data, isBinary) => {
      if (!isBinary) fail(`${agent.eid}: a text frame`);
      this.queue.push(usp.parseRecord(data));
      this.pump();
    });
    this.ws.on('close', (code) => { this.closed = code; });
    this.ws.on('error', (e) => fail(`${agent.eid}: ${e.message}`));
  }

  pump() {
    while (this.queue.length && this.waiters.length) this.waiters.shift()(this.queue.shift());
  }

  next() {
    return new Promise((resolve) => { this.waiters.push(resolve); this.pump(); });
  }

  // The next Record, which must come from this session's agent to us.
  async record() {
    const r = await this.next();
    if (r.from !== this.agent.eid || r.to !== opt.eid)
      fail(`${this.agent.eid}: record from ${r.from} to ${r.to} on its session`);
    return r;
  }

  async request(build) {
    const id = `node-${this.index}-${this.nextId++}`;
    this.ws.send(usp.record(this.agent.eid, opt.eid, build(id)));
    for (;;) {
      const r = await this.record();
      if (r.type !== 'no_session_context') continue;
      const m = usp.parseMsg(r.payload);
      if (m.id === id) return m;
      this.early = (this.early || []).concat(m); // a Notify that overtook the answer
    }
  }

  async notify() {
    if (this.early && this.early.length) return this.early.shift();
    const r = await this.record();
    return usp.parseMsg(r.payload);
  }
}

async function main() {
  for (const a of opt.agents) await checkExtensionAnswer(a);
  console.log('extension answered by every agent');

  const sessions = opt.agents.map((a, i) => new Session(a, i));
  await Promise.all(sessions.map(async (s) => {
    const r = await s.record();
    if (r.type !== 'websocket_connect') fail(`${s.agent.eid}: first record is ${r.type}`);
  }));
  console.log(`websocket_connect from ${sessions.length} agents`);

  await Promise.all(sessions.map(async (s) => {
    const m = await s.request((id) => usp.add(id, 'Device.LocalAgent.Subscription.', {
      Enable: 'true', ID: `node-sub-${s.index}`, NotifType: 'ValueChange',
      ReferenceList: 'Device.DeviceInfo.HostName',
    }));
    if (m.kind !== 'response' || !m.added) fail(`${s.agent.eid}: Add answered ${JSON.stringify(m)}`);
  }));
  console.log('subscribed on every agent');

  await Promise.all(sessions.map(async (s) => {
    const name = `node-renamed-${s.index}`;
    const m = await s.request((id) => usp.set(id, 'Device.DeviceInfo.', { HostName: name }));
    if (m.kind !== 'response' || !m.setOk) fail(`${s.agent.eid}: Set answered ${JSON.stringify(m)}`);
    const n = await s.notify();
    const vc = n.notify && n.notify.valueChange;
    if (!vc || vc.path !== 'Device.DeviceInfo.HostName' || vc.value !== name ||
        n.notify.subscriptionId !== `node-sub-${s.index}`)
      fail(`${s.agent.eid}: expected its ValueChange, got ${JSON.stringify(n)}`);
  }));
  console.log('value_change on every session');

  for (const s of sessions)
    if (s.ws.readyState !== WebSocket.OPEN) fail(`${s.agent.eid}: session closed (${s.closed})`);
  console.log(`OK ${sessions.length} sessions open`);
  for (const s of sessions) s.ws.close(1000);
  process.exit(0);
}

main().catch((e) => fail(e.message));
