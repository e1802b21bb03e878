// SPDX-License-Identifier: Apache-2.0
// Holds N keep-alive connections open on an httpd for `make bench` (as that many idle browser
// tabs would): each sends a GET with the given Cookie header at once and then every
// INTERVAL ms (under httpd's KeepAliveTimeout), reconnecting when the server closes it.
// Prints "holding N" once every connection has had an answer; runs until SIGTERM, then
// prints how many requests were answered and how many reconnects there were.
//   node bench/hold-connections.mjs URL N [COOKIE] [INTERVAL_MS]
import net from 'node:net';

const [url, nArg, cookie = '', intervalArg = '2000'] = process.argv.slice(2);
if (!url || !nArg) {
    console.error('usage: hold-connections.mjs URL N [COOKIE] [INTERVAL_MS]');
    process.exit(2);
}
const u = new URL(url);
const n = Number(nArg);
const interval = Number(intervalArg);
const request = `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\n`
    + (cookie ? `Cookie: ${cookie}\r\n` : '') + 'Connection: keep-alive\r\n\r\n';
let answered = 0;
let reconnects = 0;
let ready = 0;
let stopping = false;
const timers = new Set();

function hold(i, first) {
    const sock = net.connect(Number(u.port), u.hostname);
    let timer = null;
    let seen = false;
    sock.setNoDelay(true);
    sock.on('connect', () => sock.write(request));
    sock.on('data', (buf) => {
        // One small response per request: count status lines, ask again later.
        answered += buf.toString('latin1').split('HTTP/1.1 ').length - 1;
        if (!seen) {
            seen = true;
            if (first && ++ready === n) {
                process.stdout.write(`holding ${n}\n`);
            }
        }
        if (timer === null) {
            timer = setTimeout(() => {
                timers.delete(timer);
                timer = null;
                if (!sock.destroyed) sock.write(request);
            }, interval * (0.5 + Math.random() / 2));
            timers.add(timer);
        }
    });
    sock.on('error', () => {});
    sock.on('close', () => {
        if (timer) clearTimeout(timer);
        timers.delete(timer);
        if (!stopping) {
            reconnects++;
            setTimeout(() => hold(i, first && !seen), 50);
        }
    });
}

// Connect in batches, not all 2,000 in the same millisecond (the listen backlog).
for (let i = 0; i < n; i++) {
    setTimeout(() => hold(i, true), Math.floor(i / 100) * 20);
}
process.on('SIGTERM', () => {
    stopping = true;
    for (const t of timers) clearTimeout(t);
    process.stderr.write(`hold-connections: ${answered} answers, ${reconnects} reconnects\n`);
    process.exit(0);
});
