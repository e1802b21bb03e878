#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Before/after of two builds with the `make bench` harness in one sitting:
#   bench/ab.sh BEFORE.so AFTER.so [ROUNDS]
# Runs `BENCH_ONLY=ours bench/run.sh` (BENCH_GROWTH=1 adds the cost-growth rows) for each
# build in turn, ROUNDS times (3), and prints per build the median over the rounds of each
# row's req/s divided by static_noauth's from the same run: a ratio that cancels most of the
# load that other work puts on the machine between runs. The knobs of bench/run.sh apply.
set -euo pipefail
cd "$(dirname "$0")/.."
before=${1:?usage: ab.sh BEFORE.so AFTER.so [ROUNDS]}
after=${2:?usage: ab.sh BEFORE.so AFTER.so [ROUNDS]}
rounds=${3:-3}
out=build/bench-ab
rm -rf "$out"
mkdir -p "$out"
cp "$before" "$out/before.so"
cp "$after" "$out/after.so"
for ((i = 1; i <= rounds; i++)); do
    for v in before after; do
        echo "ab: round $i/$rounds, $v" >&2
        BENCH_MODULE="$out/$v.so" BENCH_ONLY=ours bench/run.sh 2>"$out/$v.$i.log" ||
            { cat "$out/$v.$i.log" >&2; exit 1; }
        cp build/bench/results.tsv "$out/$v.$i.tsv"
    done
done
node - "$out" "$rounds" <<'JS'
const fs = require('node:fs');
const [dir, rounds] = process.argv.slice(2);
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const ratios = { before: {}, after: {} };
for (const v of ['before', 'after']) {
    for (let i = 1; i <= Number(rounds); i++) {
        const rows = Object.fromEntries(fs.readFileSync(`${dir}/${v}.${i}.tsv`, 'utf8').trim().split('\n')
            .map((l) => l.split('\t')).map(([k, rps]) => [k, Number(rps)]));
        for (const [k, rps] of Object.entries(rows)) {
            (ratios[v][k] ??= []).push(rps / rows.static_noauth);
        }
    }
}
console.log('row\tbefore (x no auth)\tafter (x no auth)\tafter / before');
for (const k of Object.keys(ratios.before)) {
    const b = median(ratios.before[k]);
    const a = median(ratios.after[k]);
    console.log(`${k}\t${b.toFixed(3)}\t${a.toFixed(3)}\t${(a / b).toFixed(3)}`);
}
JS
