/**
 * The API server's and the kubelet's rules for a pod spec (`ValidatePodSpec` of
 * k8s.io/kubernetes `pkg/apis/core/validation`), as pure functions over the JSON that is
 * about to be written. Plus what the API server stores but server-side apply or the pod cannot
 * take ({@link podSpecApplyProblems}): list-map duplicates, two containers binding one port, a
 * number in exponent form on a command line.
 */
import { Problem } from '../errors';
import { isDns1123Label } from '../names';
import { normalizedPosixPath } from '../paths';
import { isPortName } from '../ports';
import { checkLabels, isLabelKey, isLabelValue } from '../labels';
import { imageReferenceProblem } from './image-reference';
import { resourceProblems } from './resource-rules';
import { INT32_MAX, Json, asArray, asObject, integerProblem } from './json';

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const TOLERATION_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

/** An env name as the API server takes it since 1.34: printable ASCII, no "=", not empty. */
export function isEnvVarName(name: string): boolean {
  return /^[\x20-\x3c\x3e-\x7e]+$/.test(name);
}

function portNumberOrNameProblem(field: string, port: unknown): Problem | undefined {
  if (typeof port === 'string') {
    return isPortName(port) ? undefined : { field, value: port, allowed: 'a port number from 1 to 65535 or a container port name (IANA service name)' };
  }
  return integerProblem(field, port, 1, 65535, 'a port number from 1 to 65535 or a container port name');
}

