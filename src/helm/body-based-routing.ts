/**
 * Helm adapter for gateway-api-inference-extension `config/charts/body-based-routing` v1.3.0:
 * values.yaml (chart keys) to {@link BodyBasedRouterProps}. The chart's values.yaml defaults apply
 * where keys are absent (Helm coalescing: maps merge, lists replace, null deletes); unknown keys
 * and wrong types are refused with the key path, and so is what the chart renders but breaks at
 * run time.
 *
 * Every key the templates read: `bbr.name`, `bbr.replicas`, `bbr.image.{hub,name,tag,pullPolicy}`,
 * `bbr.port`, `bbr.healthCheckPort`, `bbr.multiNamespace`, `bbr.flags`, `provider.name`,
 * `inferenceGateway.name`.
 *
 * Chart quirks reproduced (parity with `helm template` wins):
 * - `bbr.flags` render as two arguments, `--key` and `"value"`, in key order after `--streaming`;
 *   numbers print like Go (`1e+06`).
 * - `bbr.replicas: 0` renders 1 replica (`replicas | default 1`).
 * - `provider.name` is compared case-sensitively (`Istio` renders no provider objects): names the
 *   chart ignores are refused unless they name a gateway that needs no objects (kgateway, ...).
 * - The ClusterRole of `bbr.multiNamespace` and the GKE HealthCheckPolicy have fixed names
 *   (`bbr-configmap-reader`, `bbr-healthcheck`).
 *
 * Refused although the chart renders them: boolean flags (`--k` `"false"` ends Go's flag parsing),
 * `streaming` (always passed), and a `bbr.port` or `bbr.healthCheckPort` the router is not told
 * with `bbr.flags.grpc-port` / `grpc-health-port` (the chart changes only the Service and
 * container ports: the gateway, whose filter fails closed, would reach nothing).
 *
 * Where the output differs (additions only): the EnvoyFilter targets the Gateway
 * `inferenceGateway.name` (the chart reads it for GKE only; its EnvoyFilter reaches every proxy of
 * the namespace, ours the proxies of that Gateway: set it to the gateway the router serves), the pod is hardened,
 * probed and given requests, and `bbr.resources` (a key no template of v1.3.0 reads) is applied
 * to the container instead of dropped.
 */
import type { HelmValuesContext } from './registry';
import type { Problem } from '../core/errors';
import { isDns1123Subdomain } from '../core/names';
import type { BodyBasedRouterProps, BodyBasedRouterProvider } from '../routing/body-based-router';
import { coalesceValues, isValuesMap, throwValuesProblems, ValuesMap } from './values-reader';
import { checkValues, getValue as get, goString, PROVIDERS_AS_NONE, S, Schema } from './values-schema';

/** The chart's values.yaml (v1.3.0). */
export const BODY_BASED_ROUTING_CHART_DEFAULTS: Readonly<ValuesMap> = Object.freeze({
  bbr: {
    name: 'body-based-router',
    replicas: 1,
    image: { name: 'bbr', hub: 'registry.k8s.io/gateway-api-inference-extension', tag: 'v1.3.0', pullPolicy: 'Always' },
    port: 9004,
    healthCheckPort: 9005,
    multiNamespace: false,
    flags: { v: 3 },
  },
  provider: { name: 'none' },
  inferenceGateway: { name: 'inference-gateway' },
});

const VALUES_SCHEMA: Schema = S.map({
  bbr: S.map({
    name: S.str,
    replicas: S.int,
    image: S.map({ name: S.str, hub: S.str, tag: S.scalar, pullPolicy: S.str }),
    port: S.int,
    healthCheckPort: S.int,
    multiNamespace: S.bool,
    flags: S.dict(S.scalar),
    resources: S.map({ requests: S.dict(S.scalar), limits: S.dict(S.scalar) }),
  }),
  provider: S.map({ name: S.str }),
  inferenceGateway: S.map({ name: S.str }),
});

/** A port number: an integer from 1 to 65535. */
function isPort(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 65535;
}

/** Gateways that need no provider objects: the chart renders none for them, and neither do we. */
const BOOLEAN_FLAGS = ['streaming', 'zap-devel'];

/**
 * The chart's values (as given to `helm template -f`, merged with `--set`) to
 * {@link BodyBasedRouterProps}. Throws {@link LlmdValidationError} listing every problem, each
 * named by its values key path.
 */
