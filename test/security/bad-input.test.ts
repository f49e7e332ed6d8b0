/**
 * Issue 8: bad input is refused, everywhere, the same way. A table of invalid configurations over
 * every construct and the CLI. For each: (a) the error names where (construct path or values key),
 * the field, the bad value and what is allowed, checked by specific substrings; (b) nothing was
 * written: the app's outdir (synthApp) or the CLI's -o DIR does not exist and stdout is empty.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { runCli } from '../../src/cli/main';
import { synthApp } from '../../src/synth/validate';
import { GatewayListener, IstioGieGateway, IstioGieGatewayProps } from '../../src/gateway';
import { FuriosaModelService, FuriosaModelServiceProps } from '../../src/model-service';
import { InferenceRoute, InferenceRouteProps } from '../../src/routing';
import { InferenceSchedulerPool, InferenceSchedulerPoolProps, PoolProvider } from '../../src/scheduler';
import { RngdServingStack, RngdServingStackProps, ServingNetworkPolicies, ServingNetworkPoliciesProps } from '../../src/stack';
import { ModelPvcDownloader, ModelPvcDownloaderProps } from '../../src/storage';
import { tmpDir } from './corpus';
import { expectRefusal, ExpectedProblem } from '../support';

const MODEL = 'furiosa-ai/Llama-3.1-8B-Instruct';
const ART = { name: MODEL, uri: `hf://${MODEL}` };
const SERVER = { podLabels: { app: 'vllm' }, servingPort: 8000, modelName: 'm', podNamespace: 'llm-d', metricsFlavor: 'vllm' as const };
const HTTPS: GatewayListener = { name: 'https', port: 443, protocol: 'HTTPS', hostname: 'api.example.com', tls: { certificateRefs: [{ name: 'cert' }] } };

type Build = (chart: Chart, app: App) => void;

interface ConstructCase {
  readonly name: string;
  readonly build: Build;
  /** Every problem of the refusal, in order: where, field, bad value, allowed (no misleading follow-up errors). */
  readonly expected: readonly ExpectedProblem[];
  /**
   * A product problem the expectation reveals: the case states the refusal as it should be and runs as
   * `test.failing` until the library reports it so.
   */
  readonly productProblem?: string;
}

const ms = (props: Partial<FuriosaModelServiceProps>): Build => (c) => new FuriosaModelService(c, 'ms', { modelArtifacts: ART, ...props });
const decode = (d: FuriosaModelServiceProps['decode']): Build => ms({ decode: d });
const pool = (props: InferenceSchedulerPoolProps): Build => (c) => new InferenceSchedulerPool(c, 'gaie', { selector: { app: 'vllm' }, ...props });
const epp = (e: NonNullable<InferenceSchedulerPoolProps['epp']>): Build => pool({ epp: e });
const gw = (props: IstioGieGatewayProps): Build => (c) => new IstioGieGateway(c, 'gw', props);
const poolRef = InferenceRoute.poolRef({ name: 'gaie', namespace: 'llm-d', ports: [8000] });
const route = (props: Partial<InferenceRouteProps>): Build => (c) => {
  const g = new IstioGieGateway(c, 'gw', {});
  new InferenceRoute(c, 'route', { gateway: g, backends: [{ pool: poolRef }], ...props });
};
const dl = (props: Partial<ModelPvcDownloaderProps>): Build => (c) => new ModelPvcDownloader(c, 'dl', { repoId: MODEL, ...props });
const stack = (props: Partial<RngdServingStackProps>): Build => (_c, app) => new RngdServingStack(app, 'stack', { models: [{ model: MODEL }], ...props });
const np = (props: Partial<ServingNetworkPoliciesProps>): Build => (c) =>
  new ServingNetworkPolicies(c, 'np', { namePrefix: 'llm-d', gateway: { podLabels: { gw: 'x' } }, endpointPickers: [], modelServers: [{ podLabels: { app: 'vllm' }, servingPort: 8000 }], ...props });

// What the library allows, as it says it.
const DNS_LABEL = 'a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit';
const DNS_SUBDOMAIN = 'a DNS-1123 subdomain: at most 253 characters, lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit';
const PORT = 'an integer port number from 1 to 65535';
const QUANTITY = 'a Kubernetes quantity such as "500m", "2", "1Gi" or "20Gi"';

