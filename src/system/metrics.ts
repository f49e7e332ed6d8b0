/**
 * The metric path: which series each container exports (by its image), which monitors
 * (PodMonitor, ServiceMonitor) scrape which pods and ports and with what auth, and which series
 * each consumer reads (PrometheusRule expressions, KEDA queries, dashboard panels). Every series
 * a consumer reads must come from a scraped exporter, or be a declared external series;
 * otherwise the consumer never sees data: an autoscaler that never scales, an alert that never
 * fires.
 */
import { isVllmImage } from '../core/image-users';
import { selectorMatches } from '../core/labels';
import { asArray, asObject, Json } from '../core/object-rules/json';
import { describeObject, identityOf, ObjectIdentity, SystemFinding, SystemManifest } from './finding';
import { allContainers, PodGroup } from './workloads';

/** What a container image exports, by series prefix. */
const EXPORTERS: ReadonlyArray<{ readonly image: (ref: string) => boolean; readonly what: string; readonly prefixes: readonly string[]; readonly needsAuth?: boolean }> = [
  { image: (ref) => /(^|\/)furiosa-llm(:|@|$)/.test(ref), what: 'furiosa-llm', prefixes: ['furiosa_llm_'] },
  { image: isVllmImage, what: 'vLLM', prefixes: ['vllm:'] },
  // The endpoint picker's /metrics needs an authorized scraper (a token allowed to get /metrics).
  { image: (ref) => /(^|\/)(epp|llm-d-inference-scheduler|llm-d-router[a-z0-9-]*)(:|@|$)/.test(ref), what: 'the endpoint picker', prefixes: ['inference_pool_', 'inference_objective_', 'inference_model_', 'inference_extension_'], needsAuth: true },
];

/**
 * Series the check takes as present without an exporter in the output: kube-state-metrics
 * (`kube_`), the kubelet and cAdvisor (`container_`, `kubelet_`, `machine_`), node-exporter
 * (`node_`), and what Prometheus itself makes (`up`, `scrape_`, `ALERTS`).
 */
export const EXTERNAL_SERIES_PREFIXES: readonly string[] = ['kube_', 'container_', 'kubelet_', 'machine_', 'node_', 'scrape_', 'prometheus_'];
const EXTERNAL_SERIES = new Set(['up', 'ALERTS', 'ALERTS_FOR_STATE']);

const KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'inf', 'nan', 'atan2', 'start', 'end']);

/** The series (metric names) a PromQL expression reads. */
export function seriesIn(expr: string): string[] {
  let s = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  s = s.replace(/\{[^}]*\}/g, ' ').replace(/\[[^\]]*\]/g, ' ');
  s = s.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const out = new Set<string>();
  for (const m of s.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const name = m[0];
    const before = s[m.index - 1] ?? ' ';
    if (/[0-9.]/.test(before)) continue; // a duration or number suffix (5m, 1e3)
    const after = s.slice(m.index + name.length).trimStart();
    if (after.startsWith('(') || KEYWORDS.has(name)) continue;
    out.add(name);
  }
  return [...out];
}

interface Consumer {
  readonly object: ObjectIdentity;
  readonly source?: string;
  readonly field: string;
  readonly series: readonly string[];
  readonly dashboard: boolean;
}

/** Dashboard JSON: every `expr` of every panel target, nested rows included. */
function dashboardExprs(json: unknown, at: string, out: Array<{ field: string; expr: string }>): void {
  if (Array.isArray(json)) json.forEach((x, i) => dashboardExprs(x, `${at}[${i}]`, out));
  else if (typeof json === 'object' && json !== null) {
    for (const [k, v] of Object.entries(json)) {
      if (k === 'expr' && typeof v === 'string') out.push({ field: `${at}.expr`, expr: v });
      else dashboardExprs(v, `${at}.${k}`, out);
    }
  }
}

function consumersOf(manifests: readonly SystemManifest[]): Consumer[] {
  const out: Consumer[] = [];
  for (const { manifest, source } of manifests) {
    const id = identityOf(manifest);
    const spec = asObject(manifest.spec) ?? {};
    if (id.kind === 'PrometheusRule') {
      asArray(spec.groups).forEach((g, i) => asArray(asObject(g)?.rules).forEach((r, j) => {
        const expr = asObject(r)?.expr;
        if (typeof expr === 'string') out.push({ object: id, source, field: `spec.groups[${i}].rules[${j}].expr`, series: seriesIn(expr), dashboard: false });
      }));
    } else if (id.kind === 'ScaledObject') {
      asArray(spec.triggers).forEach((t, i) => {
        const trigger = asObject(t);
        const query = asObject(trigger?.metadata)?.query;
        if (trigger?.type === 'prometheus' && typeof query === 'string') out.push({ object: id, source, field: `spec.triggers[${i}].metadata.query`, series: seriesIn(query), dashboard: false });
      });
    } else if (id.kind === 'ConfigMap' && asObject(asObject(manifest.metadata)?.labels)?.grafana_dashboard !== undefined) {
      for (const [key, text] of Object.entries(asObject(manifest.data) ?? {})) {
        if (typeof text !== 'string') continue;
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          continue;
        }
        const exprs: Array<{ field: string; expr: string }> = [];
        dashboardExprs(json, `data.${key}`, exprs);
        for (const e of exprs) out.push({ object: id, source, field: e.field, series: seriesIn(e.expr), dashboard: true });
      }
    }
  }
  return out;
}

