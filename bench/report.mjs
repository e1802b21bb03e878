// SPDX-License-Identifier: Apache-2.0
// The report of `make bench` (called by bench/run.sh):
//   node bench/report.mjs RESULTS.tsv VERSIONS.txt OUT_PREFIX [README]
// RESULTS.tsv: key, req/s, p50 us, p99 us, peak RSS KiB, socket errors (one wrk run a line).
// Writes OUT_PREFIX.md (table, per-run figures, machine) and OUT_PREFIX.png (gnuplot bar chart
// of the ratios against the goals), prints the table on stdout, and when README is given
// replaces what lies between its `<!-- bench:begin -->` and `<!-- bench:end -->` lines.
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const [resultsFile, versionsFile, outPrefix, readme] = process.argv.slice(2);
if (!resultsFile || !versionsFile || !outPrefix) {
    console.error('usage: report.mjs RESULTS.tsv VERSIONS.txt OUT_PREFIX [README]');
    process.exit(2);
}

const runs = {};
for (const line of readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean)) {
    const [key, rps, p50, p99, rss, sockErr] = line.split('\t');
    runs[key] = { rps: Number(rps), p50: Number(p50), p99: Number(p99), rss: Number(rss), sockErr: Number(sockErr) };
}
const v = Object.fromEntries(readFileSync(versionsFile, 'utf8').split('\n').filter(Boolean)
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

const RUNS = {
    static_noauth: ['httpd, no auth', '/static/file.html'],
    static_nextauth: ['httpd + mod_nextauth', '/protected/file.html (AuthType NextAuth, session cookie)'],
    static_openidc_cookie: ['httpd + mod_auth_openidc', '/oidc/file.html (OIDCSessionType client-cookie)'],
    static_openidc_shm: ['httpd + mod_auth_openidc', '/oidc/file.html (OIDCSessionType server-cache, shm)'],
    static_nextauth_oidc: ['httpd + mod_nextauth', '/protected/file.html (an OIDC session)'],
    static_passtokens: ['httpd + mod_nextauth', '/tokens/file.html (the same session, NextAuthPassTokens access)'],
    session_valid_ours: ['httpd + mod_nextauth', 'GET /api/auth/session (session cookie)'],
    session_valid_next: ['next-auth on Next.js', 'GET /api/auth/session (session cookie)'],
    session_none_ours: ['httpd + mod_nextauth', 'GET /api/auth/session (no cookie)'],
    session_none_next: ['next-auth on Next.js', 'GET /api/auth/session (no cookie)'],
    csrf_ours: ['httpd + mod_nextauth', 'GET /api/auth/csrf'],
    csrf_next: ['next-auth on Next.js', 'GET /api/auth/csrf'],
    signin_ours: ['httpd + mod_nextauth', 'GET /api/auth/signin'],
    signin_next: ['next-auth on Next.js', 'GET /api/auth/signin'],
    session_chunked_ours: ['httpd + mod_nextauth', 'GET /api/auth/session (a session of 3 cookie chunks)'],
    static_secrets4: ['httpd + mod_nextauth', '/protected/file.html (4 NextAuthSecret lines, the valid one last)'],
    static_require20: ['httpd + mod_nextauth', '/require20/file.html (19 Require lines that fail, then one that matches)'],
    static_noauth_cmany: ['httpd, no auth', `/static/file.html (${v.growth_conns} more keep-alive connections held open)`],
    static_nextauth_cmany: ['httpd + mod_nextauth', `/protected/file.html (${v.growth_conns} more keep-alive connections held open)`],
};

// [label, measured, baseline, goal (ratio; null: shown for scale; 'growth': how cost grows,
// measured against the same request without the growth, in the same run)]
const COMPARE = [
    ['static file, mod_nextauth vs no auth', 'static_nextauth', 'static_noauth', 0.9],
    ['static file, mod_auth_openidc (cookie) vs no auth', 'static_openidc_cookie', 'static_noauth', null],
    ['static file, mod_auth_openidc (shm cache) vs no auth', 'static_openidc_shm', 'static_noauth', null],
    ['GET session, valid session, vs next-auth', 'session_valid_ours', 'session_valid_next', 20],
    ['GET session, no session, vs next-auth', 'session_none_ours', 'session_none_next', 10],
    ['GET csrf vs next-auth', 'csrf_ours', 'csrf_next', 10],
    ['GET signin vs next-auth', 'signin_ours', 'signin_next', 10],
    ['GET session, 3-chunk session vs 1 chunk', 'session_chunked_ours', 'session_valid_ours', 'growth'],
    ['protected file, 4 secrets (valid last) vs 1', 'static_secrets4', 'static_nextauth', 'growth'],
    ['protected file, 20 Require lines vs 1', 'static_require20', 'static_nextauth', 'growth'],
    ['protected file, NextAuthPassTokens access vs none (OIDC session)', 'static_passtokens', 'static_nextauth_oidc', 0.95],
    [`protected file vs no auth, ${v.growth_conns} conns held`, 'static_nextauth_cmany', 'static_noauth_cmany', 'growth'],
].filter(([, a, b]) => runs[a] && runs[b]);

const ms = (us) => (us / 1000).toFixed(us < 10000 ? 2 : 1);
const mib = (kb) => `${(kb / 1024).toFixed(0)} MiB`;
const rps = (x) => Math.round(x).toLocaleString('en-US');
const fmtRatio = (r) => (r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`);

const rows = COMPARE.map(([label, a, b, goal]) => {
    const A = runs[a];
    const B = runs[b];
    const ratio = A.rps / B.rps;
    return {
        label, a, b, goal, ratio,
        cells: [
            label,
            rps(A.rps), rps(B.rps), fmtRatio(ratio),
            goal === null ? 'for scale' : goal === 'growth' ? 'cost growth'
                : `≥ ${goal < 1 ? goal.toFixed(2) : goal}×`,
            goal === null || goal === 'growth' ? '' : ratio >= goal ? 'yes' : '**no**',
            `${ms(A.p50)} / ${ms(A.p99)}`, `${ms(B.p50)} / ${ms(B.p99)}`,
            mib(A.rss), mib(B.rss),
        ],
    };
});

const header = ['comparison', 'measured req/s', 'baseline req/s', 'ratio', 'goal', 'met',
    'measured p50 / p99 ms', 'baseline p50 / p99 ms', 'measured peak RSS', 'baseline peak RSS'];
const mdTable = (head, body) => [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...body.map((r) => `| ${r.join(' | ')} |`),
].join('\n');

const summary = mdTable(header, rows.map((r) => r.cells));
const perRun = mdTable(['run', 'server', 'request', 'req/s', 'p50 ms', 'p99 ms', 'peak RSS', 'socket errors'],
    Object.entries(RUNS).filter(([k]) => runs[k]).map(([k, [server, req]]) => [
        k, server, req, rps(runs[k].rps), ms(runs[k].p50), ms(runs[k].p99), mib(runs[k].rss), String(runs[k].sockErr),
    ]));
const machine = `${v.nproc} CPUs (${v.cpu}), ${v.ram} RAM, ${v.kernel}, ${v.os}`;
const software = `${v.apache2} (event MPM), mod_nextauth ${v.commit}, libapache2-mod-auth-openidc ${v.openidc}, `
    + `Next.js ${v.next} + next-auth ${v.nextauth} on Node ${v.node} (next build, next start), wrk ${v.wrk}`;
const method = `Loopback; ${v.load} for every row; wrk and the servers share the same ${v.nproc} CPUs, `
    + 'so the figures are lower than on separate machines and partly measure wrk itself. '
    + '"Baseline" is the same file with no auth on the same httpd for the static rows, next-auth for the route rows; '
    + 'the cost-growth rows compare against the same request without the growth (one chunk, one secret, one Require '
    + `line) from the same run; for the ${v.growth_conns}-connection rows, bench/hold-connections.mjs keeps that many `
    + 'signed-in keep-alive connections open (each asking for the protected file every 1-2 s) while wrk runs as usual. '
    + 'Peak RSS: the largest sum of VmRSS over the server\'s processes (httpd parent + children; the node process '
    + 'tree of `next start`), sampled every 0.25 s during the measured run; shared pages count once per process.';

const stamp = path.basename(outPrefix);
const md = `# make bench — ${stamp} UTC

${summary}

![ratios against the goals](${stamp}.png)

Machine: ${machine}.
Software: ${software}.

${method}

## Each run

${perRun}
`;
writeFileSync(`${outPrefix}.md`, md);

// Chart: ratio and goal per comparison, log scale.
const dat = rows.map((r, i) => `${i}\t"${r.label.replace(/"/g, '')}"\t${r.ratio}\t`
    + `${typeof r.goal === 'number' ? r.goal : 'NaN'}`).join('\n');