const CONSTRUCT_CASES: ConstructCase[] = [
  // --- FuriosaModelService: names, parallelism, replicas, URIs, labels, ports, quantities -------
  {
    name: 'ms releaseName not DNS-1123', build: ms({ releaseName: 'Bad_Name' }),
    expected: [{ path: 't/ms', field: 'releaseName', value: 'Bad_Name', allowed: DNS_LABEL }],
  },
  { name: 'ms namespace not DNS-1123', build: ms({ namespace: 'LLM-D' }), expected: [{ path: 't/ms', field: 'namespace', value: 'LLM-D', allowed: DNS_LABEL }] },
  { name: 'ms tensor parallelism 0', build: decode({ parallelism: { tensor: 0 } }), expected: [{ path: 't/ms', field: 'decode.parallelism.tensor', value: 0, allowed: 'a positive integer' }] },
  { name: 'ms data parallelism 1.5', build: decode({ parallelism: { data: 1.5 } }), expected: [{ path: 't/ms', field: 'decode.parallelism.data', value: 1.5, allowed: 'a positive integer' }] },
  { name: 'ms pipeline parallelism -2', build: decode({ parallelism: { pipeline: -2 } }), expected: [{ path: 't/ms', field: 'decode.parallelism.pipeline', value: -2, allowed: 'a positive integer' }] },
  {
    name: 'ms parallelism needs more RNGDs than a node has', build: decode({ parallelism: { tensor: 8, data: 2, pipeline: 8 } }),
    expected: [
      { path: 't/ms', field: 'decode.parallelism', value: { tensor: 8, data: 2, pipeline: 8 }, allowed: 'at most 8 RNGD per pod', why: expect.stringContaining('a pod needs 16 RNGD cards (ceil(8*2*8/8)) but one node holds 8, so it') },
    ],
  },
  { name: 'ms replicas -1', build: decode({ replicas: -1 }), expected: [{ path: 't/ms', field: 'decode.replicas', value: -1, allowed: 'a non-negative integer' }] },
  {
    name: 'ms model URI with unknown scheme', build: ms({ modelArtifacts: { name: MODEL, uri: 'ftp://host/model' } }),
    expected: [
      { path: 't/ms', field: 'modelArtifacts.uri', value: 'ftp://host/model', allowed: 'hf://<org>/<model>, pvc://<claim>/<path/to/model>, or pvc+hf://<claim>/[<hub cache path>/]<org>/<model>', why: 'unknown scheme "ftp"' },
    ],
  },
  {
    name: 'ms oci:// model URI refused', build: ms({ modelArtifacts: { name: MODEL, uri: 'oci://registry/model:1' } }),
    expected: [
      { path: 't/ms', field: 'modelArtifacts.uri', value: 'oci://registry/model:1', allowed: 'hf://<org>/<model>, pvc://<claim>/<path> or pvc+hf://<claim>/[<hub cache path>/]<org>/<model>', why: expect.stringContaining('oci:// models are not supported: the chart fails on them ("arguments') },
    ],
  },
  { name: 'ms neither uri nor storage', build: ms({ modelArtifacts: { name: MODEL } }), expected: [{ path: 't/ms', field: 'modelArtifacts', value: {}, allowed: 'exactly one of uri and storage' }] },
  {
    name: 'ms label key invalid', build: ms({ modelArtifacts: { ...ART, labels: { 'bad key!': 'x' } } }),
    expected: [{ path: 't/ms', field: 'modelArtifacts.labels key', value: 'bad key!', allowed: 'a qualified name: optional DNS-1123 subdomain prefix and "/", then at most 63 alphanumerics, "-", "_", "."' }],
  },
  {
    name: 'ms label value invalid', build: ms({ modelArtifacts: { ...ART, labels: { app: 'has space' } } }),
    expected: [
      { path: 't/ms', field: 'modelArtifacts.labels.app', value: 'has space', allowed: 'a label value: a string of at most 63 alphanumerics, "-", "_", "." starting and ending with an alphanumeric (quote "true" and numbers)' },
    ],
  },
  {
    name: 'ms role label reserved', build: ms({ modelArtifacts: { ...ART, labels: { app: 'x', 'llm-d.ai/role': 'prefill' } } }),
    expected: [{ path: 't/ms', field: 'modelArtifacts.labels.llm-d.ai/role', value: 'prefill', allowed: 'no llm-d.ai/role label', why: 'the construct sets llm-d.ai/role: decode' }],
  },
  { name: 'ms size not a quantity', build: ms({ modelArtifacts: { ...ART, size: '5 GB' } }), expected: [{ path: 't/ms', field: 'modelArtifacts.size', value: '5 GB', allowed: QUANTITY }] },
  { name: 'ms mountPath relative', build: ms({ modelArtifacts: { ...ART, mountPath: 'models' } }), expected: [{ path: 't/ms', field: 'modelArtifacts.mountPath', value: 'models', allowed: 'an absolute path' }] },
  {
    name: 'ms servicePort 70000', build: ms({ routing: { servicePort: 70000 } }),
    expected: [{ path: 't/ms', field: 'routing.servicePort', value: 70000, allowed: PORT }],
  },
  {
    name: 'ms proxy targetPort equals servicePort', build: ms({ routing: { servicePort: 8000, proxy: { enabled: true, targetPort: 8000 } } }),
    expected: [
      { path: 't/ms', field: 'routing.proxy.targetPort', value: 8000, allowed: 'a port other than routing.servicePort (8000)', why: 'the sidecar listens on servicePort and forwards to furiosa-llm on targetPort' },
    ],
  },
  {
    name: 'ms containerPort 0', build: decode({ containers: [{ ports: [{ containerPort: 0, name: 'http' }] }] }),
    expected: [{ path: 't/ms', field: 'decode.containers[0].ports[0].containerPort', value: 0, allowed: PORT }],
  },
  {
    name: 'ms port name invalid', build: decode({ containers: [{ ports: [{ containerPort: 8000, name: 'Invalid_Name' }] }] }),
    expected: [{ path: 't/ms', field: 'decode.containers[0].ports[0].name', value: 'Invalid_Name', allowed: 'an IANA service name: 1-15 lower-case letters, digits and "-", with at least one letter, no "--"' }],
  },
  {
    name: 'ms cpu request not a quantity', build: decode({ containers: [{ resources: { requests: { cpu: 'lots' } } }] }),
    expected: [{ path: 't/ms', field: 'decode.containers[0].resources.requests.cpu', value: 'lots', allowed: QUANTITY }],
  },
  {
    name: 'ms env overrides a generated variable (TP_SIZE)', build: decode({ containers: [{ env: [{ name: 'TP_SIZE', value: '1' }] }] }),
    expected: [
      { path: 't/ms', field: 'decode.containers[0].env[0].name', value: 'TP_SIZE', allowed: 'a name other than DP_SIZE, TP_SIZE, PP_SIZE, HF_HOME', why: 'TP_SIZE is generated from parallelism / modelArtifacts and would be overridden' },
    ],
  },
  {
    name: 'ms custom command missing', build: decode({ containers: [{ modelCommand: 'custom' }] }),
    expected: [
      { path: 't/ms', field: 'decode.containers[0].command', value: undefined, allowed: 'a non-empty command', why: expect.stringContaining('modelCommand "custom" runs the given command; use "furiosaLLMServe"') },
    ],
  },
  {
    name: 'ms probe on an undeclared port name', build: decode({ containers: [{ livenessProbe: { httpGet: { path: '/health', port: 'nope' } } }] }),
    expected: [
      { path: 't/ms', field: 'decode.containers[0].livenessProbe', value: 'nope', allowed: 'a port name of the container: furiosa-llm', why: 'the container has no port named "nope", so the probe would always fail' },
    ],
  },
  {
    name: 'ms extraConfig key owned by a prop', build: decode({ extraConfig: { serviceAccountName: 'root' } }),
    expected: [{ path: 't/ms', field: 'decode.extraConfig.serviceAccountName', value: 'root', allowed: 'no "serviceAccountName" here', why: '"serviceAccountName" is set by a dedicated prop or generated; set it there' }],
  },
  {
    name: 'ms maxRngdPerNode 0', build: ms({ accelerator: { maxRngdPerNode: 0 } }),
    expected: [{ path: 't/ms', field: 'accelerator.maxRngdPerNode', value: 0, allowed: 'a positive integer' }],
  },
  {
    name: 'ms dra.type without a claim template', build: ms({ dra: { enabled: true, type: 'nope' } }),
    expected: [{ path: 't/ms', field: 'dra.type', value: 'nope', allowed: 'the name of a dra.claimTemplates entry: furiosa' }],
  },
  {
    name: 'ms duplicate container names', build: decode({ containers: [{ name: 'a' }, { name: 'a', modelCommand: 'imageDefault', image: 'busybox:1' }] }),
    expected: [
      { path: 't/ms', field: 'decode.containers[1].name', value: 'a', allowed: 'a container name not used by another container or init container of the pod', why: 'decode.containers[0].name has the same name' },
    ],
  },
  { name: 'ms serviceAccount invalid', build: ms({ serviceAccount: { name: 'Root SA' } }), expected: [{ path: 't/ms', field: 'serviceAccount.name', value: 'Root SA', allowed: DNS_SUBDOMAIN }] },

  // --- InferenceSchedulerPool: names, replicas, ports, selectors, flags, plugin configs ------------
  {
    name: 'pool name not DNS-1123', build: pool({ name: 'Bad_Pool' }),
    expected: [{ path: 't/gaie', field: 'name', value: 'Bad_Pool', allowed: DNS_SUBDOMAIN }],
  },
  { name: 'pool epp.replicas 0', build: epp({ replicas: 0 }), expected: [{ path: 't/gaie', field: 'epp.replicas', value: 0, allowed: 'an integer of 1 or more' }] },
  { name: 'pool targetPorts [0]', build: pool({ targetPorts: [0] }), expected: [{ path: 't/gaie', field: 'targetPorts[0]', value: 0, allowed: PORT }] },
  { name: 'pool targetPorts empty', build: pool({ targetPorts: [] }), expected: [{ path: 't/gaie', field: 'targetPorts', value: [], allowed: 'at least one port' }] },
  { name: 'pool targetPorts duplicated', build: pool({ targetPorts: [8000, 8000] }), expected: [{ path: 't/gaie', field: 'targetPorts', value: [8000, 8000], allowed: 'distinct ports' }] },
  {
    name: 'pool v1alpha2 with two ports', build: pool({ apiVersion: 'inference.networking.x-k8s.io/v1alpha2', targetPorts: [8000, 8001] }),
    expected: [{ path: 't/gaie', field: 'targetPorts', value: [8000, 8001], allowed: 'exactly one port', why: 'v1alpha2 InferencePools have a single targetPortNumber' }],
  },
  {
    name: 'pool selector empty', build: pool({ selector: {} }),
    expected: [{ path: 't/gaie', field: 'selector', value: {}, allowed: 'at least one label', why: 'an empty selector would select every pod in the namespace' }],
  },
  {
    name: 'pool selector label value invalid', build: pool({ selector: { app: 'vllm server' } }),
    expected: [
      { path: 't/gaie', field: 'selector.app', value: 'vllm server', allowed: 'a label value: a string of at most 63 alphanumerics, "-", "_", "." starting and ending with an alphanumeric (quote "true" and numbers)' },
    ],
  },
  {
    name: 'pool server outside the selector', build: (c) => new InferenceSchedulerPool(c, 'gaie', { selector: { app: 'other' }, modelServers: [SERVER] }),
    expected: [
      { path: 't/gaie', field: 'modelServers[0].podLabels', value: { app: 'vllm' }, allowed: 'labels matching the pool selector {"app":"other"}', why: 'label mismatch: the pool would not select this server\'s pods' },
    ],
  },
  {
    name: 'pool servers on different ports', build: (c) => new InferenceSchedulerPool(c, 'gaie', { modelServers: [SERVER, { ...SERVER, servingPort: 9000 }] }),
    expected: [{ path: 't/gaie', field: 'modelServers[1].servingPort', value: 9000, allowed: '8000 (the port of modelServers[0]), or set targetPorts', why: 'port mismatch between the model servers of one pool' }],
  },
  {
    name: 'pool reserved EPP flag', build: epp({ flags: { 'pool-name': 'other' } }),
    expected: [
      { path: 't/gaie', field: 'epp.flags.pool-name', value: 'other', allowed: 'flags other than pool-name, pool-namespace, pool-group, zap-encoder, config-file, ha-enable-leader-election, tracing, metrics-endpoint-auth', why: 'the construct renders this flag from its props' },
    ],
  },
  {
    name: 'pool EPP flag with leading dashes', build: epp({ flags: { '--v': 3 } }),
    expected: [{ path: 't/gaie', field: 'epp.flags key', value: '--v', allowed: 'a flag name without leading dashes, e.g. "kv-cache-usage-percentage-metric"' }],
  },
  { name: 'pool logVerbosity -1', build: epp({ logVerbosity: -1 }), expected: [{ path: 't/gaie', field: 'epp.logVerbosity', value: -1, allowed: 'an integer of 0 or more' }] },
  { name: 'pool memory request not a quantity', build: epp({ resources: { requests: { memory: '1 GB' } } }), expected: [{ path: 't/gaie', field: 'epp.resources.requests.memory', value: '1 GB', allowed: QUANTITY }] },
  {
    name: 'pool monitoring interval not a duration', build: pool({ monitoring: { enabled: true, interval: '10 seconds' } }),
    expected: [{ path: 't/gaie', field: 'monitoring.interval', value: '10 seconds', allowed: 'a Prometheus duration such as "10s" or "1m"' }],
  },
  {
    name: 'pool metrics secret name invalid', build: pool({ monitoring: { enabled: true, metricsSecretName: 'Bad_Secret' } }),
    expected: [{ path: 't/gaie', field: 'monitoring.metricsSecretName', value: 'Bad_Secret', allowed: DNS_SUBDOMAIN }],
  },
  {
    name: 'pool plugin config: profile references an unknown plugin', build: epp({ config: { plugins: [{ type: 'queue-scorer' }], schedulingProfiles: [{ name: 'default', plugins: [{ pluginRef: 'missing' }] }] } }),
    expected: [
      { path: 't/gaie', field: 'epp.config.schedulingProfiles[0].plugins[0].pluginRef', value: 'missing', allowed: 'a declared plugin: queue-scorer', why: 'the profile refers to a plugin that is not in plugins' },
    ],
  },
  {
    name: 'pool plugin config: negative weight', build: epp({ config: { plugins: [{ type: 'queue-scorer' }], schedulingProfiles: [{ name: 'default', plugins: [{ pluginRef: 'queue-scorer', weight: -1 }] }] } }),
    expected: [{ path: 't/gaie', field: 'epp.config.schedulingProfiles[0].plugins[0].weight', value: -1, allowed: 'a number of 0 or more' }],
  },
  {
    name: 'pool plugin config: unknown plugin type', build: epp({ config: { plugins: [{ type: 'no-such-scorer' } as never], schedulingProfiles: [{ name: 'default', plugins: [{ pluginRef: 'no-such-scorer' }] }] } }),
    expected: [
      { path: 't/gaie', field: 'epp.config.plugins[0].type', value: 'no-such-scorer', allowed: expect.stringContaining('queue-scorer, kv-cache-utilization-scorer, lora-affinity-scorer,'), why: 'unknown plugin type' },
    ],
  },
  {
    name: 'pool plugin config: no profiles', build: epp({ config: { plugins: [{ type: 'queue-scorer' }], schedulingProfiles: [] } }),
    expected: [{ path: 't/gaie', field: 'epp.config.schedulingProfiles', value: [], allowed: 'at least one scheduling profile', why: 'the EPP needs a profile to schedule with' }],
  },
  {
    name: 'pool plugin config YAML text with wrong kind', build: epp({ customConfigFiles: { 'x.yaml': 'apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: Wrong\nplugins: []\nschedulingProfiles: []\n' } }),
    expected: [
      { path: 't/gaie', field: 'epp.customConfigFiles.x.yaml.kind', value: 'Wrong', allowed: 'EndpointPickerConfig' },
      { path: 't/gaie', field: 'epp.customConfigFiles.x.yaml.schedulingProfiles', value: [], allowed: 'at least one scheduling profile', why: 'the EPP needs a profile to schedule with' },
    ],
  },
  {
    name: 'pool configFile not in the ConfigMap', build: epp({ configFile: 'missing.yaml' }),
    expected: [{ path: 't/gaie', field: 'epp.configFile', value: 'missing.yaml', allowed: 'a file of the EPP ConfigMap: default-plugins.yaml', why: '/config is the ConfigMap volume; the EPP would not start' }],
  },
  {
    name: 'pool tracing samplerArg 2', build: epp({ tracing: { enabled: true, samplerArg: '2' } }),
    expected: [{ path: 't/gaie', field: 'epp.tracing.samplerArg', value: '2', allowed: 'a ratio from "0.0" to "1.0" as a string' }],
  },
  { name: 'pool image tag with a space', build: epp({ image: { tag: 'v1 .3' } }), expected: [{ path: 't/gaie', field: 'epp.image.tag', value: 'v1 .3', allowed: 'a non-empty string without spaces' }] },
  {
    name: 'pool extra container port clashes with grpc', build: epp({ extraContainerPorts: [{ name: 'grpc', containerPort: 7000 }] }),
    expected: [{ path: 't/gaie', field: 'epp.extraContainerPorts[0].name', value: 'grpc', allowed: 'a name other than grpc, grpc-health, metrics and the other extra ports' }],
  },
  {
    name: 'pool volumeMount of an unknown volume', build: epp({ volumeMounts: [{ name: 'nope', mountPath: '/x' }] }),
    expected: [{ path: 't/gaie', field: 'epp.volumeMounts[0].name', value: 'nope', allowed: 'a volume of the pod: plugins-config-volume' }],
  },
  { name: 'pool EPP runAsUser 0', build: epp({ hardening: { runAsUser: 0 } }), expected: [{ path: 't/gaie', field: 'epp.hardening.runAsUser', value: 0, allowed: 'a non-root UID (an integer of 1 or more)' }] },
  { name: 'pool gke healthCheckPort 0', build: pool({ provider: PoolProvider.gke({ healthCheckPort: 0 }) }), expected: [{ path: 't/gaie', field: 'provider.gke.healthCheckPort', value: 0, allowed: PORT }] },

  // --- IstioGieGateway: listeners, ports, names, service, log level -------------------------------
  { name: 'gateway listener port 0', build: gw({ listeners: [{ name: 'http', port: 0, protocol: 'HTTP' }] }), expected: [{ path: 't/gw', field: 'listeners[0].port', value: 0, allowed: PORT }] },
  {
    name: 'gateway listener name invalid', build: gw({ listeners: [{ name: 'Bad Name', port: 80, protocol: 'HTTP' }] }),
    expected: [{ path: 't/gw', field: 'listeners[0].name', value: 'Bad Name', allowed: DNS_SUBDOMAIN }],
  },
  {
    name: 'gateway duplicate listener names', build: gw({ listeners: [{ name: 'a', port: 80, protocol: 'HTTP' }, { name: 'a', port: 81, protocol: 'HTTP' }] }),
    expected: [{ path: 't/gw', field: 'listeners[1].name', value: 'a', allowed: 'a name not used by another listener (listeners[0] is already "a")', why: 'listener names must be unique within a Gateway' }],
  },
  {
    name: 'gateway HTTPS without certificates', build: gw({ listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', hostname: 'a.example.com', tls: { certificateRefs: [] } }] }),
    expected: [
      { path: 't/gw', field: 'listeners[0].tls.certificateRefs', value: [], allowed: 'at least one certificate reference, e.g. [{ name: "my-tls-secret" }]', why: 'a HTTPS listener terminating TLS needs a certificate' },
    ],
  },
  {
    name: 'gateway HTTP listener with tls', build: gw({ listeners: [{ name: 'http', port: 80, protocol: 'HTTP', tls: { certificateRefs: [{ name: 'c' }] } }] }),
    expected: [{ path: 't/gw', field: 'listeners[0].tls', value: { certificateRefs: [{ name: 'c' }] }, allowed: 'no tls', why: 'tls is only for HTTPS and TLS listeners; this one is HTTP' }],
  },
  {
    name: 'gateway listener protocol unknown', build: gw({ listeners: [{ name: 'x', port: 80, protocol: 'QUIC' as never }] }),
    expected: [{ path: 't/gw', field: 'listeners[0].protocol', value: 'QUIC', allowed: 'HTTP, HTTPS, TLS, TCP, UDP' }],
  },
  {
    name: 'gateway releaseName longer than a label (found by fuzzing)', build: gw({ releaseName: 'r'.repeat(70), name: 'gw' }),
    expected: [
      { path: 't/gw', field: 'releaseName', value: 'rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr', allowed: DNS_LABEL, why: 'it is the app.kubernetes.io/instance label of every object' },
    ],
  },
  {
    name: 'gateway name invalid', build: gw({ name: 'Gateway_1' }),
    expected: [{ path: 't/gw', field: 'name', value: 'Gateway_1', allowed: DNS_LABEL, why: 'Istio names the gateway Deployment and Service after the Gateway' }],
  },
  { name: 'gateway log level unknown', build: gw({ logLevel: 'verbose' as never }), expected: [{ path: 't/gw', field: 'logLevel', value: 'verbose', allowed: 'error, warn, info, debug' }] },
  { name: 'gateway service type unknown', build: gw({ service: { type: 'External' as never } }), expected: [{ path: 't/gw', field: 'service.type', value: 'External', allowed: 'ClusterIP, LoadBalancer, NodePort' }] },
  {
    name: 'gateway nodePort outside the range', build: gw({ service: { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] } }),
    expected: [{ path: 't/gw', field: 'service.ports[0].nodePort', value: 80, allowed: 'an integer from 30000 to 32767 (the default node port range)' }],
  },
  {
    name: 'gateway non-Istio class refused', build: gw({ gatewayClassName: 'kgateway' as never }),
    expected: [
      { path: 't/gw', field: 'gatewayClassName', value: 'kgateway', allowed: 'istio, data-science-gateway-class', why: expect.stringContaining('IstioGieGateway renders Istio gateways; kgateway, agentgateway-v2 and') },
    ],
  },
  {
    name: 'gateway proxy resources not a quantity', build: gw({ proxyResources: { limits: { memory: '1 gig' } } }),
    expected: [{ path: 't/gw', field: 'proxyResources.limits.memory', value: '1 gig', allowed: QUANTITY }],
  },
  {
    name: 'gateway TLS ReferenceGrant without a secret namespace', build: gw({ listeners: [HTTPS], tlsReferenceGrant: {} }),
    expected: [{ path: 't/gw', field: 'tlsReferenceGrant.secretNamespace', value: undefined, allowed: 'the namespace of the TLS Secret', why: 'no listener certificateRef has a namespace to take it from' }],
  },

  // --- InferenceRoute: rules, matches, weights ---------------------------------------------------
  {
    name: 'route without backends', build: route({ backends: [] }),
    expected: [{ path: 't/route', field: 'backends', value: [], allowed: 'at least one backend (props.backends, addBackend() or addRule())', why: 'a route without backends answers every request with an error' }],
  },
  { name: 'route negative weight', build: route({ backends: [{ pool: poolRef, weight: -1 }] }), expected: [{ path: 't/route', field: 'backends[0].weight', value: -1, allowed: 'an integer from 0 to 1000000' }] },
  {
    name: 'route all weights 0', build: route({ backends: [{ pool: poolRef, weight: 0 }] }),
    expected: [{ path: 't/route', field: 'backends', value: [0], allowed: 'at least one weight above 0', why: 'with every weight 0 the rule sends nothing and answers with errors' }],
  },
  {
    name: 'route port the pool does not serve', build: route({ backends: [{ pool: poolRef, port: 9000 }] }),
    expected: [{ path: 't/route', field: 'backends[0].port', value: 9000, allowed: 'a port pool gaie serves: 8000', why: 'traffic to a port the pool does not serve reaches no model server' }],
  },
  {
    name: 'route relative path', build: route({ matches: [{ path: { value: 'v1' } }] }),
    expected: [{ path: 't/route', field: 'matches[0].path.value', value: 'v1', allowed: expect.stringContaining('an absolute path starting with "/" without "//", "/./" or "/../", not') }],
  },
  {
    name: 'route header name invalid', build: route({ matches: [{ headers: [{ name: 'bad header', value: 'x' }] }] }),
    expected: [{ path: 't/route', field: 'matches[0].headers[0].name', value: 'bad header', allowed: 'an HTTP header name (RFC 7230 token)' }],
  },
  {
    name: 'route backend timeout above request timeout', build: route({ timeouts: { request: '10s', backendRequest: '30s' } }),
    expected: [{ path: 't/route', field: 'timeouts.backendRequest', value: '30s', allowed: 'at most request (10s)', why: 'the Gateway API refuses a backend timeout longer than the request timeout (0s = none)' }],
  },
  {
    name: 'route timeout not a duration', build: route({ timeouts: { request: '1 hour' } }),
    expected: [{ path: 't/route', field: 'timeouts.request', value: '1 hour', allowed: 'a Gateway API duration: 1-4 groups of up to 5 digits with h, m, s or ms, e.g. "0s", "30s", "1m30s"' }],
  },
  {
    name: 'route sectionName not a listener', build: route({ sectionName: 'https' }),
    expected: [{ path: 't/route', field: 'sectionName', value: 'https', allowed: 'a listener of gateway llm-d-infra-inference-gateway: default' }],
  },
  {
    name: 'route hostname invalid', build: route({ hostnames: ['Bad_Host'] }),
    expected: [{ path: 't/route', field: 'hostnames[0]', value: 'Bad_Host', allowed: 'a DNS host name, optionally with a leading "*." wildcard label' }],
  },
  { name: 'route duplicate rule names', build: (c) => {
    const g = new IstioGieGateway(c, 'gw', {});
    new InferenceRoute(c, 'route', { gateway: g, rules: [{ name: 'a', backends: [{ pool: poolRef }] }, { name: 'a', backends: [{ pool: poolRef }] }] });
  }, expected: [{ path: 't/route', field: 'rules[1].name', value: 'a', allowed: 'a name no other rule has', why: 'rule names must be unique in a route' }] },
  { name: 'route from a namespace the listener does not admit', build: (c) => {
    const g = new IstioGieGateway(c, 'gw', { listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }] });
    new InferenceRoute(c, 'route', { gateway: g, namespace: 'team-a', backends: [{ pool: InferenceRoute.poolRef({ name: 'p', namespace: 'team-a', ports: [8000] }) }] });
  }, expected: [{ path: 't/route', field: 'namespace', value: 'team-a', allowed: 'the gateway\'s namespace "llm-d"', why: expect.stringContaining('the listeners of gateway llm-d-infra-inference-gateway do not allow') }] },

  // --- ModelPvcDownloader: names, sizes, patterns, secrets ----------------------------------------
  {
    name: 'downloader repoId invalid', build: dl({ repoId: 'not a repo' }),
    expected: [{ path: 't/dl', field: 'repoId', value: 'not a repo', allowed: 'a Hugging Face repository id such as "furiosa-ai/Llama-3.1-8B-Instruct": <org>/<name> of letters, digits, ".", "_", "-"' }],
  },
  {
    name: 'downloader revision with ..', build: dl({ revision: '../../etc' }),
    expected: [{ path: 't/dl', field: 'revision', value: '../../etc', allowed: 'a branch, tag or commit: letters, digits, ".", "_", "-" and "/"' }],
  },
  {
    name: 'downloader pattern with shell/python injection', build: dl({ allowPatterns: ["*.json'); import os; os.system('id"] }),
    expected: [{ path: 't/dl', field: 'allowPatterns[0]', value: '*.json\'); import os; os.system(\'id', allowed: 'a glob of letters, digits, ".", "_", "-", "/", "*", "?", "[", "]"' }],
  },
  { name: 'downloader storageSize not a quantity', build: dl({ storageSize: '20 GB' }), expected: [{ path: 't/dl', field: 'storageSize', value: '20 GB', allowed: QUANTITY }] },
  {
    name: 'downloader read-only access mode only', build: dl({ accessModes: ['ReadOnlyMany'] }),
    expected: [
      { path: 't/dl', field: 'accessModes', value: ['ReadOnlyMany'], allowed: 'a writable mode as well (ReadWriteOnce, ReadWriteMany or ReadWriteOncePod)', why: 'the downloader writes the model into the claim' },
    ],
  },
  {
    name: 'downloader hubCachePath absolute', build: dl({ hubCachePath: '/hub' }),
    expected: [
      { path: 't/dl', field: 'hubCachePath', value: '/hub', allowed: '"" (volume root) or a relative path like "hub" or "cache/hub": segments of letters, digits, ".", "_", "-", no leading or trailing "/", no ".."' },
    ],
  },
  {
    name: 'downloader mountPath under /tmp', build: dl({ mountPath: '/tmp/models' }),
    expected: [{ path: 't/dl', field: 'mountPath', value: '/tmp/models', allowed: 'an absolute path such as "/models" (not "/" and not under /tmp, which holds the scratch emptyDir)' }],
  },
  { name: 'downloader token secret name invalid', build: dl({ tokenSecret: { name: 'HF Token' } }), expected: [{ path: 't/dl', field: 'tokenSecret.name', value: 'HF Token', allowed: DNS_SUBDOMAIN }] },
  {
    name: 'downloader token secret key invalid', build: dl({ tokenSecretKey: 'HF TOKEN' }),
    expected: [{ path: 't/dl', field: 'tokenSecretKey', value: 'HF TOKEN', allowed: 'a Secret key: letters, digits, "-", "_" and "."' }],
  },
  {
    name: 'downloader root UID with runAsNonRoot', build: dl({ runAsUser: 0 }),
    expected: [{ path: 't/dl', field: 'runAsUser', value: 0, allowed: 'a non-zero UID', why: 'runAsNonRoot is on; set runAsNonRoot: false to run as root' }],
  },
  {
    name: 'downloader unpinned huggingface_hub', build: dl({ huggingfaceHubVersion: 'latest' }),
    expected: [{ path: 't/dl', field: 'huggingfaceHubVersion', value: 'latest', allowed: 'an exact release such as "0.36.0"', why: 'the version is pinned so downloads are reproducible' }],
  },
  {
    name: 'downloader Job setting on a Pod', build: dl({ workload: 'pod', backoffLimit: 2 }),
    expected: [{ path: 't/dl', field: 'backoffLimit', value: 2, allowed: 'unset', why: 'it is a Job setting; workload "pod" runs a bare Pod' }],
  },
  {
    name: 'downloader env overrides HOME', build: dl({ env: [{ name: 'HOME', value: '/root' }] }),
    expected: [{ path: 't/dl', field: 'env[0].name', value: 'HOME', allowed: 'a name other than HF_TOKEN, HOME and PYTHONPATH', why: 'the downloader sets it (the token only from tokenSecret)' }],
  },

  // --- RngdServingStack and ServingNetworkPolicies -------------------------------------------------
  {
    name: 'stack without models', build: stack({ models: [] }),
    expected: [{ path: 'stack', field: 'models', value: [], allowed: 'at least one model' }],
  },
  {
    name: 'stack duplicate model keys', build: stack({ models: [{ model: MODEL, key: 'a' }, { model: 'Qwen/Qwen3-8B', key: 'a' }] }),
    expected: [{ path: 'stack', field: 'models[1].key', value: 'a', allowed: 'a key unique among the models', why: 'models[0] has it too; set key to tell them apart' }],
    productProblem: 'follow-ons at the built pools and workloads (stack/a/pool, stack/a-1/pool/epp/Resource)',
  },
  { name: 'stack model key invalid', build: stack({ models: [{ model: MODEL, key: 'Bad_Key' }] }), expected: [{ path: 'stack', field: 'models[0].key', value: 'Bad_Key', allowed: DNS_LABEL }] },
  {
    name: 'stack tensor parallelism 128 (too many RNGDs)', build: stack({ models: [{ model: MODEL, tensorParallelism: 128 }] }),
    expected: [
      { path: 'stack', field: 'models[0].tensorParallelism', value: 128, allowed: 'at most 8 RNGD per pod', why: expect.stringContaining('a pod needs 16 RNGD cards (ceil(128*1*1/8)) but one node holds 8, so') },
    ],
  },
  { name: 'stack replicas 1.5', build: stack({ models: [{ model: MODEL, replicas: 1.5 }] }), expected: [{ path: 'stack', field: 'models[0].replicas', value: 1.5, allowed: 'a non-negative integer' }] },
  { name: 'stack namespace invalid', build: stack({ namespace: 'LLM_D' }), expected: [{ path: 'stack', field: 'namespace', value: 'LLM_D', allowed: DNS_LABEL }] },
  {
    name: 'network policies: empty gateway selector', build: np({ gateway: { podLabels: {} } }),
    expected: [{ path: 't/np', field: 'gateway.podLabels', value: {}, allowed: 'at least one label', why: 'an empty podSelector selects every pod in the namespace' }],
  },
  { name: 'network policies: serving port 0', build: np({ modelServers: [{ podLabels: { app: 'vllm' }, servingPort: 0 }] }), expected: [{ path: 't/np', field: 'modelServers[0].servingPort', value: 0, allowed: PORT }] },
];