/** Series recorded by PrometheusRule recording rules (available to every consumer). */
function recordedSeries(manifests: readonly SystemManifest[]): Set<string> {
  const out = new Set<string>();
  for (const { manifest } of manifests) {
    if (identityOf(manifest).kind !== 'PrometheusRule') continue;
    for (const g of asArray(asObject(manifest.spec)?.groups)) for (const r of asArray(asObject(g)?.rules)) {
      const record = asObject(r)?.record;
      if (typeof record === 'string') out.add(record);
    }
  }
  return out;
}

interface Scrape {
  readonly group: PodGroup;
  readonly container: Json;
  readonly monitor: ObjectIdentity;
  readonly endpoint: Json;
  readonly authorized: boolean;
}

/** A monitor's label selector (matchLabels; matchExpressions are taken as matching): an empty one selects nothing here. */
const matches = (selector: unknown, labels: Readonly<Record<string, string>>): boolean => {
  const sel = asObject(selector) ?? {};
  const ml = (asObject(sel.matchLabels) ?? {}) as Record<string, string>;
  return Object.keys(ml).length + asArray(sel.matchExpressions).length > 0 && selectorMatches(ml, labels);
};

function inNamespaces(monitorNs: string, namespaceSelector: unknown, ns: string): boolean {
  const sel = asObject(namespaceSelector);
  if (sel?.any === true) return true;
  const names = asArray(sel?.matchNames);
  return names.length > 0 ? names.includes(ns) : ns === monitorNs;
}

/** The container of a pod that declares a port (by name or number). */
function containerOnPort(g: PodGroup, port: unknown): Json | undefined {
  return allContainers(g.spec).find((c) => asArray(c.ports).map(asObject).some((p) => p && (p.name === port || p.containerPort === port)));
}

function hasAuth(endpoint: Json): boolean {
  return endpoint.bearerTokenSecret !== undefined || endpoint.authorization !== undefined || endpoint.bearerTokenFile !== undefined || endpoint.oauth2 !== undefined || endpoint.basicAuth !== undefined;
}

/** Whether a container needs no credentials on /metrics after all (the picker's `--metrics-endpoint-auth=false`). */
function authTurnedOff(container: Json): boolean {
  const args = asArray(container.args).map(String);
  return args.some((a, i) => a === '--metrics-endpoint-auth=false' || (a === '--metrics-endpoint-auth' && args[i + 1] === 'false'));
}

/** Which containers the monitors scrape, and whether with credentials. */
function scrapes(manifests: readonly SystemManifest[], groups: readonly PodGroup[]): Scrape[] {
  const out: Scrape[] = [];
  const services = manifests.filter((m) => identityOf(m.manifest).kind === 'Service');
  for (const { manifest } of manifests) {
    const monitor = identityOf(manifest);
    const spec = asObject(manifest.spec) ?? {};
    if (monitor.kind === 'PodMonitor') {
      for (const g of groups) {
        if (!inNamespaces(monitor.namespace, spec.namespaceSelector, g.workload.namespace) || !matches(spec.selector, g.labels)) continue;
        for (const e of asArray(spec.podMetricsEndpoints).map(asObject)) {
          const container = e ? containerOnPort(g, e.port ?? e.portNumber ?? e.targetPort) : undefined;
          if (e && container) out.push({ group: g, container, monitor, endpoint: e, authorized: hasAuth(e) || authTurnedOff(container) });
        }
      }
    } else if (monitor.kind === 'ServiceMonitor') {
      for (const svc of services) {
        const sid = identityOf(svc.manifest);
        const sspec = asObject(svc.manifest.spec) ?? {};
        const meta = asObject(svc.manifest.metadata) ?? {};
        if (!inNamespaces(monitor.namespace, spec.namespaceSelector, sid.namespace) || !matches(spec.selector, (asObject(meta.labels) ?? {}) as Record<string, string>)) continue;
        const selector = (asObject(sspec.selector) ?? {}) as Record<string, string>;
        if (Object.keys(selector).length === 0) continue;
        for (const e of asArray(spec.endpoints).map(asObject)) {
          if (!e) continue;
          const port = asArray(sspec.ports).map(asObject).find((p) => p && (p.name === e.port || p.targetPort === e.targetPort));
          const target = e.targetPort ?? port?.targetPort ?? port?.port;
          for (const g of groups) {
            if (g.workload.namespace !== sid.namespace || !selectorMatches(selector, g.labels)) continue;
            const container = containerOnPort(g, target);
            if (container) out.push({ group: g, container, monitor, endpoint: e, authorized: hasAuth(e) || authTurnedOff(container) });
          }
        }
      }
    }
  }
  return out;
}

