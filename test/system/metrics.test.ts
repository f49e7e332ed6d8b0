import { checkSystem, SystemFinding } from '../../src/system';
import { seriesIn } from '../../src/system/metrics';

type Json = Record<string, unknown>;
const m = (manifest: Json) => ({ manifest });
const NS = 'llm-d';

const deployment = (name: string, image: string, port: { name: string; containerPort: number }, sa?: string): Json => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: NS },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { ...(sa ? { serviceAccountName: sa } : {}), containers: [{ name: 'c', image, ports: [port] }] } } },
});
const server = deployment('ms', 'furiosaai/furiosa-llm:2026.1.0', { name: 'http', containerPort: 8000 });
const podMonitor = (app: string, port = 'http', extra: Json = {}): Json => ({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: `${app}-pm`, namespace: NS }, spec: { selector: { matchLabels: { app } }, podMetricsEndpoints: [{ port, ...extra }] } });
const rule = (expr: string): Json => ({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'alerts', namespace: NS }, spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr }] }] } });
const scaler = (query: string): Json => ({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'so', namespace: NS }, spec: { scaleTargetRef: { name: 'ms' }, maxReplicaCount: 1, triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://p:9090', query, threshold: '4' } }] } });
const dashboard = (expr: string): Json => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dash', namespace: NS, labels: { grafana_dashboard: '1' } }, data: { 'd.json': JSON.stringify({ panels: [{ targets: [{ expr }] }] }) } });
const metric = (fs: readonly SystemFinding[]) => fs.filter((f) => f.rule === 'metric-path').map((f) => `${f.severity}:${f.object.kind}:${f.field}:${String(f.value)}`);

describe('series a query reads', () => {
  test.each([
    ['sum(rate(vllm:num_requests_waiting{namespace="a",pod=~"ms-.*"}[5m])) by (pod)', ['vllm:num_requests_waiting']],
    ['max(furiosa_llm_num_requests_waiting{pod=~"x"}) / max(kube_deployment_spec_replicas{deployment="ms"}) > 4', ['furiosa_llm_num_requests_waiting', 'kube_deployment_spec_replicas']],
    ['histogram_quantile(0.99, sum by (le) (rate(inference_objective_request_duration_seconds_bucket[5m])))', ['inference_objective_request_duration_seconds_bucket']],
    ['up{job="x", label="sum(rate(fake_metric[1m]))"} == 0 and on(pod) ALERTS offset 5m', ['up', 'ALERTS']],
  ])('%s', (expr, series) => {
    expect(seriesIn(expr).sort()).toEqual([...series].sort());
  });
});

describe('metric path', () => {
  test('an alert and a KEDA query on a series no monitor scrapes are refused, naming the exporter to scrape', () => {
    const f = checkSystem([m(server), m(rule('furiosa_llm_num_requests_waiting > 10')), m(scaler('max(furiosa_llm_num_requests_waiting)'))]);
    expect(metric(f)).toEqual(['error:PrometheusRule:spec.groups[0].rules[0].expr:furiosa_llm_num_requests_waiting', 'error:ScaledObject:spec.triggers[0].metadata.query:furiosa_llm_num_requests_waiting']);
    expect(f[0].allowed).toContain('a PodMonitor or ServiceMonitor that scrapes Deployment llm-d/ms');
  });

  test('a PodMonitor on the serving port closes the loop; one on another port does not', () => {
    expect(metric(checkSystem([m(server), m(podMonitor('ms')), m(rule('furiosa_llm_num_requests_waiting > 10'))]))).toEqual([]);
    expect(metric(checkSystem([m(server), m(podMonitor('ms', 'metrics')), m(rule('furiosa_llm_num_requests_waiting > 10'))]))).toHaveLength(1);
  });

  test('dashboards only warn; external and recorded series need no exporter; a series nothing exports is named so', () => {
    expect(metric(checkSystem([m(server), m(dashboard('vllm:num_requests_running'))]))).toEqual(['warning:ConfigMap:data.d.json.panels[0].targets[0].expr:vllm:num_requests_running']);
    expect(metric(checkSystem([m(rule('kube_job_status_failed > 0 or up == 0'))]))).toEqual([]);
    const f = checkSystem([m(rule('my_typo_metric > 1'))]).filter((x) => x.rule === 'metric-path');
    expect(f[0].why).toContain('nothing in the output exports');
  });

  describe('the endpoint picker needs an authorized scraper', () => {
    const epp = deployment('epp', 'ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0', { name: 'http-metrics', containerPort: 9090 }, 'epp');
    const auth = { authorization: { credentials: { name: 'reader-token', key: 'token' } } };
    const rbac = (rules: Json[]): Json[] => [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'epp', namespace: NS } },
      { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'reader-token', namespace: NS, annotations: { 'kubernetes.io/service-account.name': 'epp' } } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'epp-metrics' }, rules },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'epp-metrics' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'epp-metrics' }, subjects: [{ kind: 'ServiceAccount', name: 'epp', namespace: NS }] },
    ];
    const full = [
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ];
    const alert = rule('inference_pool_ready_pods == 0');

    test('without credentials: every scrape gets 401', () => {
      const f = checkSystem([m(epp), m(podMonitor('epp', 'http-metrics')), m(alert)]).filter((x) => x.rule === 'metric-path');
      expect(f.map((x) => x.severity)).toEqual(['error', 'error']);
      expect(f[0].why).toContain('without credentials');
    });

    test('with a token and the RBAC llm-d-router lacks (llm-d-router#2370): refused; with it: nothing', () => {
      const missing = checkSystem([m(epp), m(podMonitor('epp', 'http-metrics', auth)), m(alert), ...rbac(full.slice(2)).map(m)]).filter((x) => x.rule === 'metric-path');
      expect(missing[0].why).toMatch(/tokenreviews.*401.*subjectaccessreviews.*500/);
      expect(metric(checkSystem([m(epp), m(podMonitor('epp', 'http-metrics', auth)), m(alert), ...rbac(full).map(m)]))).toEqual([]);
    });
  });
});
