import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  HttpRoute,
  HttpRouteSpecParentRefs,
  HttpRouteSpecRules,
  HttpRouteSpecRulesMatches,
  HttpRouteSpecRulesMatchesHeadersType,
  HttpRouteSpecRulesMatchesMethod,
  HttpRouteSpecRulesMatchesPathType,
  HttpRouteSpecRulesMatchesQueryParamsType,
  ReferenceGrant,
} from '../../imports/gateway.networking.k8s.io';
import { IInferenceGateway, IInferencePoolRef } from '../core/contracts';
import { addProblems, Problem } from '../core/errors';
import { headerNameProblem, headerValueProblem, regexProblem } from '../core/object-rules/route-rules';
import { checkLabels } from '../core/labels';
import { checkDns1123Label, checkDns1123Subdomain, truncateName } from '../core/names';
import { checkPort, isPort } from '../core/ports';
import { plainProps } from '../core/plain-props';

/** The API group of v1 InferencePools. */
export const INFERENCE_POOL_GROUP = 'inference.networking.k8s.io';
/** The guide's route name. */
export const DEFAULT_ROUTE_NAME = 'llm-d';
/** The guide's timeouts: none, so long generations and streams are not cut. */
export const DEFAULT_ROUTE_TIMEOUTS: InferenceRouteTimeouts = Object.freeze({ request: '0s', backendRequest: '0s' });

/** One InferencePool a rule sends traffic to. */
export interface InferenceBackend {
  /** The pool (an InferenceSchedulerPool, or `InferenceRoute.poolRef(...)` for one outside the app). */
  readonly pool: IInferencePoolRef;
  /**
   * Relative weight among the rule's backends (canary: 90 / 10). 0 sends nothing.
   * @default 1
   */
  readonly weight?: number;
  /**
   * Port of the pool to send to; must be one the pool serves (checked at synth time, after
   * `pool.addModelServer(...)` calls).
   * @default - the pool's first served port
   */
  readonly port?: number;
}

/** Options of {@link InferenceRoute.addBackend}. */
export interface InferenceBackendOptions {
  /** Relative weight among the rule's backends (canary: 90 / 10); 0 sends nothing. @default 1 */
  readonly weight?: number;
  /** The pool port to send to. @default - the pool's first served port */
  readonly port?: number;
}

/** Path match type. */
export type InferenceRoutePathType = 'PathPrefix' | 'Exact' | 'RegularExpression';

/** One HTTPRoute match: all given conditions must hold. */
export interface InferenceRouteMatch {
  /** @default - Gateway API default: PathPrefix "/" */
  readonly path?: { readonly type?: InferenceRoutePathType; readonly value: string };
  /** Header conditions (e.g. route by `x-model-tier`). @default [] */
  readonly headers?: ReadonlyArray<{ readonly name: string; readonly value: string; readonly type?: 'Exact' | 'RegularExpression' }>;
  /** Query parameter conditions. @default [] */
  readonly queryParams?: ReadonlyArray<{ readonly name: string; readonly value: string; readonly type?: 'Exact' | 'RegularExpression' }>;
  /** HTTP method. @default - any */
  readonly method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'CONNECT' | 'OPTIONS' | 'TRACE' | 'PATCH';
}

/**
 * Rule timeouts, as Gateway API durations (`30s`, `1m30s`, `500ms`, `0s` = none).
 * `backendRequest` may not exceed `request` unless `request` is 0s.
 */
export interface InferenceRouteTimeouts {
  readonly request?: string;
  readonly backendRequest?: string;
}

/** One rule of the route. */
export interface InferenceRouteRule {
  /** Rule name (Gateway API `rules[].name`). @default - unnamed */
  readonly name?: string;
  /** @default - the guide's: PathPrefix "/" */
  readonly matches?: readonly InferenceRouteMatch[];
  /** Backends with weights; at least one. */
  readonly backends: readonly InferenceBackend[];
  /** @default DEFAULT_ROUTE_TIMEOUTS (0s, 0s: no timeout) */
  readonly timeouts?: InferenceRouteTimeouts;
}

