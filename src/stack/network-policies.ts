import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { addProblems, Problem } from '../core/errors';
import { checkDns1123Subdomain } from '../core/names';
import { checkLabels, sharedLabels } from '../core/labels';
import { checkPort } from '../core/ports';
import { plainProps } from '../core/plain-props';

/** Pods one construct runs, as the network policies see them (an IstioGieGateway or a ModelPvcDownloader is one). */
export interface PodsPeer {
  /** Labels that select the pods. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/**
 * Model-download pods, as the network policies see them (a ModelPvcDownloader is one): their
 * labels and the TCP ports they connect to.
 */
export interface DownloaderPeer extends PodsPeer {
  /**
   * TCP ports the download connects to. Those not in `mirrorEgressPorts` are open to addresses
   * outside the cluster's private ranges only (the Hugging Face Hub and PyPI).
   * @default [443]
   */
  readonly egressPorts?: readonly number[];
  /**
   * Ports of endpoints named by URL (a hub mirror, a package index): open to any address,
   * private ranges and in-cluster pods included, since such a mirror is often internal.
   * @default []
   */
  readonly mirrorEgressPorts?: readonly number[];
}

/** Pods of one model server, as the network policies see them (a FuriosaModelService or ModelService is one). */
export interface ModelServerPeer {
  /** Labels that select the model-server pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The port that serves inference and `/metrics`. */
  readonly servingPort: number;
  /**
   * Pods that call these pods directly, on any port: the decode pods of a prefill/decode service
   * (the routing sidecar sends prompts to the prefill pods, NIXL moves the KV cache on ports of its own).
   * @default - none
   */
  readonly callers?: ReadonlyArray<{ readonly podLabels: Readonly<Record<string, string>> }>;
}

/** Endpoint-picker pods, as the network policies see them (`pool.endpointPicker` is one). */
export interface EndpointPickerPeer {
  /** Labels that select the EPP pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The ext-proc gRPC port the gateway calls. */
  readonly extProcPort: number;
  /** The metrics port Prometheus scrapes. */
  readonly metricsPort: number;
}

export interface ServingNetworkPoliciesProps {
  /** Name prefix of the NetworkPolicy objects. */
  readonly namePrefix: string;
  /**
   * Namespace of every policy (NetworkPolicies are namespaced and select pods in it).
   * @default - the chart's namespace, else "default"
   */
  readonly namespace?: string;
  /**
   * The gateway whose proxy pods may call the endpoint pickers and model servers: an
   * IstioGieGateway (Istio labels the pods of a managed gateway with
   * `gateway.networking.k8s.io/gateway-name: <gateway name>`).
   */
  readonly gateway: PodsPeer;
  /** Endpoint pickers whose ingress is limited to the gateway (ext-proc) and monitoring (metrics). */
  readonly endpointPickers: readonly EndpointPickerPeer[];
  /** Model servers whose ingress is limited to the gateway and the endpoint pickers. */
  readonly modelServers: readonly ModelServerPeer[];
  /**
   * Model downloaders (ModelPvcDownloader); their pods get egress only to DNS and to their
   * `egressPorts` (HTTPS, 443, by default) outside the cluster's private ranges (the Hugging Face
   * hub and PyPI; a NetworkPolicy cannot name hosts), plus their `mirrorEgressPorts` (a hub mirror
   * or package index given by URL) to any address. One policy selects them all by the labels they
   * share, with the ports of all of them.
   * @default - no downloader policy
   */
  readonly downloaders?: readonly DownloaderPeer[];
  /**
   * Namespaces (by `kubernetes.io/metadata.name`) allowed to scrape metrics of the EPP and the
   * model servers, e.g. your Prometheus namespace.
   * @default - none: the EPP's metrics port admits every namespace (it serves nothing else); the
   * model servers' metrics (on the serving port) only the EPP
   */
  readonly monitoringNamespaces?: readonly string[];
}

// networking.k8s.io/v1 NetworkPolicy, the fields used here. (Plain ApiObject rather than
// cdk8s-plus-28's KubeNetworkPolicy: its module is 20k lines and slow to load; output is the same.)
interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
}
interface NetworkPolicyPeer {
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
  readonly namespaceSelector?: LabelSelector;
  readonly podSelector?: LabelSelector;
}
interface NetworkPolicyPort {
  readonly port?: number;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}
