// The llm-d routing sidecar both model services can put in front of the decode server: one set of
// options, one rendering of its flags and one set of checks, whichever chart fork is replaced.
import { Problem } from '../core/errors';
import { checkPort } from '../core/ports';
import type { ImagePullPolicy } from './k8s-types';

/** Log encodings of the sidecar's zap logger. */
export const ZAP_ENCODERS = ['json', 'console'] as const;
/** Levels from which the zap logger adds stack traces. */
export const ZAP_STACKTRACE_LEVELS = ['info', 'error', 'panic'] as const;
/** Time encodings of the zap logger. */
export const ZAP_TIME_ENCODINGS = ['epoch', 'millis', 'nano', 'iso8601', 'rfc3339', 'rfc3339nano'] as const;

/** `--zap-encoder` values. */
export type ZapEncoder = (typeof ZAP_ENCODERS)[number];
/** `--zap-stacktrace-level` values. */
export type ZapStacktraceLevel = (typeof ZAP_STACKTRACE_LEVELS)[number];
/** `--zap-time-encoding` values. */
export type ZapTimeEncoding = (typeof ZAP_TIME_ENCODINGS)[number];

/** Options of the routing sidecar (`routing.proxy` of both chart forks), except whether it runs. */
export interface RoutingSidecarOptions {
  /** Image of the routing sidecar. @default 'ghcr.io/llm-d/llm-d-routing-sidecar:<version>' (the chart's) */
  readonly image?: string;
  /** Pull policy of the sidecar image. @default 'Always' (the chart's) */
  readonly imagePullPolicy?: ImagePullPolicy;
  /** Port the model server listens on behind the sidecar. @default 8200 */
  readonly targetPort?: number;
  /** KV connector flag of the sidecar. @default 'nixlv2' */
  readonly connector?: string;
  /** `--secure-proxy`. @default - flag omitted */
  readonly secure?: boolean;
  /** `--prefiller-use-tls`. @default - flag omitted */
  readonly prefillerUseTLS?: boolean;
  /** `--cert-path`. @default - flag omitted */
  readonly certPath?: string;
  /** `--zap-devel`. @default - flag omitted */
  readonly zapDevel?: boolean;
  /** `--zap-encoder`. @default - flag omitted */
  readonly zapEncoder?: ZapEncoder;
  /** `--zap-log-level`: a level name or a verbosity integer. @default - flag omitted */
  readonly zapLogLevel?: string | number;
  /** `--zap-stacktrace-level`. @default - flag omitted */
  readonly zapStacktraceLevel?: ZapStacktraceLevel;
  /** `--zap-time-encoding`. @default - flag omitted */
  readonly zapTimeEncoding?: ZapTimeEncoding;
}

/** What the sidecar's args are made of. */
export interface RoutingProxyArgs extends Omit<RoutingSidecarOptions, 'image' | 'imagePullPolicy' | 'targetPort' | 'connector'> {
  readonly servicePort: number;
  readonly targetPort: number;
  readonly connector: string;
}

/** The routing sidecar's args as the chart renders them (`llm-d-modelservice.routingProxy`), each optional flag only when set. */
export function routingProxyArgs(o: RoutingProxyArgs): string[] {
  const out = [`--port=${o.servicePort}`, `--vllm-port=${o.targetPort}`, `--connector=${o.connector}`];
  const opt: Array<[string, unknown]> = [
    ['zap-devel', o.zapDevel],
    ['zap-encoder', o.zapEncoder],
    ['zap-log-level', o.zapLogLevel],
    ['zap-stacktrace-level', o.zapStacktraceLevel],
    ['zap-time-encoding', o.zapTimeEncoding],
    ['secure-proxy', o.secure],
    ['prefiller-use-tls', o.prefillerUseTLS],
    ['cert-path', o.certPath],
  ];
  for (const [flag, v] of opt) if (v !== undefined) out.push(`--${flag}=${String(v)}`);
  return out;
}

function oneOf(field: string, value: string | undefined, allowed: readonly string[]): Problem[] {
  return value === undefined || allowed.includes(value) ? [] : [{ field, value, allowed: allowed.join(', '), why: 'the sidecar refuses any other value at start' }];
}

/** Problems with an enabled sidecar in front of `server` (e.g. "vLLM"), listening on `servicePort`. */
export function routingSidecarProblems(p: RoutingSidecarOptions, servicePort: number, targetPort: number, server: string): Problem[] {
  const out: Problem[] = [];
  const port = checkPort('routing.proxy.targetPort', targetPort);
  if (port) out.push(port);
  if (targetPort === servicePort) out.push({ field: 'routing.proxy.targetPort', value: targetPort, allowed: `a port other than routing.servicePort (${servicePort})`, why: `the sidecar listens on servicePort and forwards to ${server} on targetPort` });
  if (p.image !== undefined && p.image.trim() === '') out.push({ field: 'routing.proxy.image', value: p.image, allowed: 'an image reference' });
  out.push(...oneOf('routing.proxy.zapEncoder', p.zapEncoder, ZAP_ENCODERS));
  out.push(...oneOf('routing.proxy.zapStacktraceLevel', p.zapStacktraceLevel, ZAP_STACKTRACE_LEVELS));
  out.push(...oneOf('routing.proxy.zapTimeEncoding', p.zapTimeEncoding, ZAP_TIME_ENCODINGS));
  if (p.zapLogLevel !== undefined && typeof p.zapLogLevel !== 'number' && !/^[a-z]+$/.test(p.zapLogLevel)) {
    out.push({ field: 'routing.proxy.zapLogLevel', value: p.zapLogLevel, allowed: 'a level name (debug, info, error, ...) or an integer' });
  }
  return out;
}
