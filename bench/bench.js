#!/usr/bin/env node
// `npm run bench`: wall time and peak memory of synthesizing the seed-000 stack and fleets of
// 10/100/1,000 model services, from compiled JS and through `cdk8s synth`, next to `helm
// template` of the three charts the seed stack replaces. Writes bench/results.md.
// Not a test: numbers depend on the machine. Run it as `npm run bench` (which builds first).
// Options: --runs N (runs per fleet scenario, default 5), --seed-runs N (rounds of the seed-vs-helm
// comparison, default 15), --quick (fleets of 10 and 100, fewer runs).
//
// Every run is a whole process, start-up included, as in CI or a pre-commit hook. Each scenario
// gets one discarded warm-up run (file cache). The seed stack and the three `helm template` runs
// are interleaved round by round, so a busy moment of the machine hits both sides alike.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { helmBinary } = require('./helm');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const option = (name, dflt) => {
  const i = args.indexOf(name);
  const n = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isInteger(n) && n > 0 ? n : dflt;
};
const runs = option('--runs', args.includes('--quick') ? 3 : 5);
const seedRuns = option('--seed-runs', args.includes('--quick') ? 5 : 15);
const fleetSizes = args.includes('--quick') ? [10, 100] : [10, 100, 1000];
const cases = path.join(root, 'test', 'fixtures', 'cases');
// The three charts' sources are vendored under bench/charts (see its README).
const chartsDir = process.env.LLMD_BENCH_CHARTS || path.join(__dirname, 'charts');

// NODE_EXTRA_CA_CERTS makes every node process read and parse a CA bundle at start-up (about
// 90 ms on the machine this was written on), which no synthesis uses; helm reads certificates
// only when it goes to the network. Runs are measured without it, and the results say so.
const strippedEnv = ['NODE_EXTRA_CA_CERTS'].filter((k) => process.env[k] !== undefined);
const benchEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !strippedEnv.includes(k)));

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