interface NetworkPolicyIngressRule {
  readonly from?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}
interface NetworkPolicyEgressRule {
  readonly ports?: readonly NetworkPolicyPort[];
  readonly to?: readonly NetworkPolicyPeer[];
}
interface NetworkPolicySpec {
  readonly egress?: readonly NetworkPolicyEgressRule[];
  readonly ingress?: readonly NetworkPolicyIngressRule[];
  readonly podSelector: LabelSelector;
  readonly policyTypes?: ReadonlyArray<'Ingress' | 'Egress'>;
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10'];

/**
 * Least-privilege NetworkPolicies for a serving stack: only gateway → EPP (ext-proc), gateway →
 * model pods, EPP → model pods (metrics scraping on the serving port), optional monitoring →
 * metrics, and downloader → DNS + external HTTPS (or the ports of its hub mirror and index).
 * Off by default in the stack because it needs a CNI that enforces NetworkPolicy and blocks
 * anything not listed.
 */
export class ServingNetworkPolicies extends Construct {
  /** Names of the NetworkPolicy objects created. */
  public readonly policyNames: string[] = [];

  constructor(scope: Construct, id: string, props: ServingNetworkPoliciesProps) {
    super(scope, id);
    props = plainProps(this, props);
    const namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    addProblems(this, () => checkPeers(props));

    // A shared gateway of another namespace: its proxy pods are selected there.
    const gatewayNamespace = (props.gateway as { gatewayNamespace?: string }).gatewayNamespace;
    const gatewayPeer: NetworkPolicyPeer = {
      podSelector: { matchLabels: { ...props.gateway.podLabels } },
      ...(gatewayNamespace !== undefined && gatewayNamespace !== namespace ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': gatewayNamespace } } } : {}),
    };
    const monitoringPeers: NetworkPolicyPeer[] = (props.monitoringNamespaces ?? []).map((ns) => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
    }));
    const eppPeers: NetworkPolicyPeer[] = props.endpointPickers.map((e) => ({ podSelector: { matchLabels: { ...e.podLabels } } }));

    props.endpointPickers.forEach((epp, i) => {
      const ingress: NetworkPolicyIngressRule[] = [{ from: [gatewayPeer], ports: [tcp(epp.extProcPort)] }];
      // The metrics port serves nothing else: without named monitoring namespaces any namespace may
      // scrape it, so the EPP's ServiceMonitor works wherever Prometheus runs.
      ingress.push({ from: monitoringPeers.length > 0 ? monitoringPeers : [{ namespaceSelector: {} }], ports: [tcp(epp.metricsPort)] });
      this.policy(`epp-${i}`, `${props.namePrefix}-epp${suffix(i, props.endpointPickers.length)}`, namespace, epp.podLabels, { ingress, policyTypes: ['Ingress'] });
    });

    props.modelServers.forEach((ms, i) => {
      const ingress: NetworkPolicyIngressRule[] = [{ from: [gatewayPeer, ...eppPeers, ...monitoringPeers], ports: [tcp(ms.servingPort)] }];
      if (ms.callers && ms.callers.length > 0) ingress.push({ from: ms.callers.map((c) => ({ podSelector: { matchLabels: { ...c.podLabels } } })) });
      this.policy(`model-${i}`, `${props.namePrefix}-model${suffix(i, props.modelServers.length)}`, namespace, ms.podLabels, { ingress, policyTypes: ['Ingress'] });
    });

