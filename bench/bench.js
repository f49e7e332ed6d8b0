#!/usr/bin/env node
// `npm run bench`: wall time and peak memory of synthesizing the seed-000 stack and fleets of
// 10/100/1,000 model services, from compiled JS and through `cdk8s synth`, next to `helm
// template` of the three charts the seed stack replaces. Writes bench/results.md.
// Not a test: numbers depend on the machine. Options: --runs N (default 5), --quick.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { helmBinary } = require('./helm');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || (args.includes('--quick') ? 3 : 5);
const fleetSizes = args.includes('--quick') ? [10, 100] : [10, 100, 1000];
const cases = path.join(root, 'test', 'fixtures', 'cases');
const chartsDir = process.env.LLMD_BENCH_CHARTS || path.resolve(root, '..', 'upstream');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Peak RSS (KiB) of a running process, read from /proc while it runs. */
function watchPeak(pid) {
  let peak = 0;
  const read = () => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch {
      /* exited */
    }
  };
  const timer = setInterval(read, 2);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

/** Runs a command, returning wall seconds and peak RSS in MiB (node processes report exactly). */
async function measure(cmd, argv, opts = {}) {
  const rssFile = path.join(os.tmpdir(), `llmd-bench-rss-${process.pid}-${Date.now()}`);
  const env = { ...process.env, ...opts.env, LLMD_BENCH_RSS_FILE: rssFile, NODE_OPTIONS: `--require ${path.join(__dirname, 'rss-report.js')}` };
  const start = process.hrtime.bigint();
  const child = spawn(cmd, argv, { cwd: opts.cwd || root, env, stdio: ['ignore', opts.stdout || 'ignore', 'pipe'] });
  const stopWatch = watchPeak(child.pid);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const watched = stopWatch();
  if (code !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${code}): ${stderr}`);
  let reported = 0;
  if (fs.existsSync(rssFile)) {
    reported = Math.max(...fs.readFileSync(rssFile, 'utf8').trim().split('\n').map(Number));
    fs.rmSync(rssFile);
  }
  return { seconds, peakMiB: Math.max(reported, watched) / 1024 };
}

async function scenario(name, cmd, argv, opts) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await measure(cmd, argv, opts));
  return { name, seconds: median(samples.map((s) => s.seconds)), peakMiB: median(samples.map((s) => s.peakMiB)), runs };
}

function countObjects(dir) {
  let n = 0;
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.yaml')) n += (fs.readFileSync(path.join(dir, f), 'utf8').match(/^kind: /gm) || []).length;
  return n;
}

async function main() {
  spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  const results = [];
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-bench-'));
  const outdir = (n) => path.join(out, n);
  const env = (n) => ({ CDK8S_OUTDIR: outdir(n) });

  // Ours: the seed-000 stack.
  results.push({ ...(await scenario('seed-000 stack, node lib/…', process.execPath, [path.join(root, 'lib/bench/seed.js')], { env: env('seed') })), objects: countObjects(outdir('seed')) });
  const cdk8sCli = path.join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
  results.push({ ...(await scenario('seed-000 stack, cdk8s synth', process.execPath, [cdk8sCli, 'synth', '--app', `node ${path.join(root, 'lib/bench/seed.js')}`, '--output', outdir('seed-cli')], { env: { CDK8S_CHECK_UPGRADE: 'false' } })), objects: countObjects(outdir('seed-cli')) });

  // Helm: the three charts the seed stack replaces, same values as the guide.
  let helmTotal;
  if (fs.existsSync(chartsDir)) {
    const helm = helmBinary();
    const charts = [
      ['ms', 'furiosa-modelservice', 'furiosa-seed000'],
      ['gaie', 'inferencepool', 'gaie-seed000'],
      ['llm-d-infra', 'llm-d-infra', 'infra-seed000'],
    ];
    const parts = [];
    for (const [release, chart, c] of charts) {
      parts.push(await scenario(`helm template ${chart}`, helm, ['template', release, path.join(chartsDir, chart), '-n', 'llm-d', '-f', path.join(cases, c, 'values.yaml')]));
    }
    helmTotal = { name: 'helm template, 3 charts (sum of medians)', seconds: parts.reduce((a, p) => a + p.seconds, 0), peakMiB: Math.max(...parts.map((p) => p.peakMiB)), runs };
    results.push(...parts, helmTotal);
  }

  // Fleets.
  const fleet = [];
  for (const n of fleetSizes) {
    const r = await scenario(`fleet of ${n}, node lib/…`, process.execPath, [path.join(root, 'lib/bench/fleet.js'), String(n)], { env: env(`fleet-${n}`) });
    const objects = countObjects(outdir(`fleet-${n}`));
    fleet.push({ n, ...r, objects });
    results.push({ ...r, objects });
  }
  const big = fleet[fleet.length - 1];
  results.push({ ...(await scenario(`fleet of ${big.n}, cdk8s synth`, process.execPath, [cdk8sCli, 'synth', '--app', `node ${path.join(root, 'lib/bench/fleet.js')} ${big.n}`, '--output', outdir('fleet-cli')], { env: { CDK8S_CHECK_UPGRADE: 'false' } })), objects: countObjects(outdir('fleet-cli')) });

  fs.rmSync(out, { recursive: true, force: true });
  const cpu = os.cpus()[0];
  const lines = [
    '# Synthesis benchmark',
    '',
    `Fresh run of \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu ? cpu.model.trim() : 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}. Median of ${runs} runs; each run is a whole process (start-up included). Peak memory is the largest RSS of any process of the run.`,
    '',
    '| scenario | wall time (s) | peak memory (MiB) | objects | objects/s |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...results.map((r) => `| ${r.name} | ${r.seconds.toFixed(3)} | ${r.peakMiB.toFixed(0)} | ${r.objects ?? ''} | ${r.objects ? Math.round(r.objects / r.seconds) : ''} |`),
    '',
  ];
  if (helmTotal) {
    lines.push(`Seed-000 stack vs helm: ours ${results[0].seconds.toFixed(3)} s, helm ${helmTotal.seconds.toFixed(3)} s (ratio ${(results[0].seconds / helmTotal.seconds).toFixed(2)}).`, '');
  } else {
    lines.push(`Helm side skipped: chart sources not found at ${chartsDir} (set LLMD_BENCH_CHARTS to a folder holding furiosa-modelservice/, inferencepool/, llm-d-infra/).`, '');
  }
  if (fleet.length >= 2) {
    const growth = fleet.slice(1).map((f, i) => `${fleet[i].n}→${f.n}: time ×${(f.seconds / fleet[i].seconds).toFixed(2)} for ×${f.n / fleet[i].n} models`);
    const perModel = fleet.map((f) => `${f.n}: ${((f.seconds * 1000) / f.n).toFixed(2)} ms/model`);
    lines.push(`Growth with fleet size: ${growth.join('; ')}. Per model: ${perModel.join(', ')}.`, '');
  }
  fs.writeFileSync(path.join(__dirname, 'results.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
