// controller_server.js — a USP controller that is not trbridge's, listening for agents: the npm `ws`
// server, answering the bbf-usp-protocol extension with its own eid on every handshake (as obuspa's
// server does), and usp_wire.js. For each agent session: the agent's eid must be in the request URI
// (R-WS.10b) and its first Record must be WebSocketConnect (R-MTP.6); then it reads SoftwareVersion.
//
//   node controller_server.js --eid self::ctl --path /controller [--boot]
//
// Prints "listening <port>" first, then one line per step. Without --boot it exits 0 after the
// first agent answered its Get. With --boot it subscribes the agent to Device.Boot! (persistent)
// and waits: the agent's next session (after the bridge restarts) must carry the Boot! Notify;
// it then exits 0. Exit 1 with the reason on any failed check.
'use strict';

const WebSocket = require('ws');
const usp = require('./usp_wire');

const opt = { path: '/controller' };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--eid') opt.eid = args[++i];
  else if (args[i] === '--path') opt.path = args[++i];
  else if (args[i] === '--boot') opt.boot = true;
  else throw new Error('unknown argument ' + args[i]);
}

function fail(why) {
  console.log('FAIL ' + why);
  process.exit(1);
}
setTimeout(() => fail('timed out'), 120000).unref();

const wss = new WebSocket.WebSocketServer({
  host: '127.0.0.1', port: 0, path: opt.path,
  handleProtocols: (protocols) => (protocols.has('v1.usp') ? 'v1.usp' : false),
});
// R-WS.11a, and more: this server names itself whether or not the agent used the extension
wss.on('headers', (headers) => headers.push(`Sec-WebSocket-Extensions: bbf-usp-protocol; eid="${opt.eid}"`));
wss.on('listening', () => console.log(`listening ${wss.address().port}`));

let sessions = 0;

wss.on('connection', (ws, req) => {
  const n = ++sessions;
  const agent = new URL(req.url, 'ws://x').searchParams.get('eid');
  if (!agent) fail('no eid in the request URI');
  if (ws.protocol !== 'v1.usp') fail(`subprotocol "${ws.protocol}"`);
  let step = 'connect';
  ws.on('message', (data, isBinary) => {
    if (!isBinary) fail('a text frame');
    const r = usp.parseRecord(data);
    if (r.from !== agent || r.to !== opt.eid) fail(`record from ${r.from} to ${r.to}`);
    if (step === 'connect') {
      if (r.type !== 'websocket_connect') fail(`session ${n}: first record is ${r.type}`);
      console.log(`session ${n}: websocket_connect from ${agent}`);
      step = n === 1 ? 'get' : 'boot';
      if (n === 1) ws.send(usp.record(agent, opt.eid, usp.get('get-1', ['Device.DeviceInfo.SoftwareVersion'])));
      return;
    }
    const m = usp.parseMsg(r.payload);
    if (step === 'get' && m.id === 'get-1') {
      console.log(`get SoftwareVersion=${m.get && m.get['Device.DeviceInfo.SoftwareVersion']}`);
      if (!opt.boot) process.exit(0);
      step = 'subscribe';
      ws.send(usp.record(agent, opt.eid, usp.add('add-1', 'Device.LocalAgent.Subscription.', {
        Enable: 'true', ID: 'node-boot', NotifType: 'Event', ReferenceList: 'Device.Boot!',
        Persistent: 'true',
      })));
    } else if (step === 'subscribe' && m.id === 'add-1') {
      if (!m.added) fail(`Add answered ${JSON.stringify(m)}`);
      console.log(`subscribed ${m.added}`);
      step = 'wait';
    } else if (step === 'boot' && m.notify && m.notify.event) {
      const ev = m.notify.event;
      if (ev.objPath !== 'Device.' || ev.name !== 'Boot!') fail(`event ${JSON.stringify(ev)}`);
      console.log(`boot Cause=${ev.params.Cause} on session ${n}`);
      process.exit(0);
    }
  });
});