    const downloaderLabels = sharedLabels((props.downloaders ?? []).map((d) => d.podLabels));
    if (downloaderLabels) {
      const egress: NetworkPolicyEgressRule[] = [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [udp(53), tcp(53)],
        },
      ];
      const { publicPorts, mirrorPorts } = downloaderPorts(props.downloaders ?? []);
      if (publicPorts.length > 0) egress.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_RANGES } }], ports: publicPorts.map(tcp) });
      // A mirror named by URL may be on-premises or in the cluster: any address, and any pod.
      if (mirrorPorts.length > 0) egress.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { namespaceSelector: {} }], ports: mirrorPorts.map(tcp) });
      this.policy('downloader', `${props.namePrefix}-downloader`, namespace, downloaderLabels, { ingress: [], egress, policyTypes: ['Ingress', 'Egress'] });
    }
  }

  private policy(id: string, name: string, namespace: string, podLabels: Readonly<Record<string, string>>, spec: Omit<NetworkPolicySpec, 'podSelector'>): void {
    const fullSpec: NetworkPolicySpec = { podSelector: { matchLabels: { ...podLabels } }, ...spec };
    new ApiObject(this, id, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec: fullSpec });
    this.policyNames.push(name);
  }
}

/** Ports of every downloader: those to public addresses only, and those of mirrors (any address). */
function downloaderPorts(downloaders: readonly DownloaderPeer[]): { publicPorts: number[]; mirrorPorts: number[] } {
  const mirror = new Set(downloaders.flatMap((d) => d.mirrorEgressPorts ?? []));
  const all = new Set(downloaders.flatMap((d) => d.egressPorts ?? [443]));
  const sorted = (ports: Iterable<number>) => [...ports].sort((a, b) => a - b);
  return { publicPorts: sorted([...all].filter((p) => !mirror.has(p))), mirrorPorts: sorted(mirror) };
}

function suffix(i: number, n: number): string {
  return n > 1 ? `-${i}` : '';
}

function tcp(port: number): NetworkPolicyPort {
  return { protocol: 'TCP', port };
}

function udp(port: number): NetworkPolicyPort {
  return { protocol: 'UDP', port };
}

function checkPeers(props: ServingNetworkPoliciesProps): Problem[] {
  const out: Problem[] = [];
  const p = checkDns1123Subdomain('namePrefix', props.namePrefix);
  if (p) out.push(p);
  const selectorProblem = (field: string, labels: Readonly<Record<string, string>>) => {
    if (Object.keys(labels).length === 0) out.push({ field, value: labels, allowed: 'at least one label', why: 'an empty podSelector selects every pod in the namespace' });
    out.push(...checkLabels(field, labels));
  };
  selectorProblem('gateway.podLabels', props.gateway.podLabels);
  props.endpointPickers.forEach((e, i) => {
    selectorProblem(`endpointPickers[${i}].podLabels`, e.podLabels);
    for (const [f, port] of [['extProcPort', e.extProcPort], ['metricsPort', e.metricsPort]] as const) {
      const pp = checkPort(`endpointPickers[${i}].${f}`, port);
      if (pp) out.push(pp);
    }
  });
  props.modelServers.forEach((m, i) => {
    selectorProblem(`modelServers[${i}].podLabels`, m.podLabels);
    const pp = checkPort(`modelServers[${i}].servingPort`, m.servingPort);
    if (pp) out.push(pp);
  });
  const downloaderLabels = sharedLabels((props.downloaders ?? []).map((d) => d.podLabels));
  if (downloaderLabels) selectorProblem('downloaders[*].podLabels (the labels they share)', downloaderLabels);
  (props.downloaders ?? []).forEach((d, i) => {
    for (const key of ['egressPorts', 'mirrorEgressPorts'] as const) {
      (d[key] ?? []).forEach((port, j) => {
        const pp = checkPort(`downloaders[${i}].${key}[${j}]`, port);
        if (pp) out.push(pp);
      });
    }
  });
  return out;
}
