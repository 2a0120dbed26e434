// usp_wire.js — just enough of the protobuf wire format and of TR-369's Record and Msg (field numbers
// from BroadbandForum/usp usp-record-1-4.proto and usp-msg-1-4.proto) for the Node test controllers;
// written apart from trbridge's C codec so that the two check each other.
'use strict';

// ---- protobuf wire format ----

function varint(n) {
  const out = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Buffer.from(out);
}

function key(field, wire) {
  return varint((field << 3) | wire);
}

// A message is a list of [field, value]: string/Buffer = length-delimited, {fixed32: n}, {varint: n},
// or a nested list (a sub-message).
function encode(fields) {
  const parts = [];
  for (const [field, value] of fields) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      const inner = encode(value);
      parts.push(key(field, 2), varint(inner.length), inner);
    } else if (typeof value === 'string' || Buffer.isBuffer(value)) {
      const b = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
      parts.push(key(field, 2), varint(b.length), b);
    } else if ('fixed32' in value) {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(value.fixed32);
      parts.push(key(field, 5), b);
    } else if ('varint' in value) {
      parts.push(key(field, 0), varint(value.varint));
    } else {
      throw new Error('cannot encode field ' + field);
    }
  }
  return Buffer.concat(parts);
}

// Decodes one message level into {field: [raw values]}: Buffers for length-delimited fields,
// numbers for varints and fixed32.
function decode(buf) {
  const out = {};
  let i = 0;
  const readVarint = () => {
    let v = 0n, shift = 0n, b;
    do {
      if (i >= buf.length) throw new Error('truncated varint');
      b = buf[i++];
      v |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b & 0x80);
    return v;
  };
  while (i < buf.length) {
    const k = Number(readVarint());
    const field = k >> 3, wire = k & 7;
    let value;
    if (wire === 0) {
      value = Number(readVarint());
    } else if (wire === 2) {
      const len = Number(readVarint());
      if (i + len > buf.length) throw new Error('truncated field ' + field);
      value = buf.subarray(i, i + len);
      i += len;
    } else if (wire === 5) {
      value = buf.readUInt32LE(i);
      i += 4;
    } else if (wire === 1) {
      value = buf.readBigUInt64LE(i);
      i += 8;
    } else {
      throw new Error('wire type ' + wire);
    }
    (out[field] = out[field] || []).push(value);
  }
  return out;
}

const str = (m, f) => (m[f] ? m[f][0].toString('utf8') : '');
const sub = (m, f) => (m[f] ? decode(m[f][0]) : null);
const subs = (m, f) => (m[f] || []).map(decode);
const map = (m, f) => Object.fromEntries(subs(m, f).map((e) => [str(e, 1), str(e, 2)]));

// ---- USP Record (usp-record-1-4.proto) ----

function record(toId, fromId, msg) {
  return encode([
    [1, '1.4'],
    [2, toId],
    [3, fromId],
    [7, [[2, msg]]], // no_session_context { payload = 2 }
  ]);
}

// {type, to, from, payload}: type is 'no_session_context', 'websocket_connect', 'disconnect', ...
function parseRecord(buf) {
  const r = decode(buf);
  const types = { 7: 'no_session_context', 8: 'session_context', 9: 'websocket_connect',
    10: 'mqtt_connect', 11: 'stomp_connect', 12: 'disconnect', 13: 'uds_connect' };
  const t = Object.keys(types).find((f) => r[f]);
  const out = { version: str(r, 1), to: str(r, 2), from: str(r, 3), type: t ? types[t] : 'none' };
  if (out.type === 'no_session_context') out.payload = sub(r, 7)[2][0];
  return out;
}

// ---- USP Msg (usp-msg-1-4.proto) ----

const MSG = { GET: 1, GET_RESP: 2, NOTIFY: 3, SET: 4, SET_RESP: 5, ADD: 8, ADD_RESP: 9,
  NOTIFY_RESP: 16 };

function msg(id, type, body) {
  return encode([
    [1, [[1, id], [2, { varint: type }]]],
    [2, body],
  ]);
}

const request = (field, req) => [[1, [[field, req]]]]; // Body.request { <field> }

function get(id, paths) {
  return msg(id, MSG.GET, request(1, paths.map((p) => [1, p])));
}

function settings(params) {
  return Object.entries(params).map(([k, v]) => [2, [[1, k], [2, v], [3, { varint: 1 }]]]);
}

function set(id, objPath, params) {
  return msg(id, MSG.SET, request(4, [[1, { varint: 0 }], [2, [[1, objPath], ...settings(params)]]]));
}

function add(id, objPath, params) {
  return msg(id, MSG.ADD, request(5, [[1, { varint: 0 }], [2, [[1, objPath], ...settings(params)]]]));
}

function notifyResp(id, subscriptionId) {
  return msg(id, MSG.NOTIFY_RESP, [[2, [[8, [[1, subscriptionId]]]]]]); // Body.response.notify_resp
}

// {id, type, kind: 'request'|'response'|'error', ...}: the parts the tests look at.
function parseMsg(buf) {
  const m = decode(buf);
  const header = sub(m, 1), body = sub(m, 2);
  const out = { id: str(header, 1), type: header[2] ? header[2][0] : 0 };
  if (body[3]) {
    const e = sub(body, 3);
    return Object.assign(out, { kind: 'error', errCode: e[1] ? e[1][0] : 0, errMsg: str(e, 2) });
  }
  if (body[2]) {
    const r = sub(body, 2);
    out.kind = 'response';
    if (r[1]) { // get_resp
      out.get = {};
      for (const rp of subs(sub(r, 1), 1))
        for (const res of subs(rp, 4)) Object.assign(out.get, prefix(str(res, 1), map(res, 2)));
    }
    if (r[5]) { // add_resp: the first instantiated path
      const cor = subs(sub(r, 5), 1)[0];
      const st = cor && sub(cor, 2);
      out.added = st && st[2] ? str(sub(st, 2), 1) : null;
      out.addErr = st && st[1] ? sub(st, 1)[1][0] : 0;
    }
    if (r[4]) { // set_resp: success or failure of the first object
      const uor = subs(sub(r, 4), 1)[0];
      const st = uor && sub(uor, 2);
      out.setOk = !!(st && st[2]);
    }
    return out;
  }
  const q = sub(body, 1);
  out.kind = 'request';
  if (q[8]) { // notify
    const n = sub(q, 8);
    out.notify = { subscriptionId: str(n, 1), sendResp: !!(n[2] && n[2][0]) };
    if (n[4]) {
      const vc = sub(n, 4);
      out.notify.valueChange = { path: str(vc, 1), value: str(vc, 2) };
    }
    if (n[3]) {
      const ev = sub(n, 3);
      out.notify.event = { objPath: str(ev, 1), name: str(ev, 2), params: map(ev, 3) };
    }
  }
  return out;
}

function prefix(path, params) {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [path + k, v]));
}

module.exports = { encode, decode, record, parseRecord, parseMsg, get, set, add, notifyResp, MSG };
