/**
 * The Prometheus Operator PodMonitor both model services render per role, built from the
 * generated monitoring.coreos.com class so the object is checked against the CRD schema.
 */
import { Construct } from 'constructs';
import type * as monitoring from '../../imports/monitoring.coreos.com';
import type {
  PodMonitor,
  PodMonitorSpecPodMetricsEndpoints,
  PodMonitorSpecPodMetricsEndpointsRelabelings,
  PodMonitorSpecPodMetricsEndpointsRelabelingsAction,
} from '../../imports/monitoring.coreos.com';

/**
 * A Prometheus relabeling rule (`relabelings` / `metricRelabelings` of a PodMetricsEndpoint): the
 * CRD's type, with `action` taken as its plain string values so `{ action: 'drop' }` needs no enum.
 */
export type RelabelConfig = Omit<PodMonitorSpecPodMetricsEndpointsRelabelings, 'action' | 'sourceLabels'> & {
  /** Relabeling action. @default 'replace' */
  readonly action?: `${PodMonitorSpecPodMetricsEndpointsRelabelingsAction}`;
  /** Labels whose values are concatenated and matched against `regex`. @default [] */
  readonly sourceLabels?: readonly string[];
};

/** Prometheus Operator PodMonitor of one role (`<role>.monitoring.podmonitor`), without the port. */
export interface ModelServerPodMonitorBase {
  /** Create the PodMonitor. @default false */
  readonly enabled?: boolean;
  /** HTTP path of the metrics. @default '/metrics' */
  readonly path?: string;
  /** Scrape interval (a Prometheus duration). @default '30s' */
  readonly interval?: string;
  /** Scrape timeout (a Prometheus duration). @default - unset */
  readonly scrapeTimeout?: string;
  /** Extra labels of the PodMonitor (e.g. the Prometheus `release` selector). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations of the PodMonitor. @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Relabelings applied before the scrape. @default [] */
  readonly relabelings?: readonly RelabelConfig[];
  /** Relabelings applied to the scraped samples. @default [] */
  readonly metricRelabelings?: readonly RelabelConfig[];
  /** Namespaces whose pods are scraped. @default - unset (the PodMonitor's own namespace) */
  readonly namespaceSelector?: { readonly any?: boolean; readonly matchNames?: readonly string[] };
}

/** Where a role's PodMonitor goes and what it selects. */
export interface PodMonitorTarget {
  readonly name: string;
  readonly namespace: string;
  /** Labels of the service's objects; `app.kubernetes.io/component` and the user's labels are added. */
  readonly objectLabels: Readonly<Record<string, string>>;
  /** `decode` / `prefill`. */
  readonly component: string;
  /** Labels of the pods to scrape. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Port name when `portName` is unset or empty. */
  readonly defaultPort: string;
}

/** The generated types hold enum members; ours hold their string values, which are the same on the wire. */
function relabelRules(rules: readonly RelabelConfig[] | undefined): PodMonitorSpecPodMetricsEndpointsRelabelings[] | undefined {
  if (!rules || rules.length === 0) return undefined;
  return rules.map((r) => ({ ...r, action: r.action as PodMonitorSpecPodMetricsEndpointsRelabelingsAction | undefined, sourceLabels: r.sourceLabels ? [...r.sourceLabels] : undefined }));
}

/** Adds the PodMonitor the chart renders for one role. */
export function addModelServerPodMonitor(scope: Construct, id: string, pm: ModelServerPodMonitorBase & { readonly portName?: string }, t: PodMonitorTarget): PodMonitor {
  const endpoint: PodMonitorSpecPodMetricsEndpoints = {
    port: pm.portName || t.defaultPort,
    path: pm.path || '/metrics',
    interval: pm.interval || '30s',
    scrapeTimeout: pm.scrapeTimeout || undefined,
    relabelings: relabelRules(pm.relabelings),
    // Same wire shape; the generated types differ only by their enum's name.
    metricRelabelings: relabelRules(pm.metricRelabelings) as PodMonitorSpecPodMetricsEndpoints['metricRelabelings'],
  };
  const annotations = pm.annotations && Object.keys(pm.annotations).length > 0 ? { ...pm.annotations } : undefined;
  const namespaceSelector = pm.namespaceSelector ? { any: pm.namespaceSelector.any, matchNames: pm.namespaceSelector.matchNames ? [...pm.namespaceSelector.matchNames] : undefined } : undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: an app without monitoring never pays for it
  const { PodMonitor: PodMonitorObject } = require('../../imports/monitoring.coreos.com') as typeof monitoring;
  return new PodMonitorObject(scope, id, {
    metadata: { name: t.name, namespace: t.namespace, labels: { ...t.objectLabels, 'app.kubernetes.io/component': t.component, ...(pm.labels ?? {}) }, annotations },
    spec: { selector: { matchLabels: { ...t.podLabels } }, podMetricsEndpoints: [endpoint], namespaceSelector },
  });
}
