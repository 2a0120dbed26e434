// hold_sessions.js — one controller (the npm `ws` client) opens a session to each of N agents of one
// bridge at once, waits for every WebSocketConnect, holds them all, then sends a Get on each and
// checks that every session is still open. For bench/bench_ws_sessions.sh.
//
//   node hold_sessions.js --eid self::ctl --base ws://127.0.0.1:PORT/usp/sim --n 500 [--hold 5]
//
// Prints "open N in T ms", "ready" (all open: measure now), "gets N in T ms", "OK N sessions open".
'use strict';

const WebSocket = require('ws');
const usp = require('./usp_wire');

const opt = { hold: 5 };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 2) opt[args[i].replace(/^--/, '')] = args[i + 1];
const n = Number(opt.n);

function fail(why) {
  console.log('FAIL ' + why);
  process.exit(1);
}
setTimeout(() => fail('timed out'), 600000).unref();

const sessions = [];
const now = () => Number(process.hrtime.bigint() / 1000000n);

function open(i) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${opt.base}${i}?eid=${encodeURIComponent(opt.eid)}`, 'v1.usp');
    const s = { ws, waiter: null };
    ws.on('message', (data) => {
      const r = usp.parseRecord(data);
      if (!s.agent) {
        if (r.type !== 'websocket_connect') fail(`agent ${i}: first record ${r.type}`);
        s.agent = r.from;
        resolve(s);
      } else if (s.waiter) {
        s.waiter(usp.parseMsg(r.payload));
      }
    });
    ws.on('error', (e) => fail(`agent ${i}: ${e.message}`));
    ws.on('close', (code) => { s.closed = code; });
    sessions.push(s);
  });
}

async function main() {
  let t = now();
  await Promise.all(Array.from({ length: n }, (_, i) => open(i)));
  console.log(`open ${n} in ${now() - t} ms`);
  console.log('ready');
  await new Promise((r) => setTimeout(r, Number(opt.hold) * 1000));
  t = now();
  await Promise.all(sessions.map((s, i) => new Promise((resolve) => {
    s.waiter = (m) => {
      if (m.kind !== 'response' || !m.get || !m.get['Device.DeviceInfo.SoftwareVersion'])
        fail(`agent ${i}: ${JSON.stringify(m)}`);
      resolve();
    };
    s.ws.send(usp.record(s.agent, opt.eid, usp.get(`g${i}`, ['Device.DeviceInfo.SoftwareVersion'])));
  })));
  console.log(`gets ${n} in ${now() - t} ms`);
  const live = sessions.filter((s) => s.ws.readyState === WebSocket.OPEN).length;
  if (live !== n) fail(`${n - live} sessions closed`);
  console.log(`OK ${n} sessions open`);
  process.exit(0);
}

main().catch((e) => fail(e.message));
