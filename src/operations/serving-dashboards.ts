import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { IModelServer } from '../core/contracts';
import { addProblems, Problem } from '../core/errors';
import { checkDns1123Label, checkDns1123Subdomain } from '../core/names';
import { eq, histogramQuantile, PromExpr, queryProblems, rate, selector, sum } from '../core/promql';
import { shortHash } from '../core/stable-hash';
import { claim } from '../system/conflicts';
import { EPP_METRICS, podsOf, SERVER_METRICS } from './metric-names';
import { consumerOf, SeriesConsumer } from './series-consumers';
import type { AlertedPool } from './serving-alerts';
import { servingWorkloadOf } from './serving-targets';
import { plainProps } from '../core/plain-props';

export interface ServingDashboardsProps {
  /** Name prefix of the ConfigMaps (`<name>-model-servers`, `<name>-endpoint-pickers`) and of the dashboards' uids. */
  readonly name: string;
  /** Namespace of the ConfigMaps and of the charted workloads. @default - the chart's namespace */
  readonly namespace?: string;
  /** The model services to chart (their main workload: decode, or the only role). */
  readonly modelServers: readonly (IConstruct & IModelServer)[];
  /** The pools whose endpoint pickers to chart: InferenceSchedulerPools. @default [] */
  readonly pools?: readonly AlertedPool[];
  /** Grafana folder (the sidecar's `grafana_folder` annotation). @default - none */
  readonly folder?: string;
}

interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly targets: ReadonlyArray<{ readonly expr: PromExpr; readonly legendFormat: string }>;
}

/** Grafana's uid: at most 40 characters of letters, digits, "-" and "_". */
const GRAFANA_UID = /^[a-zA-Z0-9_-]{1,40}$/;

/** The dashboard uid of a ConfigMap name: the name itself when Grafana takes it, else a prefix and a hash of it (so two names never share one). */
export function dashboardUid(name: string): string {
  if (GRAFANA_UID.test(name)) return name;
  return `${name.replace(/[^a-zA-Z0-9_-]/g, '-').slice(0, 29)}-${shortHash(name)}`;
}

/** A Grafana dashboard model: one time-series panel per entry, two per row. */
function dashboard(title: string, uid: string, panels: readonly Panel[]): string {
  return JSON.stringify({
    title,
    uid,
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    // No user input reaches the templating: one data-source variable, which every panel uses.
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }] },
    panels: panels.map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      datasource: { type: 'prometheus', uid: '${datasource}' },
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      targets: p.targets.map((t, j) => ({ refId: refId(j), expr: t.expr.toString(), legendFormat: t.legendFormat })),
    })),
  }, null, 2);
}

const refId = (j: number): string => String.fromCharCode(65 + j);

/**
 * Grafana dashboards as ConfigMaps labelled `grafana_dashboard: "1"` (the Grafana sidecar
 * convention): the model servers (requests running and waiting, KV-cache use per pod) and the
 * endpoint pickers (request rate, latency quantiles, errors, ready pods, pool queue, scheduling).
 */
export class ServingDashboards extends Construct {
  /** The dashboards' JSON by ConfigMap name. */
  public readonly dashboards: Readonly<Record<string, string>>;
  /** Every panel query and the series it reads. */
  public readonly seriesConsumers: readonly SeriesConsumer[];

