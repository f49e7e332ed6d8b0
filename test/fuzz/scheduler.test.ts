/**
 * Property tests over InferenceSchedulerPool props (flags, replicas, ports, plugin weights,
 * providers) and the model servers added to it, judged by an oracle (see support.ts).
 *
 * Rules covered (path `fuzz/gaie`): the pool name a DNS-1123 subdomain; EPP replicas an integer of
 * 1 or more; ext-proc and metrics ports 1-65535; log verbosity an integer of 0 or more; flag names
 * without leading dashes, flags the construct renders itself refused, flag values scalars; target
 * ports 1-65535, at least one, distinct, exactly one for v1alpha2; every server's port a target
 * port (or all servers on one port); an empty selector, no selector and no servers, servers
 * sharing no label, servers outside an explicit selector; scheduling-profile weights of 0 or
 * more, prefix-cache block size positive, profile references to declared plugins; the tracing
 * sampler ratio; the ServiceMonitor interval.
 *
 * Meaning of accepted pools: the InferencePool selects the given (or the servers' shared) labels on
 * the target ports (v1 and v1alpha2 shapes) and points at the EPP Service's ext-proc port with the
 * failure mode; the EPP Service has both ports; the EPP Deployment has the replicas, and its args
 * the pool, every flag, the log verbosity, leader election with several replicas, tracing.
 */
import * as fc from 'fast-check';
import { IModelServer } from '../../src/core/contracts';
import { InferenceSchedulerPool, InferenceSchedulerPoolProps, PoolProvider } from '../../src/scheduler';
import {
  argAfter,
  Arbs,
  bothModes,
  checkOracle,
  envValue,
  Expected,
  hits,
  isDnsLabel,
  isDnsSubdomain,
  isNonNegativeInt,
  isPort,
  isPositiveInt,
  junkString,
  Manifest,
  named,
  ofKind,
  Oracle,
  SEED,
  validLabels,
} from './support';

const server = (port: number, labels: Record<string, string>): IModelServer => ({ podLabels: labels, servingPort: port, modelName: 'm', podNamespace: 'llm-d', metricsFlavor: 'furiosa' });

const VALID_FLAGS = ['kv-cache-usage-percentage-metric', 'total-queued-requests-metric', 'lora-info-metric', 'refresh-metrics-interval', 'secure-serving'];
/** Flags the construct renders from its own props. */
const RESERVED_FLAGS = ['pool-name', 'config-file'];
const VALID_SAMPLER_ARGS = ['0.1', '1', '0'];
const VALID_INTERVALS = ['10s', '1m', '30s'];

interface Input {
  props: InferenceSchedulerPoolProps;
  servers: Array<{ port: number; labels: Record<string, string> }>;
}