export function bodyBasedRouterPropsFromValues(values: Record<string, unknown>, ctx: HelmValuesContext): BodyBasedRouterProps {
  const problems: Problem[] = [];
  checkValues(values, VALUES_SCHEMA, '', problems);
  const v = coalesceValues(BODY_BASED_ROUTING_CHART_DEFAULTS as ValuesMap, values);
  const bbr = (get(v, 'bbr') ?? {}) as ValuesMap;
  const image = (get(bbr, 'image') ?? {}) as ValuesMap;

  // --- provider -----------------------------------------------------------------------------
  const providerName = get(v, 'provider', 'name');
  let provider: BodyBasedRouterProvider = 'none';
  if (providerName === 'istio' || providerName === 'gke') provider = providerName;
  else if (typeof providerName === 'string' && !PROVIDERS_AS_NONE.includes(providerName)) {
    problems.push({
      field: 'provider.name',
      value: providerName,
      allowed: `istio, gke, or one of ${PROVIDERS_AS_NONE.join(', ')} (no provider objects)`,
      why: 'the chart matches "istio" and "gke" case-sensitively and renders nothing for other names',
    });
  }
  const gatewayName = get(v, 'inferenceGateway', 'name');
  if (provider !== 'none' && !(typeof gatewayName === 'string' && isDns1123Subdomain(gatewayName))) {
    problems.push({ field: 'inferenceGateway.name', value: gatewayName, allowed: 'the name of the Gateway the router serves (a DNS-1123 subdomain)', why: `the ${provider} objects attach the router to it` });
  }

  // --- deployment ---------------------------------------------------------------------------
  const replicas = get(bbr, 'replicas');
  if (typeof replicas === 'number' && Number.isInteger(replicas) && replicas < 0) problems.push({ field: 'bbr.replicas', value: replicas, allowed: 'an integer of 1 or more' });
  const pullPolicy = get(image, 'pullPolicy');
  if (typeof pullPolicy === 'string' && pullPolicy !== '' && !['Always', 'IfNotPresent', 'Never'].includes(pullPolicy)) {
    problems.push({ field: 'bbr.image.pullPolicy', value: pullPolicy, allowed: 'Always, IfNotPresent, Never' });
  }
  for (const k of ['hub', 'name', 'tag']) {
    const x = get(image, k);
    if (x === undefined || x === null || x === '') problems.push({ field: `bbr.image.${k}`, value: x, allowed: 'a non-empty value', why: 'the chart writes the image as <hub>/<name>:<tag>' });
  }
  for (const k of ['port', 'healthCheckPort']) {
    const x = get(bbr, k);
    if (typeof x === 'number' && Number.isInteger(x) && !isPort(x)) problems.push({ field: `bbr.${k}`, value: x, allowed: 'a port from 1 to 65535' });
    if (x === undefined || x === null) problems.push({ field: `bbr.${k}`, value: x, allowed: 'a port from 1 to 65535', why: 'the chart renders an empty containerPort' });
  }
  const name = get(bbr, 'name');
  if (typeof name !== 'string' || name === '') problems.push({ field: 'bbr.name', value: name, allowed: 'the name of the Deployment and Service (a DNS-1035 label)' });

  // --- flags --------------------------------------------------------------------------------
  const flagsIn = (get(bbr, 'flags') ?? {}) as ValuesMap;
  const flags: Record<string, string | null> = {};
  for (const k of Object.keys(flagsIn).sort()) {
    const x = flagsIn[k];
    if (x === null || x === undefined) continue;
    if (k === 'streaming') {
      problems.push({ field: `bbr.flags.${k}`, value: x, allowed: 'unset', why: 'the chart always passes --streaming; a second one with a value ends the flags' });
    } else if (typeof x === 'boolean' || BOOLEAN_FLAGS.includes(k)) {
      problems.push({ field: `bbr.flags.${k}`, value: x, allowed: 'a flag that takes a value', why: 'the chart passes flags as "--k" "v", and Go reads a boolean flag\'s value only as --k=v: "v" ends the flags and every later one is ignored' });
    } else if (isValuesMap(x) || Array.isArray(x)) {
      continue; // refused by the schema
    } else {
      flags[k] = goString(x);
    }
  }
  // The chart's default `v: 3` is gone only when the user deleted it (`flags.v: null` or `flags: null`).
  if (!('v' in flags)) flags.v = null;
  // The chart changes the Service and container ports but never tells the binary, which keeps
  // its defaults: the gateway's calls (failing closed) or the health checks would reach nothing.
  // A port refused above (out of range, or of another type) is not compared again.
  for (const [key, flag, binaryDefault] of [['port', 'grpc-port', 9004], ['healthCheckPort', 'grpc-health-port', 9005]] as const) {
    const port = get(bbr, key);
    const listens = flags[flag] ?? String(binaryDefault);
    if (isPort(port) && String(port) !== listens) {
      problems.push({
        field: `bbr.${key}`,
        value: port,
        allowed: flags[flag] !== undefined ? `bbr.flags.${flag} (${listens})` : `${binaryDefault}, or ${port} with bbr.flags.${flag}: ${port}`,
        why: `the chart sets the ${key === 'port' ? 'Service and container port' : 'container port and health check'} but the router ${key === 'port' ? 'serves ext_proc' : 'serves health'} on --${flag} (${listens}), so ${key === 'port' ? 'every request through the gateway would fail' : 'its health checks would fail'}`,
      });
    }
  }

  throwValuesProblems(problems, `values (body-based-routing chart, release ${ctx.release})`);
  if (replicas === 0) ctx.warn?.({ field: 'bbr.replicas', value: 0, message: 'renders 1 replica (the chart writes `replicas | default 1`); write 1 or more' });
  const port = get(bbr, 'port') as number;
  const healthCheckPort = get(bbr, 'healthCheckPort') as number;
  return {
    name: name as string,
    releaseName: ctx.release,
    namespace: ctx.namespace,
    provider,
    ...(provider !== 'none' ? { gateway: { gatewayName: gatewayName as string, gatewayNamespace: ctx.namespace, listenerNames: [] } } : {}),
    // `replicas | default 1`: 0 and null render 1 replica.
    replicas: (replicas as number | undefined) || 1,
    image: {
      hub: goString(get(image, 'hub')),
      name: goString(get(image, 'name')),
      tag: goString(get(image, 'tag')),
      ...(typeof pullPolicy === 'string' && pullPolicy !== '' ? { pullPolicy: pullPolicy as 'Always' | 'IfNotPresent' | 'Never' } : {}),
    },
    port,
    healthCheckPort,
    multiNamespace: get(bbr, 'multiNamespace') === true,
    flags,
    ...(isValuesMap(get(bbr, 'resources')) ? { resources: get(bbr, 'resources') as BodyBasedRouterProps['resources'] } : {}),
  };
}