/** Props of {@link InferenceRoute}. */
export interface InferenceRouteProps {
  /** The Gateway to attach to (an IstioGieGateway, or `InferenceRoute.gatewayRef(...)`). */
  readonly gateway: IInferenceGateway;
  /** Listener of the gateway to attach to (`parentRefs[].sectionName`). @default - every listener */
  readonly sectionName?: string;
  /** Name of the HTTPRoute. @default 'llm-d' (the guide's) */
  readonly name?: string;
  /** Namespace of the HTTPRoute. @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /** Host names the route answers for. @default - all of the listener's */
  readonly hostnames?: readonly string[];
  /**
   * Backends of the default rule. More with {@link InferenceRoute.addBackend}. The default rule
   * is rendered only when it has backends.
   * @default []
   */
  readonly backends?: readonly InferenceBackend[];
  /** Matches of the default rule. @default - PathPrefix "/" */
  readonly matches?: readonly InferenceRouteMatch[];
  /** Timeouts of the default rule. @default DEFAULT_ROUTE_TIMEOUTS */
  readonly timeouts?: InferenceRouteTimeouts;
  /** More rules, after the default one. More with {@link InferenceRoute.addRule}. @default [] */
  readonly rules?: readonly InferenceRouteRule[];
  /**
   * For a pool in another namespace, create the ReferenceGrant in that namespace that lets this
   * route use it. Set false when the grant is managed elsewhere.
   * @default true
   */
  readonly createReferenceGrants?: boolean;
  /** Labels of the HTTPRoute. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations of the HTTPRoute. @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Reference to a Gateway outside the app. */
export interface GatewayReferenceOptions {
  /** Name of the Gateway. */
  readonly name: string;
  /** Namespace of the Gateway. */
  readonly namespace: string;
  /** Listener names, when known (enables `sectionName` checks). @default [] */
  readonly listenerNames?: readonly string[];
}

/** Reference to an InferencePool outside the app. */
export interface InferencePoolReferenceOptions {
  /** Name of the InferencePool. */
  readonly name: string;
  /** Namespace of the InferencePool. */
  readonly namespace: string;
  /** The pool's target ports; backend ports are checked against them. */
  readonly ports: readonly number[];
  /** API group of the InferencePool. @default 'inference.networking.k8s.io' */
  readonly group?: string;
}

interface MutableRule {
  readonly name?: string;
  readonly matches?: readonly InferenceRouteMatch[];
  readonly backends: InferenceBackend[];
  readonly timeouts?: InferenceRouteTimeouts;
}

/** A gateway that can tell whether a route namespace may attach (IstioGieGateway can). */
interface RouteNamespacePolicy {
  allowsRoutesFrom(routeNamespace: string, sectionName?: string): boolean | undefined;
}

function hasRoutePolicy(g: IInferenceGateway): g is IInferenceGateway & RouteNamespacePolicy {
  return typeof (g as Partial<RouteNamespacePolicy>).allowsRoutesFrom === 'function';
}

/** The routes of each app, in creation order: app-wide checks read them instead of walking the whole tree. */
const routesByRoot = new WeakMap<IConstruct, InferenceRoute[]>();

/** Every InferenceRoute created in the app (construct tree) that `scope` belongs to. */
export function inferenceRoutesOf(scope: IConstruct): readonly InferenceRoute[] {
  return routesByRoot.get(scope.node.root) ?? [];
}

const DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

/** Milliseconds of a Gateway API duration, or undefined when malformed. */
export function parseGatewayDuration(d: string): number | undefined {
  if (!DURATION.test(d)) return undefined;
  const unit: Record<string, number> = { h: 3600000, m: 60000, s: 1000, ms: 1 };
  let total = 0;
  for (const m of d.matchAll(/([0-9]+)(ms|h|m|s)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}

/** Problems with a rule's timeouts. */
export function timeoutProblems(t: InferenceRouteTimeouts, field: string): Problem[] {
  const out: Problem[] = [];
  const allowed = 'a Gateway API duration: 1-4 groups of up to 5 digits with h, m, s or ms, e.g. "0s", "30s", "1m30s"';
  const req = t.request === undefined ? undefined : parseGatewayDuration(t.request);
  const be = t.backendRequest === undefined ? undefined : parseGatewayDuration(t.backendRequest);
  if (t.request !== undefined && req === undefined) out.push({ field: `${field}.request`, value: t.request, allowed });
  if (t.backendRequest !== undefined && be === undefined) out.push({ field: `${field}.backendRequest`, value: t.backendRequest, allowed });
  if (req !== undefined && be !== undefined && req > 0 && (be === 0 || be > req)) {
    out.push({ field: `${field}.backendRequest`, value: t.backendRequest, allowed: `at most request (${t.request})`, why: 'the Gateway API refuses a backend timeout longer than the request timeout (0s = none)' });
  }
  return out;
}

/**
 * Whether an Exact or PathPrefix value is a path the gateway matches as written (Gateway API's
 * rules for HTTPPathMatch): absolute, no empty, "." or ".." segment, no encoded "/" or fragment.
 */
function isNormalizedUrlPath(v: unknown): boolean {
  if (typeof v !== 'string' || !v.startsWith('/')) return false;
  if (v.includes('//') || v.includes('/./') || v.includes('/../') || v.endsWith('/.') || v.endsWith('/..')) return false;
  return !/%2f/i.test(v) && !v.includes('#');
}

/**
 * An HTTPRoute from a gateway to one or more InferencePools (step 6 of the Furiosa-LLM + llm-d
 * guide): parentRefs to the Gateway, backendRefs of kind InferencePool with port and weight,
 * timeouts, PathPrefix "/" by default. Several rules (path and header matches) and weighted
 * backends (canary) are supported; backends added after construction appear in the output.
 */
export class InferenceRoute extends Construct {
  /**
   * A Gateway outside the app.
   * @deprecated use `IstioGieGateway.fromGatewayName(scope, id, name, { namespace })`
   */
  public static gatewayRef(options: GatewayReferenceOptions): IInferenceGateway {
    return { gatewayName: options.name, gatewayNamespace: options.namespace, listenerNames: [...(options.listenerNames ?? [])] };
  }

  /**
   * An InferencePool outside the app.
   * @deprecated use `InferenceSchedulerPool.fromPoolName(scope, id, name, { namespace, targetPorts })`
   */
  public static poolRef(options: InferencePoolReferenceOptions): IInferencePoolRef {
    return { poolName: options.name, poolNamespace: options.namespace, poolGroup: options.group ?? INFERENCE_POOL_GROUP, servedPorts: [...options.ports] };
  }

  /** `metadata.name` of the HTTPRoute. */
  public readonly routeName: string;
  /** Namespace of the HTTPRoute. */
  public readonly routeNamespace: string;
  /** The gateway the route attaches to. */
  public readonly gateway: IInferenceGateway;
  /** The HTTPRoute object. */
  public readonly route: ApiObject;

  private readonly defaultRule: MutableRule;
  private readonly extraRules: MutableRule[] = [];
  private readonly grants = new Map<string, ApiObject>();
  private readonly createGrants: boolean;
  private readonly sectionName?: string;

  constructor(scope: Construct, id: string, props: InferenceRouteProps) {
    super(scope, id);
    props = plainProps(this, props);
    const routes = routesByRoot.get(this.node.root);
    if (routes) routes.push(this);
    else routesByRoot.set(this.node.root, [this]);
    this.gateway = props.gateway;
    this.routeName = props.name ?? DEFAULT_ROUTE_NAME;
    this.routeNamespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.createGrants = props.createReferenceGrants ?? true;
    this.sectionName = props.sectionName;
    this.defaultRule = { matches: props.matches, backends: [...(props.backends ?? [])], timeouts: props.timeouts };
    for (const r of props.rules ?? []) this.addRule(r);

    const staticProblems: Problem[] = [];
    const np = checkDns1123Subdomain('name', this.routeName);
    if (np) staticProblems.push(np);
    const nsp = checkDns1123Label('namespace', this.routeNamespace);
    if (nsp) staticProblems.push(nsp);
    staticProblems.push(...checkLabels('labels', props.labels));
    if (props.hostnames && props.hostnames.length > 16) staticProblems.push({ field: 'hostnames', value: `${props.hostnames.length} host names`, allowed: 'at most 16 (Gateway API limit)' });
    (props.hostnames ?? []).forEach((h, i) => {
      if (!/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(h) || h.length > 253) {
        staticProblems.push({ field: `hostnames[${i}]`, value: h, allowed: 'a DNS host name, optionally with a leading "*." wildcard label' });
      }
    });
    addProblems(this, () => [...staticProblems, ...this.problems()]);

    const parentRef: HttpRouteSpecParentRefs = {
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      name: this.gateway.gatewayName,
      namespace: this.gateway.gatewayNamespace !== this.routeNamespace ? this.gateway.gatewayNamespace : undefined,
      sectionName: props.sectionName || undefined,
    };
    // The HTTPRoute is the construct's default child; rules are read at synthesis (addRule, addBackend).
    this.route = new HttpRoute(this, 'Resource', {
      metadata: {
        name: this.routeName,
        namespace: this.routeNamespace,
        labels: { 'app.kubernetes.io/name': 'llm-d', 'app.kubernetes.io/component': 'inference-route', 'app.kubernetes.io/managed-by': 'cdk8s-llm-d', ...(props.labels ?? {}) },
        ...(props.annotations && Object.keys(props.annotations).length > 0 ? { annotations: { ...props.annotations } } : {}),
      },
      spec: {
        parentRefs: [parentRef],
        hostnames: props.hostnames && props.hostnames.length > 0 ? [...props.hostnames] : undefined,
        rules: Lazy.any({ produce: () => this.allRules().map((r) => this.renderRule(r)) }) as unknown as HttpRouteSpecRules[],
      },
    });
    for (const b of this.defaultRule.backends) this.grantFor(b.pool);
  }

  /** Every pool this route sends traffic to, over all rules (read at validation time). */
  public get backendPools(): readonly IInferencePoolRef[] {
    return [...new Set(this.allRules().flatMap((r) => r.backends.map((b) => b.pool)))];
  }

  /** Adds a backend to the default rule (PathPrefix "/" unless `matches` was given). */
  public addBackend(pool: IInferencePoolRef, options: InferenceBackendOptions = {}): this {
    this.defaultRule.backends.push({ pool, ...options });
    this.grantFor(pool);
    return this;
  }

  /** Adds a rule after the existing ones. */
  public addRule(rule: InferenceRouteRule): this {
    this.extraRules.push({ ...rule, backends: [...rule.backends] });
    for (const b of rule.backends) this.grantFor(b.pool);
    return this;
  }

  private allRules(): MutableRule[] {
    return [...(this.defaultRule.backends.length > 0 ? [this.defaultRule] : []), ...this.extraRules];
  }

  private backendPort(b: InferenceBackend): number | undefined {
    return b.port ?? b.pool.servedPorts[0];
  }

  // Our option types spell the CRD's enums as their string values; the wire format is the same.
  private renderRule(r: MutableRule): HttpRouteSpecRules {
    return {
      name: r.name || undefined,
      backendRefs: r.backends.map((b) => ({
        group: b.pool.poolGroup,
        kind: 'InferencePool',
        name: b.pool.poolName,
        weight: b.weight ?? 1,
        port: this.backendPort(b),
        namespace: b.pool.poolNamespace !== this.routeNamespace ? b.pool.poolNamespace : undefined,
      })),
      matches: (r.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }]).map((m): HttpRouteSpecRulesMatches => ({
        path: m.path ? { type: (m.path.type ?? 'PathPrefix') as HttpRouteSpecRulesMatchesPathType, value: m.path.value } : undefined,
        headers: m.headers && m.headers.length > 0 ? m.headers.map((h) => ({ type: (h.type ?? 'Exact') as HttpRouteSpecRulesMatchesHeadersType, name: h.name, value: h.value })) : undefined,
        queryParams: m.queryParams && m.queryParams.length > 0 ? m.queryParams.map((q) => ({ type: (q.type ?? 'Exact') as HttpRouteSpecRulesMatchesQueryParamsType, name: q.name, value: q.value })) : undefined,
        method: m.method as HttpRouteSpecRulesMatchesMethod | undefined,
      })),
      timeouts: { ...(r.timeouts ?? DEFAULT_ROUTE_TIMEOUTS) },
    };
  }

  /** Creates (once per pool) the ReferenceGrant a cross-namespace backend needs. */
  private grantFor(pool: IInferencePoolRef): void {
    if (!this.createGrants || pool.poolNamespace === this.routeNamespace) return;
    const key = `${pool.poolNamespace}/${pool.poolGroup}/${pool.poolName}`;
    if (this.grants.has(key)) return;
    const grant = new ReferenceGrant(this, `grant-${pool.poolNamespace}-${pool.poolName}`, {
      metadata: {
        name: truncateName(`${this.routeName}-${this.routeNamespace}-to-${pool.poolName}`, 253),
        namespace: pool.poolNamespace,
        labels: { 'app.kubernetes.io/name': 'llm-d', 'app.kubernetes.io/component': 'inference-route', 'app.kubernetes.io/managed-by': 'cdk8s-llm-d' },
      },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: this.routeNamespace }],
        to: [{ group: pool.poolGroup, kind: 'InferencePool', name: pool.poolName }],
      },
    });
    this.grants.set(key, grant);
  }

  private problems(): Problem[] {
    const out: Problem[] = [];
    const rules = this.allRules();
    const g = this.gateway;
    if (rules.length === 0) {
      out.push({ field: 'backends', value: [], allowed: 'at least one backend (props.backends, addBackend() or addRule())', why: 'a route without backends answers every request with an error' });
    }
    if (rules.length > 16) out.push({ field: 'rules', value: `${rules.length} rules`, allowed: 'at most 16 (Gateway API limit)' });
    const unknownSection = this.sectionName !== undefined && g.listenerNames.length > 0 && !g.listenerNames.includes(this.sectionName);
    if (unknownSection) {
      out.push({ field: 'sectionName', value: this.sectionName, allowed: `a listener of gateway ${g.gatewayName}: ${g.listenerNames.join(', ')}` });
    }
    // With an unknown sectionName no listener matches; that is reported above, not as a namespace problem.
    if (!unknownSection && hasRoutePolicy(g) && g.allowsRoutesFrom(this.routeNamespace, this.sectionName) === false) {
      out.push({
        field: 'namespace',
        value: this.routeNamespace,
        allowed: `the gateway's namespace "${g.gatewayNamespace}"`,
        why: `the listeners of gateway ${g.gatewayName} do not allow routes from other namespaces (allowedRoutes.namespaces.from); set it to All or Selector there`,
      });
    }
    const ruleNames = new Set<string>();
    rules.forEach((r) => {
      const rf = r === this.defaultRule ? '' : `rules[${this.extraRules.indexOf(r)}].`;
      if (r.name !== undefined) {
        const p = checkDns1123Label(`${rf}name`, r.name);
        if (p) out.push(p);
        if (ruleNames.has(r.name)) out.push({ field: `${rf}name`, value: r.name, allowed: 'a name no other rule has', why: 'rule names must be unique in a route' });
        ruleNames.add(r.name);
      }
      if (r.backends.length === 0) out.push({ field: `${rf}backends`, value: [], allowed: 'at least one backend' });
      if (r.backends.length > 16) out.push({ field: `${rf}backends`, value: `${r.backends.length} backends`, allowed: 'at most 16 (Gateway API limit)' });
      if (r.backends.length > 0 && r.backends.every((b) => (b.weight ?? 1) === 0)) {
        out.push({ field: `${rf}backends`, value: r.backends.map((b) => b.weight ?? 1), allowed: 'at least one weight above 0', why: 'with every weight 0 the rule sends nothing and answers with errors' });
      }
      const seen = new Set<string>();
      r.backends.forEach((b, bi) => {
        const bf = `${rf}backends[${bi}]`;
        if (b.weight !== undefined && !(Number.isInteger(b.weight) && b.weight >= 0 && b.weight <= 1000000)) {
          out.push({ field: `${bf}.weight`, value: b.weight, allowed: 'an integer from 0 to 1000000' });
        }
        const served = b.pool.servedPorts;
        if (b.port !== undefined) {
          const pp = checkPort(`${bf}.port`, b.port);
          if (pp) out.push(pp);
          else if (!served.includes(b.port)) {
            out.push({
              field: `${bf}.port`,
              value: b.port,
              allowed: served.length > 0 ? `a port pool ${b.pool.poolName} serves: ${served.join(', ')}` : `a port pool ${b.pool.poolName} serves (it serves none yet: add a model server to it)`,
              why: 'traffic to a port the pool does not serve reaches no model server',
            });
          }
        } else if (served.length === 0 || !isPort(served[0])) {
          out.push({ field: `${bf}.port`, value: undefined, allowed: `a port pool ${b.pool.poolName} serves`, why: `pool ${b.pool.poolName} serves no port yet: add a model server to it or give the port` });
        }
        const key = `${b.pool.poolNamespace}/${b.pool.poolName}/${this.backendPort(b)}`;
        if (seen.has(key)) out.push({ field: `${bf}`, value: { pool: b.pool.poolName, port: this.backendPort(b) }, allowed: 'each pool and port once per rule', why: 'merge the weights instead' });
        seen.add(key);
        const pn = checkDns1123Subdomain(`${bf}.pool.poolName`, b.pool.poolName);
        if (pn) out.push(pn);
      });
      (r.matches ?? []).forEach((m, mi) => {
        const mf = `${rf}matches[${mi}]`;
        if (m.path) {
          if (m.path.type === 'RegularExpression') {
            const p = m.path.value === '' ? { field: `${mf}.path.value`, value: '', allowed: 'a regular expression that compiles (RE2 syntax)' } : regexProblem(`${mf}.path.value`, m.path.value);
            if (p) out.push(p);
          } else if (!isNormalizedUrlPath(m.path.value)) {
            out.push({ field: `${mf}.path.value`, value: m.path.value, allowed: 'an absolute path starting with "/" without "//", "/./" or "/../", not ending in "/." or "/..", without "%2f" or "#" (Gateway API\'s rules: a path the gateway would normalize to another)' });
          }
        }
        (m.headers ?? []).forEach((h, hi) => {
          out.push(...[headerNameProblem(`${mf}.headers[${hi}].name`, h.name), matchValueProblem(`${mf}.headers[${hi}].value`, h)].filter((p): p is Problem => p !== undefined));
        });
        (m.queryParams ?? []).forEach((q, qi) => {
          const p = matchValueProblem(`${mf}.queryParams[${qi}].value`, q);
          if (p) out.push(p);
        });
      });
      if ((r.matches ?? []).length > 64) out.push({ field: `${rf}matches`, value: `${(r.matches ?? []).length} matches`, allowed: 'at most 64 (Gateway API limit)' });
      out.push(...timeoutProblems(r.timeouts ?? DEFAULT_ROUTE_TIMEOUTS, `${rf}timeouts`));
    });
    return out;
  }
}

/** A header or query match value: a pattern that compiles, or a value that cannot split the request. */
function matchValueProblem(field: string, m: { readonly value: string; readonly type?: string }): Problem | undefined {
  return m.type === 'RegularExpression' ? regexProblem(field, m.value) : headerValueProblem(field, m.value);
}
