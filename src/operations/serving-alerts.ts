import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { IModelServer } from '../core/contracts';
import type * as monitoring from '../../imports/monitoring.coreos.com';
import type { PrometheusRule, PrometheusRuleSpecGroupsRules } from '../../imports/monitoring.coreos.com';
import { addProblems, Problem } from '../core/errors';
import { EPP_METRICS, KUBE_STATE_METRICS, podsOf, SERVER_METRICS } from './metric-names';
import { servingWorkloadOf } from './serving-targets';

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
  readonly poolName: string;
  /** The endpoint picker's Deployment and Service name. */
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
  /** Names of downloader Jobs whose failure alerts. @default [] */
  readonly downloaderJobs?: readonly string[];
  /** When the alerts fire. @default - see {@link ServingAlertThresholds} */
  readonly thresholds?: ServingAlertThresholds;
  /** Labels on the PrometheusRule, e.g. the `release` label your Prometheus selects rules by. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

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

  constructor(scope: Construct, id: string, props: ServingAlertsProps) {
    super(scope, id);
    const ns = props.namespace ?? Chart.of(this).namespace ?? 'default';
    const t = props.thresholds ?? {};
    const forDuration = t.for ?? '5m';
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: an app without alerts never pays for it
    const { PrometheusRule: PrometheusRuleObject, PrometheusRuleSpecGroupsRulesExpr } = require('../../imports/monitoring.coreos.com') as typeof monitoring;
    const rules: PrometheusRuleSpecGroupsRules[] = [];
    const alert = (name: string, expr: string, severity: 'critical' | 'warning', summary: string, labels: Record<string, string>, duration = forDuration): void => {
      rules.push({ alert: name, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(expr), for: duration, labels: { severity, ...labels }, annotations: { summary } });
    };
    for (const w of props.modelServers.map(servingWorkloadOf)) {
      const m = SERVER_METRICS[w.metricsFlavor];
      const sel = podsOf(ns, w.name);
      const l = { namespace: ns, workload: w.name };
      if (w.kind === 'Deployment') {
        alert('ModelServerDown', `${KUBE_STATE_METRICS.deploymentAvailable}{namespace="${ns}",deployment="${w.name}"} == 0`, 'critical', `No pod of ${w.name} is available`, l);
        alert('ModelServerNotReady', `${KUBE_STATE_METRICS.deploymentAvailable}{namespace="${ns}",deployment="${w.name}"} < ${KUBE_STATE_METRICS.deploymentSpecReplicas}{namespace="${ns}",deployment="${w.name}"}`, 'warning', `Some pods of ${w.name} are not ready`, l, '15m');
      }
      alert('ModelServerQueueGrowing', `sum(${m.waiting}${sel}) > ${t.queueWaiting ?? 20} and delta(sum(${m.waiting}${sel})[15m:1m]) > 0`, 'warning', `Requests queue up in ${w.name} and the queue grows`, l);
      alert('ModelServerKVCacheSaturated', `max(${m.kvCacheUsage}${sel}) > ${t.kvCacheUsage ?? 0.95}`, 'warning', `A pod of ${w.name} has its KV cache nearly full`, l);
    }
    for (const p of props.pools ?? []) {
      const l = { namespace: ns, pool: p.poolName };
      alert('EndpointPickerNotReady', `${KUBE_STATE_METRICS.deploymentAvailable}{namespace="${ns}",deployment="${p.eppName}"} == 0`, 'critical', `The endpoint picker of ${p.poolName} is not available: the gateway cannot route to the pool`, l);
      const svc = `{namespace="${ns}",service="${p.eppName}"}`;
      alert('EndpointPickerErrors', `sum(rate(${EPP_METRICS.requestErrorTotal}${svc}[5m])) / sum(rate(${EPP_METRICS.requestTotal}${svc}[5m])) > ${t.eppErrorRatio ?? 0.05}`, 'warning', `More than ${(t.eppErrorRatio ?? 0.05) * 100}% of requests through ${p.eppName} fail`, l);
      alert('InferencePoolNoReadyEndpoints', `${EPP_METRICS.readyPods}{name="${p.poolName}"} == 0`, 'critical', `InferencePool ${p.poolName} has no ready model server`, l, '2m');
    }
    for (const job of props.downloaderJobs ?? []) {
      alert('ModelDownloaderFailed', `${KUBE_STATE_METRICS.jobFailed}{namespace="${ns}",job_name="${job}"} > 0`, 'warning', `Model download Job ${job} failed; the servers cannot start`, { namespace: ns, job_name: job }, '0m');
    }
    this.alertNames = rules.map((r) => String(r.alert));
    this.rule = new PrometheusRuleObject(this, 'Resource', {
      metadata: { name: props.name, namespace: ns, ...(props.labels ? { labels: { ...props.labels } } : {}) },
      spec: { groups: [{ name: `${props.name}.serving`, rules }] },
    });
    addProblems(this, () => thresholdProblems(t));
  }
}

function thresholdProblems(t: ServingAlertThresholds): Problem[] {
  const out: Problem[] = [];
  if (t.queueWaiting !== undefined && !(Number.isFinite(t.queueWaiting) && t.queueWaiting >= 0)) out.push({ field: 'thresholds.queueWaiting', value: t.queueWaiting, allowed: 'a number of requests, 0 or more' });
  for (const k of ['kvCacheUsage', 'eppErrorRatio'] as const) {
    const v = t[k];
    if (v !== undefined && !(Number.isFinite(v) && v > 0 && v <= 1)) out.push({ field: `thresholds.${k}`, value: v, allowed: 'a ratio above 0 and at most 1 (0.95 is 95 %)' });
  }
  if (t.for !== undefined && !DURATION.test(t.for)) out.push({ field: 'thresholds.for', value: t.for, allowed: 'a Prometheus duration such as "5m" or "1h30m"' });
  return out;
}