const props = ({ mostly, name, port, labels, count }: Arbs): fc.Arbitrary<Input> => {
  const flagName = mostly(fc.constantFrom(...VALID_FLAGS), fc.oneof(junkString, fc.constantFrom('--v', ...RESERVED_FLAGS)));
  const flagValue = mostly(fc.oneof(fc.constantFrom('vllm:num_requests_waiting', '50ms', ''), fc.integer({ min: 0, max: 100 }), fc.boolean(), fc.constant(null)), fc.oneof(fc.constant({ nested: 1 } as never), fc.constant([1] as never)));
  const weight = mostly(fc.integer({ min: 0, max: 10 }), fc.oneof(fc.integer({ min: -5, max: -1 }), fc.double({ min: -1, max: 1, noNaN: true }), fc.constant(Number.NaN)));
  const scorers = ['queue-scorer', 'kv-cache-utilization-scorer', 'prefix-cache-scorer'] as const;
  const config = fc.record({
    used: fc.subarray([...scorers], { minLength: 1 }),
    weights: fc.array(weight, { minLength: 3, maxLength: 3 }),
    picker: fc.constantFrom('max-score-picker', 'random-picker', 'weighted-random-picker'),
    blockSize: mostly(fc.integer({ min: 1, max: 256 }), fc.constantFrom(0, -1, 1.5)),
    danglingRef: mostly(fc.constant(false), fc.constant(true)),
  }).map(({ used, weights, picker, blockSize, danglingRef }) => ({
    plugins: [
      ...used.map((type) => (type === 'prefix-cache-scorer' ? { type, parameters: { hashBlockSize: blockSize } } : { type })),
      { type: picker },
    ] as never,
    schedulingProfiles: [{ name: 'default', plugins: [...used.map((t, i) => ({ pluginRef: t, weight: weights[i] })), { pluginRef: picker }, ...(danglingRef ? [{ pluginRef: 'missing' }] : [])] }],
  }));
  return fc.record({
    props: fc.record({
      name,
      apiVersion: fc.constantFrom('inference.networking.k8s.io/v1' as const, 'inference.networking.x-k8s.io/v1alpha2' as const),
      selector: mostly(fc.constant(undefined), labels),
      targetPorts: mostly(fc.constant(undefined), fc.array(port, { maxLength: 3 })),
      failureMode: fc.constantFrom(undefined, 'FailOpen' as const, 'FailClose' as const),
      provider: fc.constantFrom(PoolProvider.none(), PoolProvider.istio(), PoolProvider.gke()),
      epp: fc.record({
        replicas: mostly(fc.integer({ min: 1, max: 3 }), count(3)),
        extProcPort: port,
        metricsPort: port,
        flags: fc.dictionary(flagName, flagValue, { maxKeys: 3, noNullPrototype: true }),
        logVerbosity: mostly(fc.integer({ min: 0, max: 5 }), count(3)),
        config: mostly(fc.constant(undefined), config),
        tracing: fc.record({ enabled: fc.boolean(), samplerArg: mostly(fc.constantFrom(...VALID_SAMPLER_ARGS), fc.constantFrom('2', 'x', '-0.5')) }, { requiredKeys: [] }),
        hardening: fc.record({ enabled: fc.boolean(), readOnlyRootFilesystem: fc.boolean() }, { requiredKeys: [] }),
      }, { requiredKeys: [] }),
      monitoring: fc.record({ enabled: fc.boolean(), auth: fc.boolean(), interval: mostly(fc.constantFrom(...VALID_INTERVALS), junkString) }, { requiredKeys: [] }),
    }, { requiredKeys: [] }),
    servers: fc.array(fc.record({ port: mostly(fc.constant(8000), port), labels: mostly(fc.constant({ [SERVING_LABEL]: 'true' }), labels) }), { maxLength: 2 }),
  });
};

const POOL = 'fuzz/gaie';
const SERVING_LABEL = 'llm-d.ai/inferenceServing';
const V1ALPHA2 = 'inference.networking.x-k8s.io/v1alpha2';

/** The labels every server's pods carry (the selector the pool derives without one). */
function sharedLabels(servers: Input['servers']): Record<string, string> | undefined {
  if (servers.length === 0) return undefined;
  return Object.fromEntries(Object.entries(servers[0].labels).filter(([k, v]) => servers.every((s) => s.labels[k] === v)));
}

const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
const isRatio = (s: string) => /^\d*\.?\d+$/.test(s) && Number(s) >= 0 && Number(s) <= 1;
const isPrometheusDuration = (s: string) => /^(\d+(ms|s|m|h|d|w|y))+$/.test(s);
const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

function resolve({ props: p, servers }: Input) {
  const name = p.name ?? 'gaie';
  const selector = p.selector ?? sharedLabels(servers);
  const ports = p.targetPorts ?? (servers.length > 0 ? [servers[0].port] : [8000]);
  return { name, selector, ports, epp: p.epp ?? {} };
}