interface CliCase {
  readonly name: string;
  /** Arguments after `render`; `VALUES` is replaced by the path of a file holding `values`. */
  readonly args: readonly string[];
  readonly values?: string;
  readonly expect: readonly string[];
}

const CLI_CASES: CliCase[] = [
  { name: 'cli unknown values key', args: ['furiosa-modelservice', '--release', 'ms', '-f', 'VALUES'], values: 'decod:\n  replicas: 2\n', expect: ['[values.yaml]', 'decod: value {"replicas":2}', 'unknown key', 'allowed: one of the chart\'s keys here: '] },
  { name: 'cli wrong value type', args: ['furiosa-modelservice', '--release', 'ms', '-f', 'VALUES'], values: 'decode:\n  replicas: two\n', expect: ['[values.yaml]', 'decode.replicas: value "two"', 'allowed: an integer'] },
  { name: 'cli unsupported feature (multinode)', args: ['furiosa-modelservice', '--release', 'ms', '-f', 'VALUES'], values: 'multinode: true\n', expect: ['[values.yaml]', 'multinode: value true', 'LeaderWorkerSet deployment is not supported', 'allowed: false'] },
  { name: 'cli parallelism -4 through values (construct validation)', args: ['furiosa-modelservice', '--release', 'ms', '-f', 'VALUES'], values: 'modelArtifacts:\n  uri: hf://furiosa-ai/Llama-3.1-8B-Instruct\ndecode:\n  parallelism:\n    tensor: -4\n', expect: ['decode.parallelism.tensor: value -4', 'allowed: a positive integer'] },
  { name: 'cli inferencepool unknown key', args: ['inferencepool', '--release', 'gaie', '-f', 'VALUES'], values: 'inferencePool:\n  modelServers:\n    matchLabels: { app: x }\n  targetPortz: 8000\n', expect: ['[values.yaml]', 'inferencePool.targetPortz: value 8000', 'unknown key', 'allowed: one of the chart\'s keys here: targetPorts'] },
  { name: 'cli inferencepool wrong type', args: ['inferencepool', '--release', 'gaie', '-f', 'VALUES'], values: 'inferencePool:\n  modelServers:\n    matchLabels: { app: x }\ninferenceExtension:\n  replicas: many\n', expect: ['[values.yaml]', 'inferenceExtension.replicas: value "many"', 'allowed: an integer'] },
  { name: 'cli llm-d-infra non-Istio gateway class', args: ['llm-d-infra', '--release', 'infra', '-f', 'VALUES'], values: 'gateway:\n  gatewayClassName: kgateway\n', expect: ['[values.yaml]', 'gateway.gatewayClassName: value "kgateway"', 'allowed: istio or data-science-gateway-class'] },
  { name: 'cli --set with a wrong type', args: ['furiosa-modelservice', '--release', 'ms', '--set', 'decode.replicas=abc'], expect: ['[--set decode.replicas=abc]', 'decode.replicas: value "abc"', 'allowed: an integer'] },
  { name: 'cli bad --set syntax', args: ['furiosa-modelservice', '--release', 'ms', '--set', 'a..b=1'], expect: ['--set "a..b=1": empty key before "."'] },
  { name: 'cli unknown chart', args: ['no-such-chart', '--release', 'x'], expect: ['unknown chart "no-such-chart"', 'charts: furiosa-modelservice'] },
  { name: 'cli missing values file', args: ['furiosa-modelservice', '--release', 'ms', '-f', 'does-not-exist.yaml'], expect: ['-f does-not-exist.yaml', 'no such values file'] },
  { name: 'cli values file is a list', args: ['furiosa-modelservice', '--release', 'ms', '-f', 'VALUES'], values: '- a\n- b\n', expect: ['-f values.yaml', 'values must be a map at the top level, not a list'] },
  { name: 'cli release name invalid', args: ['furiosa-modelservice', '--release', 'Bad_Release', '--set', 'modelArtifacts.uri=hf://a/b'], expect: ['releaseName', '"Bad_Release"', 'allowed: a DNS-1123 label'] },
];

