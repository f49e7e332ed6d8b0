import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { helmChartNames } from '../../src/helm/registry';
import { parseManifests } from '../../src/testing/semdiff';
import { expectContains } from '../support';
import { caseArgs, cli, REFERENCE_CHARTS, referenceCases, unregisteredCharts } from './support';

// Every case, registered chart or not: a chart missing from the CLI fails its cases by name.
const CASES = referenceCases();

describe('render: every reference case', () => {
  test('the chart of every reference case is registered, and every registered chart has reference cases', () => {
    expect(unregisteredCharts(CASES)).toEqual([]);
    for (const chart of helmChartNames()) expect(CASES.filter((c) => c.chart === chart).map((c) => c.name)).not.toHaveLength(0);
  });

  test.each(CASES.map((c) => [c.name, c] as const))('%s: manifests contain expected.yaml', (_name, c) => {
    const r = cli(['render', c.chart, ...caseArgs(c)], c.dir);
    // Only warnings on stderr (upstream-xpu declares 8200 but starts vLLM on 8000).
    expect(r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('warning: '))).toEqual([]);
    expect(r.code).toBe(0);
    const ours = parseManifests(r.stdout) as Record<string, unknown>[];
    expectContains(c.ref.expectedText, ours);
    for (const o of ours) expect((o.metadata as { name?: string }).name).toBeTruthy();
  });

  test('-o DIR writes <release>.k8s.yaml and nothing to stdout', () => {
    const c = CASES[0];
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-cli-out-'));
    const r = cli(['render', c.chart, ...caseArgs(c), '-o', path.relative(c.dir, out)], c.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^wrote .*${c.ref.release}\\.k8s\\.yaml: \\d+ objects \\(\\d+ [A-Z]`));
    const printed = cli(['render', c.chart, ...caseArgs(c)], c.dir).stdout;
    expect(fs.readdirSync(out)).toEqual([`${c.ref.release}.k8s.yaml`]);
    expect(fs.readFileSync(path.join(out, `${c.ref.release}.k8s.yaml`), 'utf8')).toBe(printed);
  });

  test('--set overrides values files like helm (later wins)', () => {
    const c = CASES.find((x) => x.chart === 'furiosa-modelservice')!;
    const r = cli(['render', c.chart, ...caseArgs(c), '--set', 'decode.replicas=5'], c.dir);
    expect(r.code).toBe(0);
    const deployment = (parseManifests(r.stdout) as Array<Record<string, any>>).find((o) => o.kind === 'Deployment')!;
    expect(deployment.spec.replicas).toBe(5);
  });
});

describe('errors: exit code 2, the message names the key and the file, nothing on stdout', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-cli-err-'));
  const write = (name: string, text: string): string => {
    fs.writeFileSync(path.join(tmp, name), text);
    return name;
  };
  const fail = (argv: string[], cwd = tmp): string => {
    const r = cli(argv, cwd);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
    return r.stderr;
  };

  test.each(REFERENCE_CHARTS)('%s: an unknown key names the key and the file', (chart) => {
    write('unknown.yaml', 'bogusKey:\n  nested: 1\n');
    expect(fail(['render', chart, '--release', 'r', '-f', 'unknown.yaml'])).toContain('[unknown.yaml] bogusKey: value {"nested":1} is not allowed (unknown key); allowed: one of the chart\'s keys here: ');
    expect(fail(['convert', chart, '--release', 'r', '--set', 'bogusKey=1'])).toContain('[--set bogusKey=1] bogusKey: value 1 is not allowed (unknown key)');
  });

  // Per chart: [values file, --set, the message]. Every row runs: a chart that is not registered fails with "unknown chart".
  const WRONG_TYPE: Record<string, [string, string]> = {
    'furiosa-modelservice': ['decode:\n  replicas: two\n', '[wrong.yaml] decode.replicas: value "two" is not allowed; allowed: an integer'],
    inferencepool: ['inferenceExtension:\n  replicas: two\n', '[wrong.yaml] inferenceExtension.replicas: value "two" is not allowed; allowed: an integer'],
    'llm-d-infra': ['gateway:\n  gatewayParameters:\n    enabled: "yes"\n', '[wrong.yaml] gateway.gatewayParameters.enabled: value "yes" is not allowed; allowed: true or false'],
    'llm-d-router-gateway': ['router:\n  epp:\n    replicas: two\n', '[wrong.yaml] router.epp.replicas: value "two" is not allowed; allowed: an integer'],
    'llm-d-router-standalone': ['router:\n  proxy:\n    enabled: "yes"\n', '[wrong.yaml] router.proxy.enabled: value "yes" is not allowed; allowed: true or false'],
  };
  const UNSUPPORTED: Record<string, [string, string]> = {
    'furiosa-modelservice': ['multinode=true', '[--set multinode=true] multinode: value true is not allowed (LeaderWorkerSet deployment is not supported. Furiosa-LLM does not support multinode serving'],
    inferencepool: ['inferenceExtension.latencyPredictor.enabled=true', '[--set inferenceExtension.latencyPredictor.enabled=true] inferenceExtension.latencyPredictor.enabled: value true is not allowed (the latency-predictor sidecars'],
    'llm-d-infra': ['ingress.enabled=true', '[--set ingress.enabled=true] ingress.enabled: value true is not allowed (the Ingress in front of the gateway Service is not rendered by this library'],
    'llm-d-router-gateway': ['router.latencyPredictor.enabled=true', '[--set router.latencyPredictor.enabled=true] router.latencyPredictor.enabled: value true is not allowed (the latency-predictor sidecars'],
    'llm-d-router-standalone': ['router.proxy.proxyType=agentgateway', '[--set router.proxy.proxyType=agentgateway] router.proxy.proxyType: value "agentgateway" is not allowed (the agentgateway proxy is not rendered by this adapter)'],
  };
  const rows = (table: Record<string, [string, string]>): Array<[string, string, string]> => Object.entries(table).map(([chart, row]) => [chart, ...row]);

  test.each(rows(WRONG_TYPE))('%s: a value of the wrong type', (chart, yaml, message) => {
    write('wrong.yaml', yaml);
    expect(fail(['render', chart, '--release', 'r', '-f', 'wrong.yaml'])).toContain(message);
  });

  test.each(rows(UNSUPPORTED))('%s: a chart feature this library does not support says why', (chart, set, message) => {
    expect(fail(['render', chart, '--release', 'r', '--set', set])).toContain(message);
  });

  test('with several files, each problem names the file or --set that set its key', () => {
    write('a.yaml', 'decode:\n  replicas: 1\n  parallelism:\n    tensor: 4\n');
    write('b.yaml', 'decode:\n  parallelism:\n    tensor: eight\n');
    const err = fail(['render', 'furiosa-modelservice', '--release', 'ms', '-f', 'a.yaml', '-f', 'b.yaml', '--set', 'decode.replicas=x', '--set', 'decode.bogus=1']);
    expect(err).toContain('[b.yaml] decode.parallelism.tensor: value "eight" is not allowed');
    expect(err).toContain('[--set decode.replicas=x] decode.replicas: value "x" is not allowed; allowed: an integer');
    expect(err).toContain('[--set decode.bogus=1] decode.bogus: value 1 is not allowed (unknown key)');
    expect(err).not.toContain('[a.yaml]');
    expect(err.startsWith('cdk8s-llm-d: 3 problem(s) in the input:\n')).toBe(true);
  });

  test('a problem with a key no source set names the sources that were given', () => {
    write('pool.yaml', 'inferenceExtension:\n  replicas: 1\n');
    expect(fail(['render', 'inferencepool', '--release', 'r'])).toContain('[no values given] inferencePool.modelServers.matchLabels: value undefined is not allowed (required');
    expect(fail(['render', 'inferencepool', '--release', 'r', '-f', 'pool.yaml'])).toContain('[not set by pool.yaml] inferencePool.modelServers.matchLabels: value undefined is not allowed');
    expect(fail(['render', 'inferencepool', '--release', 'r', '-f', 'pool.yaml', '--set', 'inferencePool.modelServers=null'])).toContain('[--set inferencePool.modelServers=null] inferencePool.modelServers.matchLabels');
  });

  test('a construct validation problem keeps its construct path and names the source of its key; convert refuses it too', () => {
    write('proxy.yaml', 'routing:\n  proxy:\n    enabled: true\n');
    for (const command of ['render', 'convert']) {
      const err = fail([command, 'furiosa-modelservice', '--release', 'ms', '-f', 'proxy.yaml', '--set', 'routing.proxy.targetPort=8000']);
      expect(err).toContain('[ms/ms, from --set routing.proxy.targetPort=8000] routing.proxy.targetPort: value 8000 is not allowed');
    }
  });

  test('--set-string is applied after every --set, like helm', () => {
    const err = fail(['render', 'furiosa-modelservice', '--release', 'ms', '--set-string', 'decode.replicas=3', '--set', 'decode.replicas=2']);
    expect(err).toContain('[--set-string decode.replicas=3] decode.replicas: value "3" is not allowed; allowed: an integer');
  });

  test.each<[string, string[], string]>([
    ['bad --set syntax', ['render', 'furiosa-modelservice', '--release', 'r', '--set', 'decode..replicas=1'], 'cdk8s-llm-d: --set "decode..replicas=1": empty key before "."\n'],
    ['--set without a value', ['render', 'furiosa-modelservice', '--release', 'r', '--set', 'decode.replicas'], 'cdk8s-llm-d: --set "decode.replicas": key "replicas" has no value\n'],
    ['--set into a scalar', ['render', 'furiosa-modelservice', '--release', 'r', '--set', 'multinode=false,multinode.x=1'], 'cdk8s-llm-d: --set "multinode=false,multinode.x=1": multinode is a boolean, not a map: cannot set a key below it\n'],
    ['unknown chart', ['render', 'nope', '--release', 'r'], `cdk8s-llm-d: unknown chart "nope"; charts: ${helmChartNames().join(', ')}\n`],
    ['missing --release', ['convert', 'furiosa-modelservice', '-f', 'a.yaml'], 'cdk8s-llm-d: --release is required (object names derive from it)\n'],
    ['missing values file', ['render', 'furiosa-modelservice', '--release', 'r', '-f', 'missing.yaml'], 'cdk8s-llm-d: -f missing.yaml: no such values file\n'],
    ['missing --set-file file', ['render', 'furiosa-modelservice', '--release', 'r', '--set-file', 'a=missing.txt'], 'cdk8s-llm-d: --set-file "a=missing.txt": cannot read file "missing.txt"\n'],
    ['unknown command', ['template', 'x'], 'cdk8s-llm-d: unknown command "template"; commands: render, convert, migrate, diff, check (see --help)\n'],
    ['unknown flag', ['render', 'furiosa-modelservice', '--release', 'r', '--dry-run'], 'cdk8s-llm-d: unknown flag "--dry-run" (see render --help)\n'],
    ['flag without value', ['render', 'furiosa-modelservice', '--release'], 'cdk8s-llm-d: --release needs a value\n'],
  ])('%s', (_what, argv, message) => {
    write('a.yaml', 'decode:\n  replicas: 1\n');
    expect(fail(argv)).toBe(message);
  });

  test.each<[string, string, string]>([
    ['invalid YAML', 'decode: [1,\n', '-f bad.yaml: not valid YAML: '],
    ['a list at the top level', '- a\n- b\n', '-f bad.yaml: values must be a map at the top level, not a list\n'],
  ])('a values file with %s', (_what, text, message) => {
    write('bad.yaml', text);
    expect(fail(['render', 'furiosa-modelservice', '--release', 'r', '-f', 'bad.yaml'])).toContain(`cdk8s-llm-d: ${message}`);
  });

  test('an empty values file is no values', () => {
    write('empty.yaml', '# nothing\n');
    const r = cli(['render', 'furiosa-modelservice', '--release', 'r', '-f', 'empty.yaml'], tmp);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('--help', () => {
  const help = (argv: string[]): string => {
    const r = cli(argv);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    return r.stdout;
  };
  const exitCodes = (text: string): void => {
    expect(text).toContain('Exit codes:\n  0  success\n  2  bad usage or bad input');
    expect(text).toContain('  3  unexpected internal error');
    expect(text).toContain('names the values key and the -f file or --set that set it; nothing is written to stdout');
  };

  test.each([[['--help']], [['-h']], [['help']], [[]]])('overall help %j lists commands, charts and exit codes', (argv) => {
    const text = help(argv);
    expect(text).toContain('cdk8s-llm-d render  <chart> --release NAME');
    expect(text).toContain('cdk8s-llm-d convert <chart> --release NAME');
    for (const chart of helmChartNames()) expect(text).toMatch(new RegExp(`^  ${chart} +\\S`, 'm'));
    exitCodes(text);
  });

  test.each([[['render', '--help']], [['render', 'furiosa-modelservice', '-h']], [['help', 'render']]])('render help %j', (argv) => {
    const text = help(argv);
    expect(text.startsWith('Usage: cdk8s-llm-d render <chart> --release NAME')).toBe(true);
    for (const flag of ['--release, --name NAME', '-n, --namespace NS', '-f, --values FILE', '--set a.b[0].c=v', '--set-string a=v', '--set-file a=PATH', '-o, --output-dir DIR', '-h, --help']) expect(text).toContain(flag);
    for (const chart of helmChartNames()) expect(text).toContain(chart);
    exitCodes(text);
  });

  test.each([[['convert', '--help']], [['help', 'convert']]])('convert help %j', (argv) => {
    const text = help(argv);
    expect(text.startsWith('Usage: cdk8s-llm-d convert <chart> --release NAME')).toBe(true);
    for (const flag of ['--release, --name NAME', '-n, --namespace NS', '-f, --values FILE', '--set a.b[0].c=v', '--set-string a=v', '--set-file a=PATH', '-h, --help']) expect(text).toContain(flag);
    expect(text).not.toContain('--output-dir');
    exitCodes(text);
  });
});

describe('llm-d-router charts: what the charts fail on, and what they render but breaks at run time', () => {
  const ML = ['--set', 'router.modelServers.matchLabels.app=m'];
  const refuse = (chart: string, sets: string[]): string => {
    const r = cli(['render', chart, '--release', 'r', ...sets]);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
    return r.stderr;
  };
  test.each<[string, string[], string]>([
    ['llm-d-router-gateway', ['--set', 'inferenceExtension.replicas=2'], '[--set inferenceExtension.replicas=2] inferenceExtension: value {"replicas":2} is not allowed (top-level \'inferenceExtension\' is deprecated and refused by the llm-d-router charts); allowed: router.epp and other router.* keys'],
    ['llm-d-router-gateway', ['--set', 'inferencePool.modelServerType=vllm'], 'inferencePool: value {"modelServerType":"vllm"} is not allowed (top-level \'inferencePool\' is deprecated'],
    ['llm-d-router-standalone', ['--set', 'experimentalHttpRoute.enabled=true'], 'experimentalHttpRoute: value {"enabled":true} is not allowed (top-level \'experimentalHttpRoute\' is deprecated'],
    ['llm-d-router-gateway', [], 'router.modelServers.matchLabels: value undefined is not allowed (required by the chart'],
    ['llm-d-router-gateway', [...ML, '--set', 'router.epp.resources=null'], 'router.epp.resources.requests.cpu: value undefined is not allowed (required by the chart'],
    ['llm-d-router-gateway', [...ML, '--set', 'router.epp.resources.requests.memory=null'], 'router.epp.resources.requests.memory: value undefined is not allowed (required by the chart'],
    ['llm-d-router-gateway', [...ML, '--set', 'router.modelServers.targetPorts[0].number=70000'], 'router.modelServers.targetPorts[0].number: value 70000 is not allowed; allowed: a port from 1 to 65535'],
    ['llm-d-router-gateway', [...ML, '--set', 'router.epp.flags.kv-cache-usage-percentage-metric=x'], 'router.epp.flags.kv-cache-usage-percentage-metric: value "x" is not allowed (the chart renders it but the EPP exits at start-up since v0.9.0'],
    ['llm-d-router-gateway', [...ML, '--set', 'router.modelServers.type=furiosa'], 'router.modelServers.type: value "furiosa" is not allowed (the chart renders it as the core-metrics-extractor defaultEngine'],
    ['llm-d-router-gateway', [...ML, '--set', 'router.modelServers.protocol=h3'], 'router.modelServers.protocol: value "h3" is not allowed; allowed: http, grpc'],
    ['llm-d-router-gateway', [...ML, '--set', 'httpRoute.create=true', '--set', 'httpRoute.requestTimeout=soon'], 'httpRoute.requestTimeout: value "soon" is not allowed; allowed: a Gateway API duration'],
    ['llm-d-router-gateway', [...ML, '--set', 'provider.name=gke'], 'provider.name: value "gke" is not allowed (the GKE objects of llm-d-router'],
    ['llm-d-router-gateway', [...ML, '--set', 'router.proxy.enabled=true'], 'router.proxy.enabled: value true is not allowed (the gateway chart has no proxy presets'],
    ['llm-d-router-standalone', [...ML, '--set', 'router.proxy.mode=mesh'], 'router.proxy.mode: value "mesh" is not allowed (refused by the chart); allowed: sidecar, service'],
    ['llm-d-router-standalone', [...ML, '--set-string', 'router.proxy.failOpen=yes'], 'router.proxy.failOpen: value "yes" is not allowed (refused by the chart); allowed: true or false'],
    ['llm-d-router-standalone', [...ML, '--set', 'router.proxy.mode=service', '--set', 'router.extraServicePorts=null'], 'router.extraServicePorts: value [] is not allowed (refused by the chart with router.proxy.mode=service)'],
    ['llm-d-router-standalone', [...ML, '--set', 'router.inferencePool.create=false', '--set', 'router.inferenceObjectives[0].name=a', '--set', 'router.inferenceObjectives[0].priority=1'], 'router.inferenceObjectives: value ["a"] is not allowed (refused by the chart: InferenceObjectives need the InferencePool)'],
    ['llm-d-router-standalone', [...ML, '--set', 'router.proxy.presets.envoy.image=x'], 'router.proxy.presets: value {"envoy":{"image":"x"}} is not allowed (custom proxy presets are not supported'],
    ['llm-d-router-gateway', [...ML, '--set', 'router.epp.pluginsConfigFile=c.yaml', '--set-string', 'router.epp.pluginsCustomConfig.c\\.yaml=apiVersion: llm-d.ai/v1alpha1\nkind: EndpointPickerConfig\nplugins:\n- type: pd-profile-handler\nschedulingProfiles:\n- name: default\n  plugins:\n  - pluginRef: pd-profile-handler\n'], 'epp.customConfigFiles.c.yaml.plugins[0].type: value "pd-profile-handler" is not allowed (llm-d-router-v0.10 no longer registers pd-profile-handler); allowed: disagg-profile-handler with a decider'],
  ])('%s %j', (chart, sets, message) => {
    expect(refuse(chart, sets)).toContain(message);
  });
});
