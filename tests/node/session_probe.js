// session_probe.js — opens one USP WebSocket session with the npm `ws` client (optionally over TLS
// with a client certificate) and reports whether the agent took it: "open <first record type> <from>"
// (exit 0) or "refused <why>" (exit 2). Exit 1 on a usage error or a time-out.
//
//   node session_probe.js --url wss://127.0.0.1:PORT/usp/sim0 [--eid self::ctl]
//                         [--ca server.pem] [--cert ctl.pem --key ctl.key]
'use strict';

const fs = require('fs');
const WebSocket = require('ws');
const usp = require('./usp_wire');

const opt = {};
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 2) opt[args[i].replace(/^--/, '')] = args[i + 1];
if (!opt.url) {
  console.log('usage: session_probe.js --url URL [--eid EID] [--ca F] [--cert F --key F]');
  process.exit(1);
}

const url = opt.eid ? `${opt.url}?eid=${encodeURIComponent(opt.eid)}` : opt.url; // R-WS.10b
const tls = {};
if (opt.ca) tls.ca = fs.readFileSync(opt.ca);
if (opt.cert) tls.cert = fs.readFileSync(opt.cert);
if (opt.key) tls.key = fs.readFileSync(opt.key);

const done = (code, line) => {
  console.log(line);
  process.exit(code);
};
setTimeout(() => done(1, 'timeout'), 20000).unref();

const ws = new WebSocket(url, 'v1.usp', tls);
ws.on('unexpected-response', (req, res) => done(2, `refused HTTP ${res.statusCode}`));
ws.on('error', (e) => done(2, `refused ${e.code || ''} ${e.message}`));
ws.on('close', (code) => done(2, `refused closed ${code}`));
ws.on('message', (data) => {
  const r = usp.parseRecord(data);
  done(0, `open ${r.type} ${r.from} ${r.to}`);
});