/** One probe: exactly one handler, valid ports, thresholds the kubelet accepts. */
export function probeProblems(field: string, probe: Json, kind: 'liveness' | 'readiness' | 'startup'): Problem[] {
  const out: Problem[] = [];
  const handlers = PROBE_HANDLERS.filter((h) => probe[h] !== undefined && probe[h] !== null);
  if (handlers.length !== 1) {
    out.push({ field, value: probe, allowed: 'exactly one of exec, httpGet, tcpSocket or grpc', why: handlers.length === 0 ? 'the probe has no handler' : `the probe has ${handlers.join(' and ')}` });
  }
  const httpGet = asObject(probe.httpGet);
  const tcp = asObject(probe.tcpSocket);
  const grpc = asObject(probe.grpc);
  if (httpGet) out.push(...[portNumberOrNameProblem(`${field}.httpGet.port`, httpGet.port)].filter((p): p is Problem => p !== undefined));
  if (tcp) out.push(...[portNumberOrNameProblem(`${field}.tcpSocket.port`, tcp.port)].filter((p): p is Problem => p !== undefined));
  if (grpc) {
    const p = integerProblem(`${field}.grpc.port`, grpc.port, 1, 65535, 'a port number from 1 to 65535');
    if (p) out.push(p);
  }
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    if (probe[k] === undefined || probe[k] === null) continue;
    const p = integerProblem(`${field}.${k}`, probe[k], 0, INT32_MAX, 'a non-negative 32-bit integer');
    if (p) out.push(p);
  }
  if (kind !== 'readiness' && probe.successThreshold !== undefined && probe.successThreshold !== null && probe.successThreshold !== 1) {
    out.push({ field: `${field}.successThreshold`, value: probe.successThreshold, allowed: '1', why: `a ${kind} probe succeeds on its first success` });
  }
  if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds !== null) {
    const p = integerProblem(`${field}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, 1, Number.MAX_SAFE_INTEGER, 'a positive integer');
    if (p) out.push(p);
  }
  return out;
}

/** Why a list-map duplicate is refused although a client-side `kubectl apply` takes it. */
const SSA_WHY = 'server-side apply (kubectl apply --server-side, Argo CD, Flux) rejects two entries with one key in a list it merges by that key; a client-side apply only warns';

/**
 * Entries of a list the API server merges by key (`+listType=map`) that repeat a key: server-side
 * apply rejects the object ("duplicate entries for key"). `key` gives an entry's key, or
 * undefined for an entry without one (another rule's to report).
 */
function keyRepeats(field: string, list: readonly unknown[], key: (e: Json) => string | undefined, keyField: string, what: string, show: (e: Json) => unknown): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  list.forEach((raw, i) => {
    const e = asObject(raw);
    const k = e ? key(e) : undefined;
    if (e === undefined || k === undefined) return;
    if (seen.has(k)) out.push({ field: `${field}[${i}]${keyField}`, value: show(e), allowed: what, why: SSA_WHY });
    seen.add(k);
  });
  return out;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Env names set twice in one container: server-side apply rejects them (client-side apply warns and the kubelet uses the later entry). */
function envRepeats(field: string, env: readonly unknown[]): Problem[] {
  return keyRepeats(field, env, (e) => str(e.name), '.name', 'each env name once per container (the later entry would replace the earlier one)', (e) => e.name);
}

/** One container declaring a containerPort and protocol twice: server-side apply keys ports by both. */
function portRepeats(field: string, ports: readonly unknown[]): Problem[] {
  return keyRepeats(field, ports, (e) => (typeof e.containerPort === 'number' ? `${e.containerPort}/${String(e.protocol ?? 'TCP')}` : undefined), '.containerPort', 'each containerPort and protocol once per container', (e) => e.containerPort);
}

/** Characters no argument, command or env value can carry: the kernel ends a C string at NUL; other controls are never meant. */
// eslint-disable-next-line no-control-regex
const CONTROL_IN_ARG = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/**
 * NUL and other control characters (tab, LF and CR are text) in `command`, `args`, `workingDir`
 * and env values of a container (`c`, a Container or a model service's container props).
 */
export function controlCharacterProblems(field: string, c: Json): Problem[] {
  const out: Problem[] = [];
  const check = (f: string, v: unknown): void => {
    if (typeof v !== 'string') return;
    const m = CONTROL_IN_ARG.exec(v);
    if (m) out.push({ field: f, value: v, allowed: 'text without NUL or other control characters (tab, LF and CR are allowed)', why: `it holds U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}; an argument or environment value ends at NUL, and the other controls are never meant` });
  };
  for (const k of ['command', 'args'] as const) asArray(c[k]).forEach((v, i) => check(`${field}.${k}[${i}]`, v));
  check(`${field}.workingDir`, c.workingDir);
  asArray(c.env).forEach((raw, i) => check(`${field}.env[${i}].value`, asObject(raw)?.value));
  return out;
}

/** A number in exponent form with a positive exponent (`1e+21`, Go's `1e+06`): no integer flag parses it. */
const EXPONENT_NUMBER = /^[-+]?\d+(?:\.\d+)?[eE]\+(\d+)$/;
/** From 10^19 no integer flag can hold the number at all (int64 ends below): JavaScript writes integers from 10^21 so. */
const BEYOND_INT64_EXPONENT = 19;

/**
 * Numbers in exponent form in `command` and `args` (each word, and the value of `--flag=value`):
 * `huge` picks those of 10^19 or more (never a valid integer flag; refused), otherwise the smaller
 * ones (Go's and Helm's float formatting of 1000000 as `1e+06`: a float flag reads it, an integer
 * flag does not; a warning).
 */
export function exponentArgProblems(field: string, c: Json, huge: boolean): Problem[] {
  const out: Problem[] = [];
  for (const k of ['command', 'args'] as const) {
    asArray(c[k]).forEach((v, i) => {
      if (typeof v !== 'string' || !/\d[eE]\+\d/.test(v)) return;
      const word = v.split(/[\s=]+/).find((w) => {
        const m = EXPONENT_NUMBER.exec(w);
        return m !== null && Number(m[1]) >= BEYOND_INT64_EXPONENT === huge;
      });
      if (word === undefined) return;
      out.push({
        field: `${field}.${k}[${i}]`,
        value: v,
        allowed: `a number in plain digits instead of ${word}`,
        why: huge ? 'no integer flag holds a number of 10^19 or more, and integer flags (Go strconv, Python int) cannot parse exponent notation' : 'integer flags (Go strconv, Python int) cannot parse exponent notation; only a float flag reads it',
      });
    });
  }
  return out;
}

function envProblems(field: string, env: readonly unknown[]): Problem[] {
  const out: Problem[] = [];
  env.forEach((raw, i) => {
    const e = asObject(raw);
    if (!e) return;
    const name = e.name;
    if (typeof name !== 'string' || !isEnvVarName(name)) {
      out.push({ field: `${field}[${i}].name`, value: name, allowed: 'a non-empty name of printable ASCII characters without "="' });
    }
    const hasValue = typeof e.value === 'string' && e.value !== '';
    const from = asObject(e.valueFrom);
    if (hasValue && from) out.push({ field: `${field}[${i}]`, value: name, allowed: 'either value or valueFrom, not both' });
    if (from) {
      const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'].filter((k) => from[k] !== undefined && from[k] !== null);
      if (sources.length !== 1) out.push({ field: `${field}[${i}].valueFrom`, value: from, allowed: 'exactly one of fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef or fileKeyRef' });
    }
  });
  return out;
}

function containerPortProblems(field: string, ports: readonly unknown[]): Problem[] {
  const out: Problem[] = [];
  const names = new Set<string>();
  ports.forEach((raw, i) => {
    const p = asObject(raw);
    if (!p) return;
    const f = `${field}[${i}]`;
    const cp = integerProblem(`${f}.containerPort`, p.containerPort, 1, 65535, 'a port number from 1 to 65535');
    if (cp) out.push(cp);
    if (p.hostPort !== undefined && p.hostPort !== null) {
      const hp = integerProblem(`${f}.hostPort`, p.hostPort, 0, 65535, 'a port number from 1 to 65535 (0 for none)');
      if (hp) out.push(hp);
    }
    if (p.protocol !== undefined && p.protocol !== null && !PROTOCOLS.includes(String(p.protocol))) {
      out.push({ field: `${f}.protocol`, value: p.protocol, allowed: PROTOCOLS.join(', ') });
    }
    if (typeof p.name === 'string' && p.name !== '') {
      if (!isPortName(p.name)) out.push({ field: `${f}.name`, value: p.name, allowed: 'an IANA service name: 1-15 lower-case letters, digits and "-", with at least one letter, no "--"' });
      else if (names.has(p.name)) out.push({ field: `${f}.name`, value: p.name, allowed: 'each port name once per container' });
      names.add(p.name);
    }
  });
  return out;
}

function mountProblems(field: string, mounts: readonly unknown[], volumes: ReadonlySet<string>): Problem[] {
  const out: Problem[] = [];
  const paths = new Set<string>();
  mounts.forEach((raw, i) => {
    const m = asObject(raw);
    if (!m) return;
    const f = `${field}[${i}]`;
    if (typeof m.name !== 'string' || !volumes.has(m.name)) {
      out.push({ field: `${f}.name`, value: m.name, allowed: volumes.size > 0 ? `the name of a volume of the pod: ${[...volumes].join(', ')}` : 'the name of a volume of the pod (the pod has none)' });
    }
    if (typeof m.mountPath !== 'string' || m.mountPath === '') {
      out.push({ field: `${f}.mountPath`, value: m.mountPath, allowed: 'a non-empty path' });
    } else if (paths.has(normalizedPosixPath(m.mountPath))) {
      // Compared normalized: "/data" and "/data/" (or "//data") are one directory.
      out.push({ field: `${f}.mountPath`, value: m.mountPath, allowed: 'each mount path once per container' });
    } else paths.add(normalizedPosixPath(m.mountPath));
    if (typeof m.subPath === 'string' && (m.subPath.startsWith('/') || m.subPath.split('/').includes('..'))) {
      out.push({ field: `${f}.subPath`, value: m.subPath, allowed: 'a relative path without ".."' });
    }
  });
  return out;
}

/**
 * The port a server is started on: the last `--port N` or `--port=N` of its command line (vLLM's
 * and furiosa-llm's argparse take the last); undefined when it sets none.
 */
export function servedPort(c: Json): number | undefined {
  const argv = [...asArray(c.command), ...asArray(c.args)].map(String);
  let port: number | undefined;
  argv.forEach((a, i) => {
    const m = /^--port(?:=(\d+))?$/.exec(a);
    if (m) port = Number(m[1] ?? argv[i + 1]);
  });
  return port !== undefined && Number.isInteger(port) ? port : undefined;
}

/**
 * A container that declares ports but not the one its server is started on: probes and Services
 * that name the declared port reach nothing (e.g. vLLM on 8200 behind the routing sidecar,
 * declared as 8000).
 */
export function servedPortProblem(field: string, c: Json): Problem | undefined {
  const served = servedPort(c);
  const declared = asArray(c.ports).map((p) => asObject(p)?.containerPort).filter((n): n is number => typeof n === 'number');
  if (served === undefined || declared.length === 0 || declared.includes(served)) return undefined;
  return { field: `${field}.ports`, value: declared, allowed: `a port list that includes ${served}, the port the server is started with (--port ${served})` };
}

function containerProblems(field: string, c: Json, volumes: ReadonlySet<string>, init: boolean): Problem[] {
  const out: Problem[] = [];
  if (typeof c.name !== 'string' || !isDns1123Label(c.name)) {
    out.push({ field: `${field}.name`, value: c.name, allowed: 'a DNS-1123 label: at most 63 lower-case letters, digits and "-"' });
  }
  const image = imageReferenceProblem(`${field}.image`, c.image);
  if (image) out.push(image);
  out.push(...containerPortProblems(`${field}.ports`, asArray(c.ports)));
  out.push(...envProblems(`${field}.env`, asArray(c.env)));
  out.push(...controlCharacterProblems(field, c));
  out.push(...mountProblems(`${field}.volumeMounts`, asArray(c.volumeMounts), volumes));
  out.push(...resourceProblems(`${field}.resources`, asObject(c.resources)));
  const sidecar = init && c.restartPolicy === 'Always';
  for (const kind of ['liveness', 'readiness', 'startup'] as const) {
    const probe = asObject(c[`${kind}Probe`]);
    if (!probe) continue;
    if (init && !sidecar) out.push({ field: `${field}.${kind}Probe`, value: probe, allowed: 'no probe on an init container (only on a sidecar with restartPolicy: Always)' });
    else out.push(...probeProblems(`${field}.${kind}Probe`, probe, kind));
  }
  return out;
}

function volumeProblems(field: string, volumes: readonly unknown[]): { problems: Problem[]; names: Set<string> } {
  const out: Problem[] = [];
  const names = new Set<string>();
  volumes.forEach((raw, i) => {
    const v = asObject(raw);
    if (!v) return;
    const f = `${field}[${i}]`;
    if (typeof v.name !== 'string' || !isDns1123Label(v.name)) {
      out.push({ field: `${f}.name`, value: v.name, allowed: 'a DNS-1123 label: at most 63 lower-case letters, digits and "-"' });
    } else if (names.has(v.name)) {
      out.push({ field: `${f}.name`, value: v.name, allowed: 'each volume name once per pod' });
    } else names.add(v.name);
    const sources = Object.keys(v).filter((k) => k !== 'name' && v[k] !== undefined && v[k] !== null);
    if (sources.length > 1) out.push({ field: f, value: sources, allowed: 'one volume source per volume' });
    const emptyDir = asObject(v.emptyDir);
    if (emptyDir && emptyDir.sizeLimit !== undefined && emptyDir.sizeLimit !== null) {
      out.push(...resourceProblems(`${f}.emptyDir`, { limits: { sizeLimit: emptyDir.sizeLimit } }).map((p) => ({ ...p, field: `${f}.emptyDir.sizeLimit` })));
    }
  });
  return { problems: out, names };
}

/** One toleration: `Exists` takes no value, an empty key needs `Exists`, effects are the three the scheduler knows. */
export function tolerationProblems(field: string, t: Json): Problem[] {
  const out: Problem[] = [];
  const op = t.operator ?? 'Equal';
  const key = t.key ?? '';
  const value = t.value ?? '';
  if (op !== 'Equal' && op !== 'Exists') out.push({ field: `${field}.operator`, value: t.operator, allowed: 'Equal or Exists' });
  if (op === 'Exists' && value !== '') out.push({ field: `${field}.value`, value, allowed: 'no value with operator Exists' });
  if (key === '' && op !== 'Exists') out.push({ field: `${field}.operator`, value: op, allowed: 'Exists (an empty key matches every taint only with Exists)' });
  if (typeof key !== 'string' || (key !== '' && !isLabelKey(key))) out.push({ field: `${field}.key`, value: key, allowed: 'a qualified name such as furiosa.ai/npu' });
  if (op === 'Equal' && (typeof value !== 'string' || !isLabelValue(value))) out.push({ field: `${field}.value`, value, allowed: 'a label value: at most 63 alphanumerics, "-", "_", "."' });
  const effect = t.effect ?? '';
  if (effect !== '' && !TOLERATION_EFFECTS.includes(String(effect))) out.push({ field: `${field}.effect`, value: effect, allowed: `${TOLERATION_EFFECTS.join(', ')} or empty (every effect)` });
  if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute') {
    out.push({ field: `${field}.tolerationSeconds`, value: t.tolerationSeconds, allowed: 'tolerationSeconds only with effect NoExecute' });
  }
  return out;
}

/**
 * Ports that two running containers of one pod declare: only one of them can bind it (containers
 * of a pod share one network namespace). A port one container declares twice is
 * {@link portRepeats}'.
 */
function portConflicts(containers: ReadonlyArray<{ field: string; c: Json }>): Problem[] {
  const out: Problem[] = [];
  const owner = new Map<string, { name: string; field: string }>();
  for (const { field: cf, c } of containers) {
    asArray(c.ports).forEach((raw, i) => {
      const p = asObject(raw);
      if (!p || typeof p.containerPort !== 'number') return;
      const key = `${p.containerPort}/${String(p.protocol ?? 'TCP')}`;
      const first = owner.get(key);
      if (first !== undefined && first.field !== cf) {
        out.push({ field: `${cf}.ports[${i}].containerPort`, value: p.containerPort, allowed: `a port no other container of the pod uses (container ${first.name} has it; containers of a pod share one network namespace)`, why: 'only one process of the pod can bind it' });
      } else if (first === undefined) owner.set(key, { name: String(c.name), field: cf });
    });
  }
  return out;
}

/** Every rule of one pod spec; `field` is the spec's path in its object (`spec.template.spec`). */
export function podSpecProblems(field: string, spec: Json): Problem[] {
  const out: Problem[] = [];
  const { problems, names: volumes } = volumeProblems(`${field}.volumes`, asArray(spec.volumes));
  out.push(...problems);
  const names = new Set<string>();
  for (const [list, init] of [['initContainers', true], ['containers', false]] as const) {
    asArray(spec[list]).forEach((raw, i) => {
      const c = asObject(raw);
      if (!c) return;
      const f = `${field}.${list}[${i}]`;
      out.push(...containerProblems(f, c, volumes, init));
      if (typeof c.name === 'string') {
        if (names.has(c.name)) out.push({ field: `${f}.name`, value: c.name, allowed: 'a container name used once per pod' });
        names.add(c.name);
      }
    });
  }
  if (asArray(spec.containers).length === 0) out.push({ field: `${field}.containers`, value: spec.containers ?? [], allowed: 'at least one container' });
  asArray(spec.tolerations).forEach((raw, i) => {
    const t = asObject(raw);
    if (t) out.push(...tolerationProblems(`${field}.tolerations[${i}]`, t));
  });
  if (spec.terminationGracePeriodSeconds !== undefined && spec.terminationGracePeriodSeconds !== null) {
    const p = integerProblem(`${field}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds, 0, Number.MAX_SAFE_INTEGER, 'a non-negative number of seconds');
    if (p) out.push(p);
  }
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    const p = integerProblem(`${field}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 1, Number.MAX_SAFE_INTEGER, 'a positive number of seconds');
    if (p) out.push(p);
  }
  out.push(...checkLabels(`${field}.nodeSelector`, asObject(spec.nodeSelector) as Readonly<Record<string, string>> | undefined));
  asArray(spec.imagePullSecrets).forEach((raw, i) => {
    const s = asObject(raw);
    if (s && (typeof s.name !== 'string' || s.name === '')) out.push({ field: `${field}.imagePullSecrets[${i}].name`, value: s.name, allowed: 'the name of a Secret' });
  });
  return out;
}

/**
 * Mistakes the chart renders too (upstream examples have them), reported as warnings: a container
 * declaring ports but not the one it serves on; a number in exponent form below 10^19 on a command
 * line (Helm writes 1000000 from a values file as `1e+06`).
 */
export function podSpecWarnings(field: string, spec: Json): Problem[] {
  const out: Problem[] = [];
  asArray(spec.containers).forEach((raw, i) => {
    const c = asObject(raw);
    const p = c ? servedPortProblem(`${field}.containers[${i}]`, c) : undefined;
    if (p) out.push(p);
  });
  for (const list of ['initContainers', 'containers'] as const) {
    asArray(spec[list]).forEach((raw, i) => {
      const c = asObject(raw);
      if (c) out.push(...exponentArgProblems(`${field}.${list}[${i}]`, c, false));
    });
  }
  return out;
}

/**
 * What server-side apply rejects, or a program cannot start with, although the API server stores
 * it: list-map duplicates (env names, container ports, image pull secrets, host aliases, topology
 * spread constraints, resource claims, scheduling gates, volume devices), a port two containers
 * bind, a number in exponent form on a command line. Refused for the constructs; the CLI keeps a
 * chart's output that has them and warns.
 */
export function podSpecApplyProblems(field: string, spec: Json): Problem[] {
  const out: Problem[] = [];
  const running: Array<{ field: string; c: Json }> = [];
  for (const [list, init] of [['initContainers', true], ['containers', false]] as const) {
    asArray(spec[list]).forEach((raw, i) => {
      const c = asObject(raw);
      if (!c) return;
      const f = `${field}.${list}[${i}]`;
      out.push(...envRepeats(`${f}.env`, asArray(c.env)));
      out.push(...portRepeats(`${f}.ports`, asArray(c.ports)));
      out.push(...keyRepeats(`${f}.volumeDevices`, asArray(c.volumeDevices), (e) => str(e.devicePath), '.devicePath', 'each devicePath once per container', (e) => e.devicePath));
      out.push(...keyRepeats(`${f}.resources.claims`, asArray(asObject(c.resources)?.claims), (e) => str(e.name), '.name', 'each resource claim name once per container', (e) => e.name));
      out.push(...exponentArgProblems(f, c, true));
      if (!init || c.restartPolicy === 'Always') running.push({ field: f, c });
    });
  }
  out.push(...portConflicts(running));
  out.push(...keyRepeats(`${field}.imagePullSecrets`, asArray(spec.imagePullSecrets), (e) => str(e.name), '.name', 'each image pull secret once per pod', (e) => e.name));
  out.push(...keyRepeats(`${field}.hostAliases`, asArray(spec.hostAliases), (e) => str(e.ip), '.ip', 'each host alias IP once per pod (put more hostnames in one entry)', (e) => e.ip));
  out.push(...keyRepeats(`${field}.topologySpreadConstraints`, asArray(spec.topologySpreadConstraints), (e) => (typeof e.topologyKey === 'string' ? `${e.topologyKey} ${String(e.whenUnsatisfiable)}` : undefined), '', 'each topologyKey and whenUnsatisfiable once per pod', (e) => ({ topologyKey: e.topologyKey, whenUnsatisfiable: e.whenUnsatisfiable })));
  out.push(...keyRepeats(`${field}.resourceClaims`, asArray(spec.resourceClaims), (e) => str(e.name), '.name', 'each resource claim name once per pod', (e) => e.name));
  out.push(...keyRepeats(`${field}.schedulingGates`, asArray(spec.schedulingGates), (e) => str(e.name), '.name', 'each scheduling gate once per pod', (e) => e.name));
  return out;
}