writeFileSync(`${outPrefix}.dat`, `${dat}\n`);
const gp = `set terminal pngcairo size 1400,700 font "sans,10" noenhanced
set output "${outPrefix}.png"
set title "mod_nextauth: throughput ratios (bars) against the goals (${stamp} UTC, ${v.nproc} CPUs shared with wrk)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set logscale y
set yrange [0.1:*]
set ylabel "ratio (log scale)"
set grid ytics
set xtics rotate by -25 left
set key top left
set bmargin 14
set rmargin 22
plot "${outPrefix}.dat" using 3:xtic(2) title "measured ratio" lc rgb "#3465a4", \\
     "" using 4 title "goal" lc rgb "#cccccc", \\
     "" using 1:3:(sprintf("%.2f", $3)) with labels offset -2.2,0.7 notitle
`;
writeFileSync(`${outPrefix}.gp`, gp);
try {
    execFileSync('gnuplot', [`${outPrefix}.gp`], { stdio: ['ignore', 'inherit', 'inherit'] });
} catch (err) {
    console.error(`report.mjs: gnuplot failed: ${err.message}`);
    process.exit(1);
}

process.stdout.write(`\n${summary}\n\nMachine: ${machine}.\nSoftware: ${software}.\n${method}\n\n`);

if (readme) {
    const text = readFileSync(readme, 'utf8');
    const begin = text.indexOf('<!-- bench:begin -->');
    const end = text.indexOf('<!-- bench:end -->');
    if (begin < 0 || end < begin) {
        console.error(`report.mjs: no bench markers in ${readme}; left alone`);
    } else {
        const block = `<!-- bench:begin -->\nLatest run (${stamp} UTC, \`bench/results/latest.md\`):\n\n${summary}\n\n`
            + `Machine: ${machine}. ${software}. ${v.load}; wrk shares the CPUs with the servers.\n`;
        writeFileSync(readme, text.slice(0, begin) + block + text.slice(end));
    }
}