/** Runs a command, returning wall seconds, peak RSS in MiB (node processes report exactly) and, with `countStdout`, the objects it printed. */
async function measure(cmd, argv, opts = {}) {
  const rssFile = path.join(os.tmpdir(), `llmd-bench-rss-${process.pid}-${Date.now()}`);
  const env = { ...benchEnv, ...opts.env, LLMD_BENCH_RSS_FILE: rssFile, NODE_OPTIONS: `--require ${path.join(__dirname, 'rss-report.js')}` };
  const start = process.hrtime.bigint();
  const child = spawn(cmd, argv, { cwd: opts.cwd || root, env, stdio: ['ignore', opts.countStdout ? 'pipe' : 'ignore', 'pipe'] });
  const stopWatch = watchPeak(child.pid);
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => (stderr += d));
  if (opts.countStdout) child.stdout.on('data', (d) => (stdout += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const watched = stopWatch();
  if (code !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${code}): ${stderr}`);
  let reported = 0;
  if (fs.existsSync(rssFile)) {
    reported = Math.max(...fs.readFileSync(rssFile, 'utf8').trim().split('\n').map(Number));
    fs.rmSync(rssFile);
  }
  return { seconds, peakMiB: Math.max(reported, watched) / 1024, objects: opts.countStdout ? (stdout.match(/^kind: /gm) || []).length : undefined };
}

function summarize(name, samples) {
  return { name, seconds: median(samples.map((s) => s.seconds)), peakMiB: median(samples.map((s) => s.peakMiB)), runs: samples.length, objects: samples[0].objects };
}

async function scenario(name, cmd, argv, opts, n = runs) {
  await measure(cmd, argv, opts); // warm-up, discarded
  const samples = [];
  for (let i = 0; i < n; i++) samples.push(await measure(cmd, argv, opts));
  return summarize(name, samples);
}

/** Several commands measured round-robin: `rounds` rounds of one run each, after one warm-up round. */
async function interleaved(commands, rounds) {
  const samples = commands.map(() => []);
  for (let r = -1; r < rounds; r++) {
    for (let i = 0; i < commands.length; i++) {
      const [, cmd, argv, opts] = commands[i];
      const m = await measure(cmd, argv, opts);
      if (r >= 0) samples[i].push(m);
    }
  }
  return commands.map(([name], i) => summarize(name, samples[i]));
}

function helmVersion(bin) {
  const r = spawnSync(bin, ['version', '--short'], { encoding: 'utf8' });
  return r.status === 0 ? `helm ${r.stdout.trim()}` : 'helm (unknown version)';
}

const HISTORY_MARKER = '## Before and after';

function countObjects(dir) {
  let n = 0;
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.yaml')) n += (fs.readFileSync(path.join(dir, f), 'utf8').match(/^kind: /gm) || []).length;
  return n;
}

async function main() {
  if (!fs.existsSync(path.join(root, 'lib', 'bench', 'seed.js'))) throw new Error('lib/bench/seed.js not found: run `npm run bench` (it builds first)');
  const results = [];
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-bench-'));
  const outdir = (n) => path.join(out, n);
  const env = (n) => ({ CDK8S_OUTDIR: outdir(n) });

  // The seed-000 stack (ours), the README's main job (`npm run synth` without its build: the same
  // stack plus the prerequisites, CRD bundles included) and the floor any cdk8s app pays (node
  // start-up, then loading cdk8s), next to what they replace: the three charts (helm, same values
  // as the guide) plus a copy of the CRD bundles the main job writes. All interleaved.
  const seedCommand = ['seed-000 stack, node lib/…', process.execPath, [path.join(root, 'lib/bench/seed.js')], { env: env('seed') }];
  const mainJob = ['README main job, node lib/examples/furiosa-llama-3.1-8b/main.js', process.execPath, [path.join(root, 'lib/examples/furiosa-llama-3.1-8b/main.js')], { env: env('main') }];
  const floorCommands = [
    ['floor: node -e ""', process.execPath, ['-e', ''], {}],
    ["floor: node -e \"require('cdk8s')\"", process.execPath, ['-e', "require('cdk8s')"], {}],
  ];
  // The bundles the main job writes: Gateway API, Inference Extension, and the Prometheus Operator's
  // (the guide's EPP has a ServiceMonitor).
  const crdBundles = ['gateway-api-v1.4.1-standard.yaml', 'gateway-api-inference-extension-v1.3.0.yaml', 'prometheus-operator-v0.86.0.yaml'].map((f) => path.join(root, 'crds', f));
  fs.mkdirSync(outdir('crd-copy'), { recursive: true });
  const copyCommand = [`cp of the ${crdBundles.length} CRD bundles`, 'cp', [...crdBundles, outdir('crd-copy')], {}];
  const helmCharts = [
    ['ms', 'furiosa-modelservice', 'furiosa-seed000'],
    ['gaie', 'inferencepool', 'gaie-seed000'],
    ['llm-d-infra', 'llm-d-infra', 'infra-seed000'],
  ];
  const haveCharts = helmCharts.every(([, chart]) => fs.existsSync(path.join(chartsDir, chart, 'Chart.yaml')));
  const helm = haveCharts ? helmBinary() : undefined;
  const helmCommands = haveCharts
    ? helmCharts.map(([release, chart, c]) => [`helm template ${chart}`, helm, ['template', release, path.join(chartsDir, chart), '-n', 'llm-d', '-f', path.join(cases, c, 'values.yaml')], { countStdout: true }])
    : [];
  const [seed, main, bare, cdk8sFloor, ...rest] = await interleaved([seedCommand, mainJob, ...floorCommands, ...helmCommands, ...(haveCharts ? [copyCommand] : [])], seedRuns);
  seed.objects = countObjects(outdir('seed'));
  main.objects = countObjects(outdir('main'));
  results.push(seed, main, bare, cdk8sFloor);
  let helmTotal;
  let helmWithCopy;
  if (rest.length > 0) {
    const parts = rest.slice(0, helmCommands.length);
    const copy = rest[helmCommands.length];
    helmTotal = { name: 'helm template, 3 charts (sum of medians)', seconds: parts.reduce((a, p) => a + p.seconds, 0), peakMiB: Math.max(...parts.map((p) => p.peakMiB)), runs: seedRuns, objects: parts.reduce((a, p) => a + p.objects, 0) };
    helmWithCopy = { ...helmTotal, name: 'helm template, 3 charts + cp of the CRD bundles (sum of medians)', seconds: helmTotal.seconds + copy.seconds, objects: undefined };
    results.push(...parts, helmTotal, copy, helmWithCopy);
  }
  const cdk8sCli = path.join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
  results.push({ ...(await scenario('seed-000 stack, cdk8s synth', process.execPath, [cdk8sCli, 'synth', '--app', `node "${path.join(root, 'lib/bench/seed.js')}"`, '--output', outdir('seed-cli')], { env: { CDK8S_CHECK_UPGRADE: 'false' } })), objects: countObjects(outdir('seed-cli')) });

  // Fleets.
  const fleet = [];
  for (const n of fleetSizes) {
    const r = await scenario(`fleet of ${n}, node lib/…`, process.execPath, [path.join(root, 'lib/bench/fleet.js'), String(n)], { env: env(`fleet-${n}`) });
    const objects = countObjects(outdir(`fleet-${n}`));
    fleet.push({ n, ...r, objects });
    results.push({ ...r, objects });
  }
  const big = fleet[fleet.length - 1];
  results.push({ ...(await scenario(`fleet of ${big.n}, cdk8s synth`, process.execPath, [cdk8sCli, 'synth', '--app', `node "${path.join(root, 'lib/bench/fleet.js')}" ${big.n}`, '--output', outdir('fleet-cli')], { env: { CDK8S_CHECK_UPGRADE: 'false' } })), objects: countObjects(outdir('fleet-cli')) });

  fs.rmSync(out, { recursive: true, force: true });
  const cpu = os.cpus()[0];
  const lines = [
    '# Synthesis benchmark',
    '',
    `Fresh run of \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu ? cpu.model.trim() : 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}${helm ? `, ${helmVersion(helm)}` : ''}. Each run is a whole process (start-up included), after one discarded warm-up run; times and peak memory are medians (runs column). The seed stack and the three \`helm template\` runs are interleaved round by round. Peak memory is the largest RSS of any process of the run (\`cdk8s synth\` runs the app as a child process). Objects are those written (ours) or printed (helm).`,
    '',
    '| scenario | runs | wall time (s) | peak memory (MiB) | objects | objects/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...results.map((r) => `| ${r.name} | ${r.runs} | ${r.seconds.toFixed(3)} | ${r.peakMiB.toFixed(0)} | ${r.objects ?? ''} | ${r.objects ? Math.round(r.objects / r.seconds) : ''} |`),
    '',
  ];
  if (strippedEnv.length > 0) lines.push(`Measured without ${strippedEnv.join(', ')} (set on this machine; see bench.js).`, '');
  if (helmTotal) {
    const ratio = (x) => (x.seconds / helmWithCopy.seconds).toFixed(2);
    lines.push(`Seed-000 stack vs helm: ours ${seed.seconds.toFixed(3)} s, helm ${helmTotal.seconds.toFixed(3)} s (ours/helm ${(seed.seconds / helmTotal.seconds).toFixed(2)}; target ≤ 1).`, '');
    lines.push(`README main job vs helm plus the CRD copy: ours ${main.seconds.toFixed(3)} s, theirs ${helmWithCopy.seconds.toFixed(3)} s (ours/theirs ${ratio(main)}; target ≤ 0.6). The floor of any cdk8s app, node start-up and \`require('cdk8s')\`, is ${cdk8sFloor.seconds.toFixed(3)} s (${ratio(cdk8sFloor)} of theirs); node alone ${bare.seconds.toFixed(3)} s (${ratio(bare)}).`, '');
  } else {
    lines.push(`Helm side skipped: chart sources not found at ${chartsDir} (set LLMD_BENCH_CHARTS to a folder holding furiosa-modelservice/, inferencepool/, llm-d-infra/).`, '');
  }
  if (fleet.length >= 2) {
    const growth = fleet.slice(1).map((f, i) => `${fleet[i].n}→${f.n}: time ×${(f.seconds / fleet[i].seconds).toFixed(2)} for ×${f.n / fleet[i].n} models`);
    const perModel = fleet.map((f) => `${f.n}: ${((f.seconds * 1000) / f.n).toFixed(2)} ms/model`);
    const [a, b] = fleet.slice(-2);
    const marginal = ((b.seconds - a.seconds) * 1000) / (b.n - a.n);
    lines.push(`Growth with fleet size: ${growth.join('; ')} (×10 is linear; small fleets are dominated by start-up). Per model: ${perModel.join(', ')}; marginal cost ${a.n}→${b.n}: ${marginal.toFixed(2)} ms/model.`, '');
  }
  // Hand-written history (before/after figures of changes) below the marker survives a fresh run.
  const resultsFile = path.join(__dirname, 'results.md');
  const previous = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8') : '';
  const history = previous.indexOf(HISTORY_MARKER);
  if (history >= 0) lines.push(previous.slice(history).trimEnd(), '');
  fs.writeFileSync(resultsFile, lines.join('\n'));
  console.log(lines.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
