import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { IModelServer } from '../core/contracts';
import { EPP_METRICS, podsOf, SERVER_METRICS } from './metric-names';
import type { AlertedPool } from './serving-alerts';
import { servingWorkloadOf } from './serving-targets';

export interface ServingDashboardsProps {
  /** Name prefix of the ConfigMaps (`<name>-model-servers`, `<name>-endpoint-pickers`). */
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
  readonly targets: ReadonlyArray<{ readonly expr: string; readonly legendFormat: string }>;
}

/** A Grafana dashboard model: one time-series panel per entry, two per row. */
function dashboard(title: string, uid: string, panels: readonly Panel[]): string {
  return JSON.stringify({
    title,
    uid,
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }] },
    panels: panels.map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      datasource: { type: 'prometheus', uid: '${datasource}' },
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      targets: p.targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), expr: t.expr, legendFormat: t.legendFormat })),
    })),
  }, null, 2);
}

/**
 * Grafana dashboards as ConfigMaps labelled `grafana_dashboard: "1"` (the Grafana sidecar
 * convention): the model servers (requests running and waiting, KV-cache use per pod) and the
 * endpoint pickers (request rate, latency quantiles, errors, ready pods, pool queue, scheduling).
 */
export class ServingDashboards extends Construct {
  /** The dashboards' JSON by ConfigMap name. */
  public readonly dashboards: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ServingDashboardsProps) {
    super(scope, id);
    const ns = props.namespace ?? Chart.of(this).namespace ?? 'default';
    const serverPanels: Panel[] = props.modelServers.map(servingWorkloadOf).flatMap((w) => {
      const m = SERVER_METRICS[w.metricsFlavor];
      const sel = podsOf(ns, w.name);
      return [
        { title: `${w.name}: requests running and waiting`, unit: 'short', targets: [{ expr: `sum(${m.running}${sel})`, legendFormat: 'running' }, { expr: `sum(${m.waiting}${sel})`, legendFormat: 'waiting' }] },
        { title: `${w.name}: KV-cache use per pod`, unit: 'percentunit', targets: [{ expr: `${m.kvCacheUsage}${sel}`, legendFormat: '{{pod}}' }] },
      ];
    });
    const eppPanels: Panel[] = (props.pools ?? []).flatMap((p) => {
      const svc = `{namespace="${ns}",service="${p.eppName}"}`;
      return [
        { title: `${p.poolName}: request rate and errors`, unit: 'reqps', targets: [{ expr: `sum(rate(${EPP_METRICS.requestTotal}${svc}[5m]))`, legendFormat: 'requests' }, { expr: `sum(rate(${EPP_METRICS.requestErrorTotal}${svc}[5m]))`, legendFormat: 'errors' }] },
        { title: `${p.poolName}: request latency`, unit: 's', targets: [0.5, 0.9, 0.99].map((q) => ({ expr: `histogram_quantile(${q}, sum by (le) (rate(${EPP_METRICS.requestDuration}_bucket${svc}[5m])))`, legendFormat: `p${q * 100}` })) },
        { title: `${p.poolName}: ready model servers and queue`, unit: 'short', targets: [{ expr: `${EPP_METRICS.readyPods}{name="${p.poolName}"}`, legendFormat: 'ready pods' }, { expr: `${EPP_METRICS.averageQueueSize}{name="${p.poolName}"}`, legendFormat: 'average queue' }] },
        { title: `${p.poolName}: scheduling and KV cache`, unit: 'short', targets: [{ expr: `sum by (status) (rate(${EPP_METRICS.schedulerAttempts}${svc}[5m]))`, legendFormat: '{{status}}' }, { expr: `${EPP_METRICS.averageKvCacheUtilization}{name="${p.poolName}"}`, legendFormat: 'average KV cache' }] },
      ];
    });
    const files: Record<string, string> = {};
    const add = (suffix: string, title: string, panels: Panel[]): void => {
      if (panels.length === 0) return;
      const name = `${props.name}-${suffix}`;
      files[name] = dashboard(title, name.slice(0, 40), panels);
      new ApiObject(this, suffix, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: ns, labels: { grafana_dashboard: '1' }, ...(props.folder ? { annotations: { grafana_folder: props.folder } } : {}) },
        data: { [`${name}.json`]: files[name] },
      });
    };
    add('model-servers', 'llm-d model servers', serverPanels);
    add('endpoint-pickers', 'llm-d endpoint pickers', eppPanels);
    this.dashboards = files;
  }
}