const oracle: Oracle<Input> = {
  refusals(input) {
    const { props: p, servers } = input;
    const r = resolve(input);
    const out: Expected[] = [];
    const at = (field: string, value: unknown) => out.push({ path: POOL, field, value });
    if (!isDnsSubdomain(r.name)) at('name', r.name);
    if (p.selector !== undefined && Object.keys(p.selector).length === 0) at('selector', {});
    else if (r.selector === undefined) at('selector', undefined);
    else if (Object.keys(r.selector).length === 0) at('modelServers', servers.map((s) => s.labels));
    servers.forEach((s, i) => {
      if (p.selector !== undefined && Object.keys(p.selector).length > 0 && !matches(p.selector, s.labels)) at(`modelServers[${i}].podLabels`, s.labels);
      if (p.targetPorts !== undefined ? !p.targetPorts.includes(s.port) : s.port !== servers[0].port) at(`modelServers[${i}].servingPort`, s.port);
    });
    if (p.targetPorts !== undefined) {
      p.targetPorts.forEach((port, i) => !isPort(port) && at(`targetPorts[${i}]`, port));
      if (p.targetPorts.length === 0) at('targetPorts', []);
      if (new Set(p.targetPorts).size !== p.targetPorts.length) at('targetPorts', p.targetPorts);
    }
    if (p.apiVersion === V1ALPHA2 && r.ports.length !== 1) at('targetPorts', r.ports);
    const e = r.epp;
    if (e.replicas !== undefined && !isPositiveInt(e.replicas)) at('epp.replicas', e.replicas);
    if (e.extProcPort !== undefined && !isPort(e.extProcPort)) at('epp.extProcPort', e.extProcPort);
    if (e.metricsPort !== undefined && !isPort(e.metricsPort)) at('epp.metricsPort', e.metricsPort);
    if (e.logVerbosity !== undefined && !isNonNegativeInt(e.logVerbosity)) at('epp.logVerbosity', e.logVerbosity);
    for (const [k, v] of Object.entries(e.flags ?? {})) {
      if (!/^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(k)) at('epp.flags key', k);
      if (RESERVED_FLAGS.includes(k)) out.push({ path: POOL, field: `epp.flags.${k}`, value: v, rule: 'epp.flags (reserved)' });
      else if (!isScalar(v)) out.push({ path: POOL, field: `epp.flags.${k}`, value: v, rule: 'epp.flags (not a scalar)' });
    }
    if (e.config) {
      const declared = e.config.plugins.map((x) => x.type);
      e.config.plugins.forEach((x, j) => {
        const size = (x as { parameters?: { hashBlockSize?: number } }).parameters?.hashBlockSize;
        if (size !== undefined && !isPositiveInt(size)) at(`epp.config.plugins[${j}].parameters.hashBlockSize`, size);
      });
      e.config.schedulingProfiles[0].plugins.forEach((ref, j) => {
        const f = `epp.config.schedulingProfiles[0].plugins[${j}]`;
        if (!declared.includes(ref.pluginRef)) at(`${f}.pluginRef`, ref.pluginRef);
        if (ref.weight !== undefined && !(Number.isFinite(ref.weight) && ref.weight >= 0)) at(`${f}.weight`, ref.weight);
      });
    }
    if (e.tracing?.samplerArg !== undefined && !isRatio(e.tracing.samplerArg)) at('epp.tracing.samplerArg', e.tracing.samplerArg);
    if (p.monitoring?.interval !== undefined && !isPrometheusDuration(p.monitoring.interval)) at('monitoring.interval', p.monitoring.interval);
    return out;
  },

  valid(input) {
    const { props: p, servers } = input;
    const r = resolve(input);
    const e = r.epp;
    return (
      isDnsLabel(r.name) &&
      r.selector !== undefined && Object.keys(r.selector).length > 0 && validLabels(r.selector, [SERVING_LABEL]) &&
      servers.every((s) => validLabels(s.labels, [SERVING_LABEL]) && matches(r.selector!, s.labels) && r.ports.includes(s.port)) &&
      (p.targetPorts === undefined || new Set(p.targetPorts).size === p.targetPorts.length) &&
      r.ports.length > 0 && r.ports.every(isPort) && (p.apiVersion !== V1ALPHA2 || r.ports.length === 1) &&
      (p.targetPorts !== undefined || servers.every((s) => s.port === servers[0].port)) &&
      (e.replicas === undefined || isPositiveInt(e.replicas)) &&
      [e.extProcPort, e.metricsPort].every((x) => x === undefined || isPort(x)) &&
      (e.logVerbosity === undefined || isNonNegativeInt(e.logVerbosity)) &&
      Object.entries(e.flags ?? {}).every(([k, v]) => VALID_FLAGS.includes(k) && isScalar(v)) &&
      (e.config === undefined || oracle.refusals(input).length === 0) &&
      (e.tracing?.samplerArg === undefined || VALID_SAMPLER_ARGS.includes(e.tracing.samplerArg)) &&
      (p.monitoring?.interval === undefined || VALID_INTERVALS.includes(p.monitoring.interval))
    );
  },

  meaning(input, objects) {
    const { props: p } = input;
    const r = resolve(input);
    const e = r.epp;
    const eppName = `${r.name}-epp`;
    const extProcPort = e.extProcPort ?? 9002;
    // The pool: the selector (given, or the labels the servers share), the target ports, the EPP.
    const pool = named(objects, 'InferencePool', r.name);
    expect(pool.apiVersion).toBe(p.apiVersion ?? 'inference.networking.k8s.io/v1');
    if (p.apiVersion === V1ALPHA2) {
      expect(pool.spec.selector).toEqual(r.selector);
      expect(pool.spec.targetPortNumber).toBe(r.ports[0]);
      expect(pool.spec.extensionRef).toEqual({ name: eppName, portNumber: extProcPort, failureMode: p.failureMode ?? 'FailClose' });
    } else {
      expect(pool.spec.selector).toEqual({ matchLabels: r.selector });
      expect(pool.spec.targetPorts).toEqual(r.ports.map((number) => ({ number })));
      expect(pool.spec.endpointPickerRef).toEqual({ name: eppName, port: { number: extProcPort }, ...(p.failureMode ? { failureMode: p.failureMode } : {}) });
    }
    const service = named(objects, 'Service', eppName);
    expect(service.spec.ports).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'grpc-ext-proc', port: extProcPort }),
      expect.objectContaining({ name: 'http-metrics', port: e.metricsPort ?? 9090 }),
    ]));
    // The EPP: replicas, and its command line names the pool and carries every flag.
    const deployment = named(objects, 'Deployment', eppName);
    const replicas = e.replicas ?? 1;
    expect(deployment.spec.replicas).toBe(replicas);
    const epp: Manifest = deployment.spec.template.spec.containers.find((c: Manifest) => c.name === 'epp');
    const args: string[] = epp.args;
    expect(argAfter(args, '--pool-name')).toBe(r.name);
    expect(argAfter(args, '--pool-namespace')).toBe('llm-d');
    for (const [k, v] of Object.entries(e.flags ?? {})) {
      if (v === null) expect(args).not.toContain(`--${k}`);
      else expect(argAfter(args, `--${k}`)).toBe(String(v));
    }
    if (!('v' in (e.flags ?? {}))) expect(argAfter(args, '--v')).toBe(String(e.logVerbosity ?? 1));
    expect(args.includes('--ha-enable-leader-election')).toBe(replicas > 1);
    const tracing = e.tracing?.enabled ?? false;
    expect(args).toContain(`--tracing=${tracing}`);
    if (tracing) expect(envValue(epp, 'OTEL_TRACES_SAMPLER_ARG')).toBe(e.tracing?.samplerArg ?? '0.1');
    // Scraped at the interval: a ServiceMonitor, or on GKE a PodMonitoring (with the token only).
    const gke = p.provider?.name === 'gke';
    const monitors = ofKind(objects, gke ? 'PodMonitoring' : 'ServiceMonitor');
    const scraped = (p.monitoring?.enabled ?? false) && (!gke || (p.monitoring?.auth ?? true));
    expect(monitors.map((m) => m.spec.endpoints[0].interval)).toEqual(scraped ? [p.monitoring?.interval ?? '10s'] : []);
  },
};

describe('fuzz: InferenceSchedulerPool', () => {
  test('refused by the rule the oracle names, or accepted with the values in the objects', () => {
    const r = checkOracle(bothModes(props), (input) => (chart) => {
      const pool = new InferenceSchedulerPool(chart, 'gaie', input.props);
      for (const s of input.servers) pool.addModelServer(server(s.port, s.labels));
    }, oracle, 200, SEED);
    expect(r.acceptedValid).toBeGreaterThan(20);
    expect(r.refusedByRule).toBeGreaterThan(20);
    expect(hits(r, 'epp.replicas', 'epp.extProcPort', 'epp.metricsPort', 'targetPorts[]', 'modelServers[].servingPort')).toBeGreaterThan(10);
  });
});
