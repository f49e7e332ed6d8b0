// Prometheus monitoring of an endpoint picker, as the inferencepool chart renders it: RBAC that
// lets a scraper's token through the EPP's authenticated /metrics, and (with the Prometheus
// Operator) a ServiceMonitor plus the service-account token Secret it scrapes with.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type * as monitoring from '../../imports/monitoring.coreos.com';
import { clusterScoped } from '../core/cluster-scoped';
import type { EndpointPickerMonitoring } from './pool-options';
import { clusterRbacNameFor } from './rules';

/** What the monitoring objects are named after and select. */
export interface EppMonitoringTarget {
  readonly poolName: string;
  readonly namespace: string;
  readonly eppName: string;
  /** Labels of the chart's objects (the ServiceMonitor selects the EPP Service by them). */
  readonly labels: Readonly<Record<string, string>>;
  readonly metricsSecretName: string;
  readonly options: EndpointPickerMonitoring;
  /** Add the ServiceMonitor (and token Secret); off on GKE, which uses its own PodMonitoring. */
  readonly prometheusOperator: boolean;
}

/** Adds the monitoring objects of one EPP to `scope`. */
export function addEppMonitoring(scope: Construct, t: EppMonitoringTarget): void {
  const ns = t.namespace;
  const auth = t.options.auth ?? true;
  const interval = t.options.interval ?? '10s';
  const md = (name: string) => ({ name, namespace: ns, labels: { ...t.labels } });
  const rbacName = clusterRbacNameFor(t.poolName, ns);
  clusterScoped(new ApiObject(scope, 'MetricsClusterRole', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: rbacName, labels: { ...t.labels } },
    rules: [
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ],
  }));
  clusterScoped(new ApiObject(scope, 'MetricsClusterRoleBinding', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: rbacName },
    subjects: [{ kind: 'ServiceAccount', name: t.eppName, namespace: ns }],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: rbacName },
  }));
  if (t.prometheusOperator) {
    if (auth) {
      new ApiObject(scope, 'MetricsTokenSecret', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { ...md(t.metricsSecretName), annotations: { 'kubernetes.io/service-account.name': t.eppName } },
        type: 'kubernetes.io/service-account-token',
      });
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: a pool without a ServiceMonitor never pays for it
    const { ServiceMonitor } = require('../../imports/monitoring.coreos.com') as typeof monitoring;
    new ServiceMonitor(scope, 'ServiceMonitor', {
      metadata: { name: `${t.eppName}-monitor`, namespace: ns, labels: { ...t.labels, ...(t.options.extraLabels ?? {}) } },
      spec: {
        endpoints: [
          {
            interval,
            port: 'http-metrics',
            path: '/metrics',
            authorization: auth ? { credentials: { key: 'token', name: t.metricsSecretName } } : undefined,
          },
        ],
        jobLabel: t.eppName,
        namespaceSelector: { matchNames: [ns] },
        selector: { matchLabels: { ...t.labels } },
      },
    });
  }
}