/** Which exporter family a series belongs to. */
function exporterOf(series: string): (typeof EXPORTERS)[number] | undefined {
  return EXPORTERS.find((e) => e.prefixes.some((p) => series.startsWith(p)));
}

type Rule = { apiGroups?: unknown; resources?: unknown; nonResourceURLs?: unknown; verbs?: unknown };

/** The RBAC and accounts of the output, indexed once: rules granted per ServiceAccount, Secrets, accounts. */
interface AuthIndex {
  /** `namespace/account` → the rules its bindings grant. */
  readonly grants: ReadonlyMap<string, readonly Rule[]>;
  /** `namespace/name` → the Secret's manifest. */
  readonly secrets: ReadonlyMap<string, Json>;
  /** `namespace/name` of every ServiceAccount. */
  readonly accounts: ReadonlySet<string>;
}

function authIndex(manifests: readonly SystemManifest[]): AuthIndex {
  const roles = new Map<string, Rule[]>();
  const secrets = new Map<string, Json>();
  const accounts = new Set<string>();
  const bindings: Array<{ id: ObjectIdentity; manifest: Json }> = [];
  for (const { manifest } of manifests) {
    const id = identityOf(manifest);
    if (id.kind === 'ClusterRole' || id.kind === 'Role') roles.set(`${id.kind}/${id.kind === 'Role' ? id.namespace : ''}/${id.name}`, asArray(manifest.rules) as Rule[]);
    else if (id.kind === 'ClusterRoleBinding' || id.kind === 'RoleBinding') bindings.push({ id, manifest: manifest as Json });
    else if (id.kind === 'Secret') secrets.set(`${id.namespace}/${id.name}`, manifest as Json);
    else if (id.kind === 'ServiceAccount') accounts.add(`${id.namespace}/${id.name}`);
  }
  const grants = new Map<string, Rule[]>();
  for (const { id, manifest } of bindings) {
    const ref = asObject(manifest.roleRef) ?? {};
    const rules = roles.get(`${ref.kind}/${ref.kind === 'Role' ? id.namespace : ''}/${ref.name}`);
    if (!rules) continue;
    for (const x of asArray(manifest.subjects).map(asObject)) {
      if (x?.kind !== 'ServiceAccount') continue;
      const key = `${x.namespace ?? id.namespace}/${x.name}`;
      grants.set(key, [...(grants.get(key) ?? []), ...rules]);
    }
  }
  return { grants, secrets, accounts };
}

/** Whether the RBAC of the output lets ServiceAccount `ns/sa` do `verb` on a resource, or on a non-resource URL. */
function rbacAllows(index: AuthIndex, ns: string, sa: string, want: { verb: string; group?: string; resource?: string; url?: string }): boolean {
  const has = (list: unknown, v: string | undefined): boolean => v !== undefined && (asArray(list).includes(v) || asArray(list).includes('*'));
  return (index.grants.get(`${ns}/${sa}`) ?? []).some((r) => has(r.verbs, want.verb) && (want.url !== undefined ? has(r.nonResourceURLs, want.url) : has(r.apiGroups, want.group) && has(r.resources, want.resource)));
}

/**
 * Why an authorized scrape of the endpoint picker would still fail, from the RBAC of the output:
 * its token must be a ServiceAccount's allowed to get /metrics, and the picker's own account must
 * be allowed to review tokens and access. Undefined when it works or cannot be told (the token
 * Secret or the accounts are not in the output).
 */
