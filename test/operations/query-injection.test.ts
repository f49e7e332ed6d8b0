/**
 * Names that reach a query are data, never PromQL: for arbitrary strings (all of Unicode, quotes,
 * backslashes, braces, line breaks) as pool, Job, endpoint-picker and namespace names, every query
 * the operations constructs write reads back (test/support/promql.ts, an independent reader that
 * follows Prometheus's lexer) to the structure meant: the value round-trips exactly, and the
 * number and order of matchers and operators do not change. Alert labels and annotations (Go
 * templates in Prometheus) and dashboard queries (Grafana interpolates `$var` and `[[var]]`) keep
 * the value as data too.
 */
import fc from 'fast-check';
import { FuriosaModelService } from '../../src/model-service';
import { AutoscalerEngine, AutoscalingSignal, ModelServerAutoscaler, ServingAlerts, ServingDashboards } from '../../src/operations';
import { bin, matchersOf, num, parsePromQL, PromNode, sel } from '../support/promql';
import { newChart } from '../support';

/** Strings as a name: any Unicode, and strings made of the characters that break naive quoting. */
const anyName = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: fc.constantFrom('"', '\\', '{', '}', '\n', '\r', '\t', ',', '=', '~', '!', '$', '[', ']', '`', "'", '\u0000', '\u007f', '\u2028', '\ufffd', 'a', '-', '.', '*', ' '), maxLength: 24 }),
);

const MODEL = { name: 'o/m', uri: 'hf://o/m' };
const RUNS = { numRuns: 150 };

type Rule = { alert: string; expr: string; labels: Record<string, string>; annotations: Record<string, string> };

function alertRules(props: Partial<ConstructorParameters<typeof ServingAlerts>[2]>): Rule[] {
  const { chart } = newChart('llm-d');
  // The rule as rendered: the names here are refused at synth, but must stay data even so.
  const alerts = new ServingAlerts(chart, 'alerts', { name: 'llm-d-serving', modelServers: [], ...props });
  return alerts.rule.toJson().spec.groups[0].rules as Rule[];
}

/** Reads a Go text/template the way Prometheus expands alert labels and annotations, allowing only `{{ "literal" }}` actions. */
function expandTemplate(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) return out + text.slice(i);
    out += text.slice(i, open);
    const m = /^\{\{\s*"((?:[^"\\]|\\.)*)"\s*\}\}/.exec(text.slice(open));
    if (!m) throw new Error(`a template action in ${JSON.stringify(text)}`);
    out += JSON.parse(`"${m[1]}"`) as string;
    i = open + m[0].length;
  }
  return out;
}

