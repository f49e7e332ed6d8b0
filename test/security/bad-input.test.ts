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
import { LlmdValidationError } from '../../src/core/errors';
import { synthApp } from '../../src/synth/validate';
import { GatewayListener, IstioGieGateway, IstioGieGatewayProps } from '../../src/gateway';
import { FuriosaModelService, FuriosaModelServiceProps } from '../../src/model-service';
import { InferenceRoute, InferenceRouteProps } from '../../src/routing';
import { InferenceSchedulerPool, InferenceSchedulerPoolProps, PoolProvider } from '../../src/scheduler';
import { RngdServingStack, RngdServingStackProps, ServingNetworkPolicies, ServingNetworkPoliciesProps } from '../../src/stack';
import { ModelPvcDownloader, ModelPvcDownloaderProps } from '../../src/storage';
import { tmpDir } from './corpus';

const MODEL = 'furiosa-ai/Llama-3.1-8B-Instruct';
const ART = { name: MODEL, uri: `hf://${MODEL}` };
const SERVER = { podLabels: { app: 'vllm' }, servingPort: 8000, modelName: 'm', podNamespace: 'llm-d', metricsFlavor: 'vllm' as const };
const HTTPS: GatewayListener = { name: 'https', port: 443, protocol: 'HTTPS', hostname: 'api.example.com', tls: { certificateRefs: [{ name: 'cert' }] } };

type Build = (chart: Chart, app: App) => void;