function expectAll(message: string, parts: readonly string[]): void {
  for (const p of parts) {
    if (!message.includes(p)) throw new Error(`message lacks ${JSON.stringify(p)}:\n${message}`);
  }
}

const results = { cases: 0, caught: 0 };

/** Builds the case into an app and synthesizes it: refused with exactly its problems, and nothing written. */
function expectCaseRefused(c: ConstructCase): void {
  const outdir = path.join(tmpDir('llmd-bad-'), 'dist');
  expectRefusal(() => {
    const app = new App({ outdir });
    const chart = new Chart(app, 't', { namespace: 'llm-d' });
    c.build(chart, app);
    synthApp(app);
  }, c.expected);
  expect(fs.existsSync(outdir)).toBe(false);
}

const KNOWN_PRODUCT_PROBLEMS = CONSTRUCT_CASES.filter((c) => c.productProblem !== undefined);

describe('bad input: constructs (synthApp writes nothing)', () => {
  test.each(CONSTRUCT_CASES.filter((c) => c.productProblem === undefined).map((c) => [c.name, c] as const))('%s', (_n, c) => {
    results.cases++;
    expectCaseRefused(c);
    results.caught++;
  });

  // Product problems these cases reveal (see productProblem): they fail until the library reports them right.
  test.failing.each(KNOWN_PRODUCT_PROBLEMS.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    expectCaseRefused(c);
  });
});

describe('bad input: CLI render -o DIR (exit 2, nothing on stdout, DIR not created)', () => {
  test.each(CLI_CASES.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    results.cases++;
    const dir = tmpDir('llmd-bad-cli-');
    const out = path.join(dir, 'out');
    if (c.values !== undefined) fs.writeFileSync(path.join(dir, 'values.yaml'), c.values);
    const args = c.args.map((a) => (a === 'VALUES' ? 'values.yaml' : a));
    let stdout = '';
    let stderr = '';
    const code = runCli(['render', ...args, '-o', out], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, dir);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expectAll(stderr, c.expect);
    expect(fs.existsSync(out)).toBe(false);
    results.caught++;
  });
});

describe('bad input: totals', () => {
  test('at least 60 distinct cases, every one caught', () => {
    const names = [...CONSTRUCT_CASES, ...CLI_CASES].map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(60);
    // Runs after the tables (jest runs tests in order within a file).
    const counted = names.length - KNOWN_PRODUCT_PROBLEMS.length;
    expect(results).toEqual({ cases: counted, caught: counted });
  });
});
