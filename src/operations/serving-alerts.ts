import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { IModelServer } from '../core/contracts';
import type * as monitoring from '../../imports/monitoring.coreos.com';
import type { PrometheusRule, PrometheusRuleSpecGroupsRules } from '../../imports/monitoring.coreos.com';
import { addProblems, Problem } from '../core/errors';
import { checkDns1123Label, checkDns1123Subdomain } from '../core/names';
import { delta, durationProblem, eq, max, PromExpr, queryProblems, rate, scalar, selector, subquery, sum } from '../core/promql';
import { EPP_METRICS, KUBE_STATE_METRICS, podsOf, SERVER_METRICS } from './metric-names';
import { consumerOf, SeriesConsumer } from './series-consumers';
import { servingWorkloadOf } from './serving-targets';
import { plainProps } from '../core/plain-props';

/** When the alerts fire. Every field has a default that suits an interactive chat service. */
export interface ServingAlertThresholds {
  /** Requests waiting in one model's servers (summed) above which the queue alert fires. @default 20 */
  readonly queueWaiting?: number;
  /** KV-cache use (0-1) above which a server counts as saturated. @default 0.95 */
  readonly kvCacheUsage?: number;
  /** Share of endpoint-picker requests that fail (0-1) above which it alerts. @default 0.05 */
  readonly eppErrorRatio?: number;
  /** How long a condition lasts before it fires, as a Prometheus duration. @default '5m' */
  readonly for?: string;
}

/** One pool as the alerts and dashboards see it: an InferenceSchedulerPool is one. */
export interface AlertedPool {
  /** The InferencePool's name (a DNS-1123 subdomain). */
  readonly poolName: string;
  /** The endpoint picker's Deployment and Service name (a DNS-1123 label). */
  readonly eppName: string;
}