describe('label values are data in every query', () => {
  test('a downloader Job name (ModelDownloaderFailed)', () => {
    fc.assert(fc.property(anyName, (job) => {
      const rule = alertRules({ downloaderJobs: [job] }).find((r) => r.alert === 'ModelDownloaderFailed')!;
      expect(parsePromQL(rule.expr)).toEqual(bin('>', sel('kube_job_status_failed', ['namespace', '=', 'llm-d'], ['job_name', '=', job]), num(0)));
      expect(expandTemplate(rule.labels.job_name)).toBe(job);
      expect(expandTemplate(rule.annotations.summary)).toContain(job);
    }), RUNS);
  });

  test('a pool and endpoint-picker name (EndpointPickerNotReady, EndpointPickerErrors, InferencePoolNoReadyEndpoints)', () => {
    fc.assert(fc.property(anyName, anyName, (poolName, eppName) => {
      const rules = alertRules({ pools: [{ poolName, eppName }] });
      const expr = (alert: string) => parsePromQL(rules.find((r) => r.alert === alert)!.expr);
      expect(expr('EndpointPickerNotReady')).toEqual(bin('==', sel('kube_deployment_status_replicas_available', ['namespace', '=', 'llm-d'], ['deployment', '=', eppName]), num(0)));
      const svc: Array<[string, '=', string]> = [['namespace', '=', 'llm-d'], ['service', '=', eppName]];
      const rate = (metric: string): PromNode => ({ type: 'aggregate', op: 'sum', expr: { type: 'call', fn: 'rate', args: [{ ...sel(metric, ...svc), range: '5m' } as PromNode] } });
      expect(expr('EndpointPickerErrors')).toEqual(bin('>', bin('/', rate('inference_objective_request_error_total'), rate('inference_objective_request_total')), num(0.05)));
      expect(expr('InferencePoolNoReadyEndpoints')).toEqual(bin('==', sel('inference_pool_ready_pods', ['name', '=', poolName]), num(0)));
      for (const r of rules) expect(expandTemplate(r.labels.pool)).toBe(poolName);
    }), RUNS);
  });

  test('a namespace (ModelServerDown, ModelServerQueueGrowing: the pods of the workload by regex)', () => {
    const { chart } = newChart('llm-d');
    const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
    let n = 0;
    fc.assert(fc.property(anyName, (namespace) => {
      const alerts = new ServingAlerts(chart, `alerts-${n++}`, { name: 'a', namespace, modelServers: [ms] });
      const rules = alerts.rule.toJson().spec.groups[0].rules as Rule[];
      const expr = (alert: string) => parsePromQL(rules.find((r) => r.alert === alert)!.expr);
      expect(expr('ModelServerDown')).toEqual(bin('==', sel('kube_deployment_status_replicas_available', ['namespace', '=', namespace], ['deployment', '=', 'ms-llm-d-modelservice-decode']), num(0)));
      const growing = expr('ModelServerQueueGrowing');
      expect(growing).toMatchObject({ type: 'binary', op: 'and', lhs: { type: 'binary', op: '>' }, rhs: { type: 'binary', op: '>' } });
      const matchers = matchersOf(growing);
      expect(matchers.map((m) => [m.label, m.op])).toEqual([['namespace', '='], ['pod', '=~'], ['namespace', '='], ['pod', '=~']]);
      expect(matchers[0].value).toBe(namespace);
      const pods = new RegExp(`^(?:${matchers[1].value})$`, 'su');
      expect(pods.test('ms-llm-d-modelservice-decode-7d9f8b6c4-x2x9z')).toBe(true);
      expect(pods.test('other-7d9f8b6c4-x2x9z')).toBe(false);
      for (const r of rules) expect(expandTemplate(r.labels.namespace)).toBe(namespace);
    }), { numRuns: 60 });
  });

  test('a pool name the autoscaler follows (the KEDA query)', () => {
    fc.assert(fc.property(anyName, (pool) => {
      const { chart } = newChart('llm-d');
      const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
      const a = new ModelServerAutoscaler(chart, 'a', { target: ms, engine: AutoscalerEngine.keda({ prometheusAddress: 'http://p:9090' }), signal: AutoscalingSignal.poolQueue(pool, 3), maxReplicas: 2 });
      const query = a.autoscaler.toJson().spec.triggers[0].metadata.query as string;
      expect(parsePromQL(query)).toEqual(sel('inference_pool_average_queue_size', ['name', '=', pool]));
    }), { numRuns: 60 });
  });

  test('a namespace, pool and endpoint-picker name in dashboard queries, which Grafana does not interpolate', () => {
    fc.assert(fc.property(anyName, anyName, anyName, (namespace, poolName, eppName) => {
      const { chart } = newChart('llm-d');
      const dash = new ServingDashboards(chart, 'dash', { name: 'llm-d', namespace, modelServers: [], pools: [{ poolName, eppName }] });
      const model = JSON.parse(Object.values(dash.dashboards)[0]) as { panels: Array<{ targets: Array<{ expr: string }> }> };
      const exprs = model.panels.flatMap((p) => p.targets.map((t) => t.expr));
      expect(exprs.length).toBeGreaterThan(5);
      for (const text of exprs) {
        // Grafana replaces $name, ${name} and [[name]] in a query before Prometheus reads it.
        expect(text).not.toMatch(/\$|\[\[/);
        const matchers = matchersOf(parsePromQL(text));
        expect(matchers.length).toBeGreaterThanOrEqual(1);
        for (const m of matchers) {
          expect(m.op).toBe('=');
          expect(m.value).toBe(({ namespace, service: eppName, name: poolName } as Record<string, string>)[m.label]);
        }
      }
    }), { numRuns: 80 });
  });
});

describe('the injections of the old string concatenation', () => {
  test('a Job name that adds a matcher (an alert that always fires) stays one job_name value', () => {
    const job = 'x",job_name=~".*';
    const rule = alertRules({ downloaderJobs: [job] }).find((r) => r.alert === 'ModelDownloaderFailed')!;
    expect(matchersOf(parsePromQL(rule.expr))).toEqual([{ label: 'namespace', op: '=', value: 'llm-d' }, { label: 'job_name', op: '=', value: job }]);
  });

  test('a pool name that closes the selector (a KEDA query pinned at its maximum) stays one name value', () => {
    const pool = 'x"} or vector(1000) or up{a="';
    const { chart } = newChart('llm-d');
    const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
    const a = new ModelServerAutoscaler(chart, 'a', { target: ms, engine: AutoscalerEngine.keda({ prometheusAddress: 'http://p:9090' }), signal: AutoscalingSignal.poolQueue(pool, 3), maxReplicas: 2 });
    const query = a.autoscaler.toJson().spec.triggers[0].metadata.query as string;
    expect(parsePromQL(query)).toEqual(sel('inference_pool_average_queue_size', ['name', '=', pool]));
  });
});