function eppAuthGap(index: AuthIndex, s: Scrape): string | undefined {
  const endpoint = s.endpoint;
  const secretName = asObject(asObject(endpoint.authorization)?.credentials)?.name ?? asObject(endpoint.bearerTokenSecret)?.name;
  const secret = index.secrets.get(`${s.monitor.namespace}/${String(secretName)}`);
  const ns = s.group.workload.namespace;
  const eppAccount = String(s.group.spec.serviceAccountName ?? 'default');
  const problems: string[] = [];
  if (secret) {
    const account = asObject(asObject(secret.metadata)?.annotations)?.['kubernetes.io/service-account.name'];
    if (typeof account === 'string' && !rbacAllows(index, s.monitor.namespace, account, { verb: 'get', url: '/metrics' })) problems.push(`the token's ServiceAccount ${account} may not get /metrics (a ClusterRole with nonResourceURLs ["/metrics"], verbs ["get"], bound to it): 403`);
  }
  if (index.accounts.has(`${ns}/${eppAccount}`)) {
    if (!rbacAllows(index, ns, eppAccount, { verb: 'create', group: 'authentication.k8s.io', resource: 'tokenreviews' })) problems.push(`the picker's ServiceAccount ${eppAccount} may not create tokenreviews (authentication.k8s.io), so it cannot check the token: 401`);
    if (!rbacAllows(index, ns, eppAccount, { verb: 'create', group: 'authorization.k8s.io', resource: 'subjectaccessreviews' })) problems.push(`the picker's ServiceAccount ${eppAccount} may not create subjectaccessreviews (authorization.k8s.io): 500`);
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** Findings of the metric path: consumers reading series no monitor scrapes, and unauthorized scrapes of the endpoint picker. */
export function metricPathFindings(manifests: readonly SystemManifest[], groups: readonly PodGroup[]): SystemFinding[] {
  const out: SystemFinding[] = [];
  const all = scrapes(manifests, groups);
  const index = authIndex(manifests);
  const gaps = new Map(all.map((s) => [s, s.authorized && !authTurnedOff(s.container) ? eppAuthGap(index, s) : undefined] as const));
  for (const s of all) {
    const exporter = EXPORTERS.find((e) => e.needsAuth && e.image(String(s.container.image ?? '')));
    const gap = exporter ? gaps.get(s) : undefined;
    if (exporter && gap) {
      out.push({ rule: 'metric-path', severity: 'error', object: s.monitor, field: 'endpoints', value: s.group.workload.name, allowed: 'RBAC that lets the scrape through', why: `${describeObject(s.monitor)} scrapes ${exporter.what} (${describeObject(s.group.workload)}) with a token, but ${gap}` });
    }
    if (exporter && !s.authorized) {
      out.push({ rule: 'metric-path', severity: 'error', object: s.monitor, field: 'endpoints', value: s.group.workload.name, allowed: 'an endpoint with authorization (a bearer token Secret of a ServiceAccount bound to a ClusterRole that may get the nonResourceURL /metrics)', why: `${describeObject(s.monitor)} scrapes ${exporter.what} (${describeObject(s.group.workload)}) without credentials: every scrape gets 401 and its series never exist` });
    }
  }
  const scraped = all.filter((s) => !EXPORTERS.some((e) => e.needsAuth && e.image(String(s.container.image ?? ''))) || (s.authorized && gaps.get(s) === undefined));
  const recorded = recordedSeries(manifests);
  const scrapedExporters = new Set(EXPORTERS.filter((e) => scraped.some((s) => e.image(String(s.container.image ?? '')))));
  for (const c of consumersOf(manifests)) {
    for (const series of c.series) {
      if (EXTERNAL_SERIES.has(series) || EXTERNAL_SERIES_PREFIXES.some((p) => series.startsWith(p)) || recorded.has(series)) continue;
      const exporter = exporterOf(series);
      const exported = exporter !== undefined && scrapedExporters.has(exporter);
      if (exported) continue;
      // Serving containers only: a Job that runs the server's image (the downloader) exports nothing.
      const unscraped = exporter === undefined ? [] : groups.filter((g) => !g.runsToCompletion && allContainers(g.spec).some((x) => exporter.image(String(x.image ?? '')) && asArray(x.ports).length > 0));
      out.push({
        rule: 'metric-path',
        severity: c.dashboard ? 'warning' : 'error',
        object: c.object,
        source: c.source,
        field: c.field,
        value: series,
        allowed: unscraped.length > 0
          ? `a PodMonitor or ServiceMonitor that scrapes ${unscraped.map((g) => describeObject(g.workload)).join(', ')} (the model services' monitoring.podmonitor.enabled; the stacks add it with operations)${exporter?.needsAuth ? ', with credentials' : ''}`
          : `a series a scraped workload exports (furiosa-llm: furiosa_llm_*, vLLM: vllm:*, the endpoint picker: inference_*) or an external one (${EXTERNAL_SERIES_PREFIXES.join(', ')}*)`,
        why: `${describeObject(c.object)} reads ${series}, which ${unscraped.length > 0 ? `${exporter?.what} exports but no monitor scrapes` : 'nothing in the output exports'}: ${c.dashboard ? 'the panel stays empty' : 'it never sees data (an autoscaler that never scales, an alert that never fires)'}`,
      });
    }
  }
  return out;
}