export interface ServingAlertsProps {
  /** Name of the PrometheusRule. */
  readonly name: string;
  /** Namespace of the PrometheusRule and of the watched workloads. @default - the chart's namespace */
  readonly namespace?: string;
  /** The model services to watch (their main workload: decode, or the only role), e.g. FuriosaModelService or ModelService. */
  readonly modelServers: readonly (IConstruct & IModelServer)[];
  /** The pools whose endpoint pickers to watch: InferenceSchedulerPools. @default [] */
  readonly pools?: readonly AlertedPool[];
  /** Names of downloader Jobs whose failure alerts (DNS-1123 labels, as Job names are). @default [] */
  readonly downloaderJobs?: readonly string[];
  /** When the alerts fire. @default - see {@link ServingAlertThresholds} */
  readonly thresholds?: ServingAlertThresholds;
  /** Labels on the PrometheusRule, e.g. the `release` label your Prometheus selects rules by. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * `text` as literal text of a Go template: Prometheus expands alert labels and annotations as
 * templates, so a `{{` in a name is written as an action that prints `{{`.
 */
export function templateText(text: string): string {
  return text.replace(/\{\{/g, '{{ "{{" }}');
}

/**
 * A PrometheusRule with the alerts a serving stack needs: a model server down or not fully
 * ready, its queue above the threshold and growing, its KV cache saturated, an endpoint picker
 * not ready or failing requests, a pool with no ready endpoints, a downloader Job failed. Server
 * signals use each engine's own metric names; readiness comes from kube-state-metrics.
 */
export class ServingAlerts extends Construct {
  /** The PrometheusRule. */
  public readonly rule: PrometheusRule;
  /** The alert names, in order. */
  public readonly alertNames: readonly string[];

  /** The alerts' queries and the series each reads, in the order of the rules. */
  public readonly seriesConsumers: readonly SeriesConsumer[];

  constructor(scope: Construct, id: string, props: ServingAlertsProps) {
    super(scope, id);
    props = plainProps(this, props);
    const ns = props.namespace ?? Chart.of(this).namespace ?? 'default';
    const nsField = props.namespace !== undefined ? 'namespace' : 'namespace (the chart\'s)';
    const t = props.thresholds ?? {};
    const forDuration = t.for ?? '5m';
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: an app without alerts never pays for it
    const { PrometheusRule: PrometheusRuleObject, PrometheusRuleSpecGroupsRulesExpr } = require('../../imports/monitoring.coreos.com') as typeof monitoring;
    const rules: PrometheusRuleSpecGroupsRules[] = [];
    const queries: Array<{ alert: string; subject: string; expr: PromExpr }> = [];
    const alert = (name: string, expr: PromExpr, severity: 'critical' | 'warning', summary: string, labels: Record<string, string>, subject: string, duration = forDuration): void => {
      queries.push({ alert: name, subject, expr });
      const templated = Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, templateText(v)]));
      rules.push({ alert: name, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(expr.toString()), for: duration, labels: { severity, ...templated }, annotations: { summary: templateText(summary) } });
    };
    const available = (deployment: string, field: string) => selector(KUBE_STATE_METRICS.deploymentAvailable, [eq('namespace', ns, nsField), eq('deployment', deployment, field)]);
    props.modelServers.forEach((ms, i) => {
      const w = servingWorkloadOf(ms);
      const m = SERVER_METRICS[w.metricsFlavor];
      const field = `modelServers[${i}]`;
      const pods = podsOf(ns, w.name, { namespace: nsField, workload: field });
      const l = { namespace: ns, workload: w.name };
      if (w.kind === 'Deployment') {
        alert('ModelServerDown', available(w.name, field).eq(0), 'critical', `No pod of ${w.name} is available`, l, w.name);
        const specReplicas = selector(KUBE_STATE_METRICS.deploymentSpecReplicas, [eq('namespace', ns, nsField), eq('deployment', w.name, field)]);
        alert('ModelServerNotReady', available(w.name, field).lt(specReplicas), 'warning', `Some pods of ${w.name} are not ready`, l, w.name, '15m');
      }
      const waiting = sum(selector(m.waiting, pods));
      alert('ModelServerQueueGrowing', waiting.gt(t.queueWaiting ?? 20, 'thresholds.queueWaiting').and(delta(subquery(waiting, '15m', '1m')).gt(0)), 'warning', `Requests queue up in ${w.name} and the queue grows`, l, w.name);
      alert('ModelServerKVCacheSaturated', max(selector(m.kvCacheUsage, pods)).gt(t.kvCacheUsage ?? 0.95, 'thresholds.kvCacheUsage'), 'warning', `A pod of ${w.name} has its KV cache nearly full`, l, w.name);
    });
    (props.pools ?? []).forEach((p, i) => {
      const l = { namespace: ns, pool: p.poolName };
      const eppField = `pools[${i}].eppName`;
      alert('EndpointPickerNotReady', available(p.eppName, eppField).eq(0), 'critical', `The endpoint picker of ${p.poolName} is not available: the gateway cannot route to the pool`, l, p.poolName);
      const svc = [eq('namespace', ns, nsField), eq('service', p.eppName, eppField)];
      const ratio = t.eppErrorRatio ?? 0.05;
      const errors = sum(rate(selector(EPP_METRICS.requestErrorTotal, svc).over('5m'))).div(sum(rate(selector(EPP_METRICS.requestTotal, svc).over('5m'))));
      alert('EndpointPickerErrors', errors.gt(scalar(ratio, 'thresholds.eppErrorRatio')), 'warning', `More than ${ratio * 100}% of requests through ${p.eppName} fail`, l, p.poolName);
      alert('InferencePoolNoReadyEndpoints', selector(EPP_METRICS.readyPods, [eq('name', p.poolName, `pools[${i}].poolName`)]).eq(0), 'critical', `InferencePool ${p.poolName} has no ready model server`, l, p.poolName, '2m');
    });
    (props.downloaderJobs ?? []).forEach((job, i) => {
      const failed = selector(KUBE_STATE_METRICS.jobFailed, [eq('namespace', ns, nsField), eq('job_name', job, `downloaderJobs[${i}]`)]);
      alert('ModelDownloaderFailed', failed.gt(0), 'warning', `Model download Job ${job} failed; the servers cannot start`, { namespace: ns, job_name: job }, job, '0m');
    });
    this.alertNames = rules.map((r) => String(r.alert));
    this.rule = new PrometheusRuleObject(this, 'Resource', {
      metadata: { name: props.name, namespace: ns, ...(props.labels ? { labels: { ...props.labels } } : {}) },
      spec: { groups: [{ name: `${props.name}.serving`, rules }] },
    });
    const object = { apiVersion: this.rule.apiVersion, kind: this.rule.kind, namespace: ns, name: props.name };
    this.seriesConsumers = queries.map((q, i) => consumerOf(object, `${q.alert} (${q.subject})`, `spec.groups[0].rules[${i}].expr`, q.expr));
    addProblems(this, () => {
      const own = [...nameProblems(props, nsField, ns), ...thresholdProblems(t)];
      // A name refused above is not refused again for each query it is in.
      return [...own, ...queryProblems(queries.map((q) => q.expr)).filter((p) => !own.some((o) => o.field === p.field))];
    });
  }
}

/** Names that reach the queries: Kubernetes names, so a query can match them at all. */
function nameProblems(props: ServingAlertsProps, nsField: string, ns: string): Problem[] {
  const out: Array<Problem | undefined> = [checkDns1123Label(nsField, ns)];
  (props.pools ?? []).forEach((p, i) => {
    out.push(checkDns1123Subdomain(`pools[${i}].poolName`, p.poolName), checkDns1123Label(`pools[${i}].eppName`, p.eppName));
  });
  (props.downloaderJobs ?? []).forEach((job, i) => out.push(checkDns1123Label(`downloaderJobs[${i}]`, job)));
  return out.filter((p): p is Problem => p !== undefined);
}

function thresholdProblems(t: ServingAlertThresholds): Problem[] {
  const out: Problem[] = [];
  if (t.queueWaiting !== undefined && !(Number.isFinite(t.queueWaiting) && t.queueWaiting >= 0)) out.push({ field: 'thresholds.queueWaiting', value: t.queueWaiting, allowed: 'a number of requests, 0 or more' });
  for (const k of ['kvCacheUsage', 'eppErrorRatio'] as const) {
    const v = t[k];
    if (v !== undefined && !(Number.isFinite(v) && v > 0 && v <= 1)) out.push({ field: `thresholds.${k}`, value: v, allowed: 'a ratio above 0 and at most 1 (0.95 is 95 %)' });
  }
  const d = t.for === undefined ? undefined : durationProblem('thresholds.for', t.for);
  if (d) out.push(d);
  return out;
}