interface ConstructCase {
  readonly name: string;
  readonly build: Build;
  /** Substrings the error message must contain: where, field, bad value, allowed. */
  readonly expect: readonly string[];
  /** Exactly this many problems (no misleading follow-up errors). @default - not checked */
  readonly problems?: number;
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

const CONSTRUCT_CASES: ConstructCase[] = [
  // --- FuriosaModelService: names, parallelism, replicas, URIs, labels, ports, quantities -------
  { name: 'ms releaseName not DNS-1123', build: ms({ releaseName: 'Bad_Name' }), expect: ['[t/ms]', 'releaseName: value "Bad_Name" is not allowed', 'allowed: a DNS-1123 label'] },
  { name: 'ms namespace not DNS-1123', build: ms({ namespace: 'LLM-D' }), expect: ['[t/ms]', 'namespace: value "LLM-D"', 'allowed: a DNS-1123 label'] },
  { name: 'ms tensor parallelism 0', build: decode({ parallelism: { tensor: 0 } }), expect: ['[t/ms]', 'decode.parallelism.tensor: value 0', 'allowed: a positive integer'] },
  { name: 'ms data parallelism 1.5', build: decode({ parallelism: { data: 1.5 } }), expect: ['[t/ms]', 'decode.parallelism.data: value 1.5', 'allowed: a positive integer'] },
  { name: 'ms pipeline parallelism -2', build: decode({ parallelism: { pipeline: -2 } }), expect: ['[t/ms]', 'decode.parallelism.pipeline: value -2', 'allowed: a positive integer'] },
  { name: 'ms parallelism needs more RNGDs than a node has', build: decode({ parallelism: { tensor: 8, data: 2, pipeline: 8 } }), expect: ['[t/ms]', 'decode.parallelism: value {"tensor":8,"data":2,"pipeline":8}', 'allowed: at most 8 RNGD per pod'] },
  { name: 'ms replicas -1', build: decode({ replicas: -1 }), expect: ['[t/ms]', 'decode.replicas: value -1', 'allowed: a non-negative integer'] },
  { name: 'ms model URI with unknown scheme', build: ms({ modelArtifacts: { name: MODEL, uri: 'ftp://host/model' } }), expect: ['[t/ms]', 'modelArtifacts.uri: value "ftp://host/model"', 'unknown scheme "ftp"', 'allowed: hf://<org>/<model>, pvc://'] },
  { name: 'ms oci:// model URI refused', build: ms({ modelArtifacts: { name: MODEL, uri: 'oci://registry/model:1' } }), expect: ['[t/ms]', 'modelArtifacts.uri: value "oci://registry/model:1"', 'oci:// models are not supported', 'allowed: hf://'] },
  { name: 'ms neither uri nor storage', build: ms({ modelArtifacts: { name: MODEL } }), expect: ['[t/ms]', 'modelArtifacts: value', 'allowed: exactly one of uri and storage'] },
  { name: 'ms label key invalid', build: ms({ modelArtifacts: { ...ART, labels: { 'bad key!': 'x' } } }), expect: ['[t/ms]', 'modelArtifacts.labels key: value "bad key!"', 'allowed: a qualified name'] },
  { name: 'ms label value invalid', build: ms({ modelArtifacts: { ...ART, labels: { app: 'has space' } } }), expect: ['[t/ms]', 'modelArtifacts.labels.app: value "has space"', 'allowed: a label value'] },
  { name: 'ms role label reserved', build: ms({ modelArtifacts: { ...ART, labels: { app: 'x', 'llm-d.ai/role': 'prefill' } } }), expect: ['[t/ms]', 'modelArtifacts.labels.llm-d.ai/role: value "prefill"', 'allowed: no llm-d.ai/role label'] },
  { name: 'ms size not a quantity', build: ms({ modelArtifacts: { ...ART, size: '5 GB' } }), expect: ['[t/ms]', 'modelArtifacts.size: value "5 GB"', 'allowed: a Kubernetes quantity'] },
  { name: 'ms mountPath relative', build: ms({ modelArtifacts: { ...ART, mountPath: 'models' } }), expect: ['[t/ms]', 'modelArtifacts.mountPath: value "models"', 'allowed: an absolute path'] },
  { name: 'ms servicePort 70000', build: ms({ routing: { servicePort: 70000 } }), expect: ['[t/ms]', 'routing.servicePort: value 70000', 'allowed: an integer port number from 1 to 65535'] },
  { name: 'ms proxy targetPort equals servicePort', build: ms({ routing: { servicePort: 8000, proxy: { enabled: true, targetPort: 8000 } } }), expect: ['[t/ms]', 'routing.proxy.targetPort: value 8000', 'allowed: a port other than routing.servicePort (8000)'] },
  { name: 'ms containerPort 0', build: decode({ containers: [{ ports: [{ containerPort: 0, name: 'http' }] }] }), expect: ['[t/ms]', 'decode.containers[0].ports[0].containerPort: value 0', 'allowed: an integer port number from 1 to 65535'] },
  { name: 'ms port name invalid', build: decode({ containers: [{ ports: [{ containerPort: 8000, name: 'Invalid_Name' }] }] }), expect: ['[t/ms]', 'decode.containers[0].ports[0].name: value "Invalid_Name"', 'allowed: an IANA service name'] },
  { name: 'ms cpu request not a quantity', build: decode({ containers: [{ resources: { requests: { cpu: 'lots' } } }] }), expect: ['[t/ms]', 'decode.containers[0].resources.requests.cpu: value "lots"', 'allowed: a Kubernetes quantity'] },
  { name: 'ms env overrides a generated variable (TP_SIZE)', build: decode({ containers: [{ env: [{ name: 'TP_SIZE', value: '1' }] }] }), expect: ['[t/ms]', 'decode.containers[0].env[0].name: value "TP_SIZE"', 'allowed: a name other than'] },
  { name: 'ms custom command missing', build: decode({ containers: [{ modelCommand: 'custom' }] }), expect: ['[t/ms]', 'decode.containers[0].command: value undefined', 'allowed: a non-empty command'] },
  { name: 'ms probe on an undeclared port name', build: decode({ containers: [{ livenessProbe: { httpGet: { path: '/health', port: 'nope' } } }] }), expect: ['[t/ms]', 'decode.containers[0].livenessProbe: value "nope"', 'allowed: a port name of the container'] },
  { name: 'ms extraConfig key owned by a prop', build: decode({ extraConfig: { serviceAccountName: 'root' } }), expect: ['[t/ms]', 'decode.extraConfig.serviceAccountName: value "root"', 'allowed: no "serviceAccountName" here'] },
  { name: 'ms maxRngdPerNode 0', build: ms({ accelerator: { maxRngdPerNode: 0 } }), expect: ['[t/ms]', 'accelerator.maxRngdPerNode: value 0', 'allowed: a positive integer'] },
  { name: 'ms dra.type without a claim template', build: ms({ dra: { enabled: true, type: 'nope' } }), expect: ['[t/ms]', 'dra.type: value "nope"', 'allowed: the name of a dra.claimTemplates entry: furiosa'] },
  { name: 'ms duplicate container names', build: decode({ containers: [{ name: 'a' }, { name: 'a', modelCommand: 'imageDefault', image: 'busybox:1' }] }), expect: ['[t/ms]', 'decode.containers[1].name: value "a"', 'allowed: a container name not used by another container'] },
  { name: 'ms serviceAccount invalid', build: ms({ serviceAccount: { name: 'Root SA' } }), expect: ['[t/ms]', 'serviceAccount.name: value "Root SA"', 'allowed: a DNS-1123 subdomain'] },

  // --- InferenceSchedulerPool: names, replicas, ports, selectors, flags, plugin configs ------------
  { name: 'pool name not DNS-1123', build: pool({ name: 'Bad_Pool' }), expect: ['[t/gaie]', 'name: value "Bad_Pool"', 'allowed: a DNS-1123 subdomain'] },
  { name: 'pool epp.replicas 0', build: epp({ replicas: 0 }), expect: ['[t/gaie]', 'epp.replicas: value 0', 'allowed: an integer of 1 or more'] },
  { name: 'pool targetPorts [0]', build: pool({ targetPorts: [0] }), expect: ['[t/gaie]', 'targetPorts[0]: value 0', 'allowed: an integer port number from 1 to 65535'] },
  { name: 'pool targetPorts empty', build: pool({ targetPorts: [] }), expect: ['[t/gaie]', 'targetPorts: value []', 'allowed: at least one port'] },
  { name: 'pool targetPorts duplicated', build: pool({ targetPorts: [8000, 8000] }), expect: ['[t/gaie]', 'targetPorts: value [8000,8000]', 'allowed: distinct ports'] },
  { name: 'pool v1alpha2 with two ports', build: pool({ apiVersion: 'inference.networking.x-k8s.io/v1alpha2', targetPorts: [8000, 8001] }), expect: ['[t/gaie]', 'targetPorts: value [8000,8001]', 'allowed: exactly one port'] },
  { name: 'pool selector empty', build: pool({ selector: {} }), expect: ['[t/gaie]', 'selector: value {}', 'allowed: at least one label'] },
  { name: 'pool selector label value invalid', build: pool({ selector: { app: 'vllm server' } }), expect: ['[t/gaie]', 'selector.app: value "vllm server"', 'allowed: a label value'] },
  { name: 'pool server outside the selector', build: (c) => new InferenceSchedulerPool(c, 'gaie', { selector: { app: 'other' }, modelServers: [SERVER] }), expect: ['[t/gaie]', 'modelServers[0].podLabels: value {"app":"vllm"}', 'allowed: labels matching the pool selector'] },
  { name: 'pool servers on different ports', build: (c) => new InferenceSchedulerPool(c, 'gaie', { modelServers: [SERVER, { ...SERVER, servingPort: 9000 }] }), expect: ['[t/gaie]', 'modelServers[1].servingPort: value 9000', 'allowed: 8000 (the port of modelServers[0])'] },
  { name: 'pool reserved EPP flag', build: epp({ flags: { 'pool-name': 'other' } }), expect: ['[t/gaie]', 'epp.flags.pool-name: value "other"', 'allowed: flags other than'] },
  { name: 'pool EPP flag with leading dashes', build: epp({ flags: { '--v': 3 } }), expect: ['[t/gaie]', 'epp.flags key: value "--v"', 'allowed: a flag name without leading dashes'] },
  { name: 'pool logVerbosity -1', build: epp({ logVerbosity: -1 }), expect: ['[t/gaie]', 'epp.logVerbosity: value -1', 'allowed: an integer of 0 or more'] },
  { name: 'pool memory request not a quantity', build: epp({ resources: { requests: { memory: '1 GB' } } }), expect: ['[t/gaie]', 'epp.resources.requests.memory: value "1 GB"', 'allowed: a Kubernetes quantity'] },
  { name: 'pool monitoring interval not a duration', build: pool({ monitoring: { enabled: true, interval: '10 seconds' } }), expect: ['[t/gaie]', 'monitoring.interval: value "10 seconds"', 'allowed: a Prometheus duration'] },
  { name: 'pool metrics secret name invalid', build: pool({ monitoring: { enabled: true, metricsSecretName: 'Bad_Secret' } }), expect: ['[t/gaie]', 'monitoring.metricsSecretName: value "Bad_Secret"', 'allowed: a DNS-1123 subdomain'] },
  { name: 'pool plugin config: profile references an unknown plugin', build: epp({ config: { plugins: [{ type: 'queue-scorer' }], schedulingProfiles: [{ name: 'default', plugins: [{ pluginRef: 'missing' }] }] } }), expect: ['[t/gaie]', 'epp.config.schedulingProfiles[0].plugins[0].pluginRef: value "missing"', 'allowed: a declared plugin: queue-scorer'] },
  { name: 'pool plugin config: negative weight', build: epp({ config: { plugins: [{ type: 'queue-scorer' }], schedulingProfiles: [{ name: 'default', plugins: [{ pluginRef: 'queue-scorer', weight: -1 }] }] } }), expect: ['[t/gaie]', 'epp.config.schedulingProfiles[0].plugins[0].weight: value -1', 'allowed: a number of 0 or more'] },
  { name: 'pool plugin config: unknown plugin type', build: epp({ config: { plugins: [{ type: 'no-such-scorer' } as never], schedulingProfiles: [{ name: 'default', plugins: [{ pluginRef: 'no-such-scorer' }] }] } }), expect: ['[t/gaie]', 'epp.config.plugins[0].type: value "no-such-scorer"', 'allowed: queue-scorer, kv-cache-utilization-scorer'] },
  { name: 'pool plugin config: no profiles', build: epp({ config: { plugins: [{ type: 'queue-scorer' }], schedulingProfiles: [] } }), expect: ['[t/gaie]', 'epp.config.schedulingProfiles: value []', 'allowed: at least one scheduling profile'] },
  { name: 'pool plugin config YAML text with wrong kind', build: epp({ customConfigFiles: { 'x.yaml': 'apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: Wrong\nplugins: []\nschedulingProfiles: []\n' } }), expect: ['[t/gaie]', 'epp.customConfigFiles.x.yaml.kind: value "Wrong"', 'allowed: EndpointPickerConfig'] },
  { name: 'pool configFile not in the ConfigMap', build: epp({ configFile: 'missing.yaml' }), expect: ['[t/gaie]', 'epp.configFile: value "missing.yaml"', 'allowed: a file of the EPP ConfigMap: default-plugins.yaml'] },
  { name: 'pool tracing samplerArg 2', build: epp({ tracing: { enabled: true, samplerArg: '2' } }), expect: ['[t/gaie]', 'epp.tracing.samplerArg: value "2"', 'allowed: a ratio from "0.0" to "1.0"'] },
  { name: 'pool image tag with a space', build: epp({ image: { tag: 'v1 .3' } }), expect: ['[t/gaie]', 'epp.image.tag: value "v1 .3"', 'allowed: a non-empty string without spaces'] },
  { name: 'pool extra container port clashes with grpc', build: epp({ extraContainerPorts: [{ name: 'grpc', containerPort: 7000 }] }), expect: ['[t/gaie]', 'epp.extraContainerPorts[0].name: value "grpc"', 'allowed: a name other than grpc'] },
  { name: 'pool volumeMount of an unknown volume', build: epp({ volumeMounts: [{ name: 'nope', mountPath: '/x' }] }), expect: ['[t/gaie]', 'epp.volumeMounts[0].name: value "nope"', 'allowed: a volume of the pod: plugins-config-volume'] },
  { name: 'pool EPP runAsUser 0', build: epp({ hardening: { runAsUser: 0 } }), expect: ['[t/gaie]', 'epp.hardening.runAsUser: value 0', 'allowed: a non-root UID'] },
  { name: 'pool gke healthCheckPort 0', build: pool({ provider: PoolProvider.gke({ healthCheckPort: 0 }) }), expect: ['[t/gaie]', 'provider.gke.healthCheckPort: value 0', 'allowed: an integer port number from 1 to 65535'] },

  // --- IstioGieGateway: listeners, ports, names, service, log level -------------------------------
  { name: 'gateway listener port 0', build: gw({ listeners: [{ name: 'http', port: 0, protocol: 'HTTP' }] }), expect: ['[t/gw]', 'listeners[0].port: value 0', 'allowed: an integer port number from 1 to 65535'] },
  { name: 'gateway listener name invalid', build: gw({ listeners: [{ name: 'Bad Name', port: 80, protocol: 'HTTP' }] }), expect: ['[t/gw]', 'listeners[0].name: value "Bad Name"', 'allowed: a DNS-1123 subdomain'] },
  { name: 'gateway duplicate listener names', build: gw({ listeners: [{ name: 'a', port: 80, protocol: 'HTTP' }, { name: 'a', port: 81, protocol: 'HTTP' }] }), expect: ['[t/gw]', 'listeners[1].name: value "a"', 'allowed: a name not used by another listener'] },
  { name: 'gateway HTTPS without certificates', build: gw({ listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', hostname: 'a.example.com', tls: { certificateRefs: [] } }] }), expect: ['[t/gw]', 'listeners[0].tls.certificateRefs: value []', 'allowed: at least one certificate reference'] },
  { name: 'gateway HTTP listener with tls', build: gw({ listeners: [{ name: 'http', port: 80, protocol: 'HTTP', tls: { certificateRefs: [{ name: 'c' }] } }] }), expect: ['[t/gw]', 'listeners[0].tls: value', 'allowed: no tls'] },
  { name: 'gateway listener protocol unknown', build: gw({ listeners: [{ name: 'x', port: 80, protocol: 'QUIC' as never }] }), expect: ['[t/gw]', 'listeners[0].protocol: value "QUIC"', 'allowed: HTTP, HTTPS'] },
  { name: 'gateway releaseName longer than a label (found by fuzzing)', build: gw({ releaseName: 'r'.repeat(70), name: 'gw' }), expect: ['[t/gw]', `releaseName: value "${'r'.repeat(70)}"`, 'allowed: a DNS-1123 label: at most 63 characters'] },
  { name: 'gateway name invalid', build: gw({ name: 'Gateway_1' }), expect: ['[t/gw]', 'name: value "Gateway_1"', 'allowed: a DNS-1123 label'] },
  { name: 'gateway log level unknown', build: gw({ logLevel: 'verbose' as never }), expect: ['[t/gw]', 'logLevel: value "verbose"', 'allowed: error, warn, info, debug'] },
  { name: 'gateway service type unknown', build: gw({ service: { type: 'External' as never } }), expect: ['[t/gw]', 'service.type: value "External"', 'allowed: ClusterIP'] },
  { name: 'gateway nodePort outside the range', build: gw({ service: { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] } }), expect: ['[t/gw]', 'service.ports[0].nodePort: value 80', 'allowed: an integer from 30000 to 32767'] },
  { name: 'gateway non-Istio class refused', build: gw({ gatewayClassName: 'kgateway' as never }), expect: ['[t/gw]', 'gatewayClassName: value "kgateway"', 'allowed: istio, data-science-gateway-class'] },
  { name: 'gateway proxy resources not a quantity', build: gw({ proxyResources: { limits: { memory: '1 gig' } } }), expect: ['[t/gw]', 'proxyResources.limits.memory: value "1 gig"', 'allowed: a Kubernetes quantity'] },
  { name: 'gateway TLS ReferenceGrant without a secret namespace', build: gw({ listeners: [HTTPS], tlsReferenceGrant: {} }), expect: ['[t/gw]', 'tlsReferenceGrant.secretNamespace: value undefined', 'allowed: the namespace of the TLS Secret'] },

  // --- InferenceRoute: rules, matches, weights ---------------------------------------------------
  { name: 'route without backends', build: route({ backends: [] }), expect: ['[t/route]', 'backends: value []', 'allowed: at least one backend'] },
  { name: 'route negative weight', build: route({ backends: [{ pool: poolRef, weight: -1 }] }), expect: ['[t/route]', 'backends[0].weight: value -1', 'allowed: an integer from 0 to 1000000'] },
  { name: 'route all weights 0', build: route({ backends: [{ pool: poolRef, weight: 0 }] }), expect: ['[t/route]', 'backends: value [0]', 'allowed: at least one weight above 0'] },
  { name: 'route port the pool does not serve', build: route({ backends: [{ pool: poolRef, port: 9000 }] }), expect: ['[t/route]', 'backends[0].port: value 9000', 'allowed: a port pool gaie serves: 8000'] },
  { name: 'route relative path', build: route({ matches: [{ path: { value: 'v1' } }] }), expect: ['[t/route]', 'matches[0].path.value: value "v1"', 'allowed: an absolute path'] },
  { name: 'route header name invalid', build: route({ matches: [{ headers: [{ name: 'bad header', value: 'x' }] }] }), expect: ['[t/route]', 'matches[0].headers[0].name: value "bad header"', 'allowed: an HTTP header name'] },
  { name: 'route backend timeout above request timeout', build: route({ timeouts: { request: '10s', backendRequest: '30s' } }), expect: ['[t/route]', 'timeouts.backendRequest: value "30s"', 'allowed: at most request (10s)'] },
  { name: 'route timeout not a duration', build: route({ timeouts: { request: '1 hour' } }), expect: ['[t/route]', 'timeouts.request: value "1 hour"', 'allowed: a Gateway API duration'] },
  { name: 'route sectionName not a listener', build: route({ sectionName: 'https' }), expect: ['[t/route]', 'sectionName: value "https"', 'allowed: a listener of gateway llm-d-infra-inference-gateway: default'], problems: 1 },
  { name: 'route hostname invalid', build: route({ hostnames: ['Bad_Host'] }), expect: ['[t/route]', 'hostnames[0]: value "Bad_Host"', 'allowed: a DNS host name'] },
  { name: 'route duplicate rule names', build: (c) => {
    const g = new IstioGieGateway(c, 'gw', {});
    new InferenceRoute(c, 'route', { gateway: g, rules: [{ name: 'a', backends: [{ pool: poolRef }] }, { name: 'a', backends: [{ pool: poolRef }] }] });
  }, expect: ['[t/route]', 'rules[1].name: value "a"', 'allowed: a name no other rule has'] },
  { name: 'route from a namespace the listener does not admit', build: (c) => {
    const g = new IstioGieGateway(c, 'gw', { listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }] });
    new InferenceRoute(c, 'route', { gateway: g, namespace: 'team-a', backends: [{ pool: InferenceRoute.poolRef({ name: 'p', namespace: 'team-a', ports: [8000] }) }] });
  }, expect: ['[t/route]', 'namespace: value "team-a"', 'allowed: the gateway\'s namespace "llm-d"'] },

  // --- ModelPvcDownloader: names, sizes, patterns, secrets ----------------------------------------
  { name: 'downloader repoId invalid', build: dl({ repoId: 'not a repo' }), expect: ['[t/dl]', 'repoId: value "not a repo"', 'allowed: a Hugging Face repository id'] },
  { name: 'downloader revision with ..', build: dl({ revision: '../../etc' }), expect: ['[t/dl]', 'revision: value "../../etc"', 'allowed: a branch, tag or commit'] },
  { name: 'downloader pattern with shell/python injection', build: dl({ allowPatterns: ["*.json'); import os; os.system('id"] }), expect: ['[t/dl]', 'allowPatterns[0]: value', 'allowed: a glob of letters'] },
  { name: 'downloader storageSize not a quantity', build: dl({ storageSize: '20 GB' }), expect: ['[t/dl]', 'storageSize: value "20 GB"', 'allowed: a Kubernetes quantity'] },
  { name: 'downloader read-only access mode only', build: dl({ accessModes: ['ReadOnlyMany'] }), expect: ['[t/dl]', 'accessModes: value ["ReadOnlyMany"]', 'allowed: a writable mode as well'] },
  { name: 'downloader hubCachePath absolute', build: dl({ hubCachePath: '/hub' }), expect: ['[t/dl]', 'hubCachePath: value "/hub"', 'allowed: "" (volume root) or a relative path'] },
  { name: 'downloader mountPath under /tmp', build: dl({ mountPath: '/tmp/models' }), expect: ['[t/dl]', 'mountPath: value "/tmp/models"', 'allowed: an absolute path such as "/models"'] },
  { name: 'downloader token secret name invalid', build: dl({ tokenSecret: { name: 'HF Token' } }), expect: ['[t/dl]', 'tokenSecret.name: value "HF Token"', 'allowed: a DNS-1123 subdomain'] },
  { name: 'downloader token secret key invalid', build: dl({ tokenSecretKey: 'HF TOKEN' }), expect: ['[t/dl]', 'tokenSecretKey: value "HF TOKEN"', 'allowed: a Secret key'] },
  { name: 'downloader root UID with runAsNonRoot', build: dl({ runAsUser: 0 }), expect: ['[t/dl]', 'runAsUser: value 0', 'allowed: a non-zero UID'] },
  { name: 'downloader unpinned huggingface_hub', build: dl({ huggingfaceHubVersion: 'latest' }), expect: ['[t/dl]', 'huggingfaceHubVersion: value "latest"', 'allowed: an exact release such as "0.36.0"'] },
  { name: 'downloader Job setting on a Pod', build: dl({ workload: 'pod', backoffLimit: 2 }), expect: ['[t/dl]', 'backoffLimit: value 2', 'allowed: unset'] },
  { name: 'downloader env overrides HOME', build: dl({ env: [{ name: 'HOME', value: '/root' }] }), expect: ['[t/dl]', 'env[0].name: value "HOME"', 'allowed: a name other than HF_TOKEN, HOME and PYTHONPATH'] },

  // --- RngdServingStack and ServingNetworkPolicies -------------------------------------------------
  { name: 'stack without models', build: stack({ models: [] }), expect: ['[stack]', 'models: value []', 'allowed: at least one model'] },
  { name: 'stack duplicate model keys', build: stack({ models: [{ model: MODEL, key: 'a' }, { model: 'Qwen/Qwen3-8B', key: 'a' }] }), expect: ['[stack]', 'models[1].key: value "a"', 'allowed: a key unique among the models'] },
  { name: 'stack model key invalid', build: stack({ models: [{ model: MODEL, key: 'Bad_Key' }] }), expect: ['[stack]', 'models[0].key: value "Bad_Key"', 'allowed: a DNS-1123 label'] },
  { name: 'stack tensor parallelism 128 (too many RNGDs)', build: stack({ models: [{ model: MODEL, tensorParallelism: 128 }] }), expect: ['[stack/model/server]', 'decode.parallelism: value {"tensor":128,"data":1,"pipeline":1}', 'allowed: at most 8 RNGD per pod'] },
  { name: 'stack replicas 1.5', build: stack({ models: [{ model: MODEL, replicas: 1.5 }] }), expect: ['[stack/model/server]', 'decode.replicas: value 1.5', 'allowed: a non-negative integer'] },
  { name: 'stack namespace invalid', build: stack({ namespace: 'LLM_D' }), expect: ['[stack]', 'namespace: value "LLM_D"', 'allowed: a DNS-1123 label'] },
  { name: 'network policies: empty gateway selector', build: np({ gateway: { podLabels: {} } }), expect: ['[t/np]', 'gateway.podLabels: value {}', 'allowed: at least one label'] },
  { name: 'network policies: serving port 0', build: np({ modelServers: [{ podLabels: { app: 'vllm' }, servingPort: 0 }] }), expect: ['[t/np]', 'modelServers[0].servingPort: value 0', 'allowed: an integer port number from 1 to 65535'] },
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

describe('bad input: constructs (synthApp writes nothing)', () => {
  test.each(CONSTRUCT_CASES.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    results.cases++;
    const outdir = path.join(tmpDir('llmd-bad-'), 'dist');
    let error: unknown;
    try {
      const app = new App({ outdir });
      const chart = new Chart(app, 't', { namespace: 'llm-d' });
      c.build(chart, app);
      synthApp(app);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LlmdValidationError);
    expectAll((error as Error).message, c.expect);
    if (c.problems !== undefined) expect((error as LlmdValidationError).problems).toHaveLength(c.problems);
    expect(fs.existsSync(outdir)).toBe(false);
    results.caught++;
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
    expect(results).toEqual({ cases: names.length, caught: names.length });
  });
});