  constructor(scope: Construct, id: string, props: ServingDashboardsProps) {
    super(scope, id);
    props = plainProps(this, props);
    const ns = props.namespace ?? Chart.of(this).namespace ?? 'default';
    const nsField = props.namespace !== undefined ? 'namespace' : 'namespace (the chart\'s)';
    const serverPanels: Panel[] = props.modelServers.flatMap((ms, i) => {
      const w = servingWorkloadOf(ms);
      const m = SERVER_METRICS[w.metricsFlavor];
      const pods = podsOf(ns, w.name, { namespace: nsField, workload: `modelServers[${i}]` });
      return [
        { title: `${w.name}: requests running and waiting`, unit: 'short', targets: [{ expr: sum(selector(m.running, pods)), legendFormat: 'running' }, { expr: sum(selector(m.waiting, pods)), legendFormat: 'waiting' }] },
        { title: `${w.name}: KV-cache use per pod`, unit: 'percentunit', targets: [{ expr: selector(m.kvCacheUsage, pods), legendFormat: '{{pod}}' }] },
      ];
    });
    const eppPanels: Panel[] = (props.pools ?? []).flatMap((p, i) => {
      const svc = [eq('namespace', ns, nsField), eq('service', p.eppName, `pools[${i}].eppName`)];
      const pool = [eq('name', p.poolName, `pools[${i}].poolName`)];
      const perSecond = (metric: string) => rate(selector(metric, svc).over('5m'));
      return [
        { title: `${p.poolName}: request rate and errors`, unit: 'reqps', targets: [{ expr: sum(perSecond(EPP_METRICS.requestTotal)), legendFormat: 'requests' }, { expr: sum(perSecond(EPP_METRICS.requestErrorTotal)), legendFormat: 'errors' }] },
        { title: `${p.poolName}: request latency`, unit: 's', targets: [0.5, 0.9, 0.99].map((q) => ({ expr: histogramQuantile(q, sum(perSecond(`${EPP_METRICS.requestDuration}_bucket`), ['le'])), legendFormat: `p${q * 100}` })) },
        { title: `${p.poolName}: ready model servers and queue`, unit: 'short', targets: [{ expr: selector(EPP_METRICS.readyPods, pool), legendFormat: 'ready pods' }, { expr: selector(EPP_METRICS.averageQueueSize, pool), legendFormat: 'average queue' }] },
        { title: `${p.poolName}: scheduling and KV cache`, unit: 'short', targets: [{ expr: sum(perSecond(EPP_METRICS.schedulerAttempts), ['status']), legendFormat: '{{status}}' }, { expr: selector(EPP_METRICS.averageKvCacheUtilization, pool), legendFormat: 'average KV cache' }] },
      ];
    });
    const files: Record<string, string> = {};
    const consumers: SeriesConsumer[] = [];
    const add = (suffix: string, title: string, panels: Panel[]): void => {
      if (panels.length === 0) return;
      const name = `${props.name}-${suffix}`;
      const key = `${name}.json`;
      files[name] = dashboard(title, dashboardUid(name), panels);
      const map = new ApiObject(this, suffix, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: ns, labels: { grafana_dashboard: '1' }, ...(props.folder ? { annotations: { grafana_folder: props.folder } } : {}) },
        data: { [key]: files[name] },
      });
      claim(map, this, 'name');
      const object = { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name };
      panels.forEach((p, i) => p.targets.forEach((t, j) => consumers.push(consumerOf(object, `${p.title}/${refId(j)}`, `data[${JSON.stringify(key)}].panels[${i}].targets[${j}].expr`, t.expr))));
    };
    add('model-servers', 'llm-d model servers', serverPanels);
    add('endpoint-pickers', 'llm-d endpoint pickers', eppPanels);
    this.dashboards = files;
    this.seriesConsumers = consumers;
    const queries = [...serverPanels, ...eppPanels].flatMap((p) => p.targets.map((t) => t.expr));
    addProblems(this, () => {
      const own = nameProblems(props, nsField, ns);
      return [...own, ...queryProblems(queries).filter((p) => !own.some((o) => o.field === p.field))];
    });
  }
}

/** Names that reach the queries and panel titles: Kubernetes names (so no `$` or `[[` reaches a title Grafana interpolates). */
function nameProblems(props: ServingDashboardsProps, nsField: string, ns: string): Problem[] {
  const out: Array<Problem | undefined> = [checkDns1123Label(nsField, ns)];
  (props.pools ?? []).forEach((p, i) => {
    out.push(checkDns1123Subdomain(`pools[${i}].poolName`, p.poolName), checkDns1123Label(`pools[${i}].eppName`, p.eppName));
  });
  return out.filter((p): p is Problem => p !== undefined);
}
