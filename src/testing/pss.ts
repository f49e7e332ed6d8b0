/**
 * A linter for the Kubernetes Pod Security Standards (the checks of the pod-security admission
 * plugin at version 1.34), run over every pod spec in a list of manifests: Pods and the pod
 * templates of Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs and
 * LeaderWorkerSets (leader and worker templates). Init and ephemeral containers are included;
 * pod-level and container-level settings combine as the standard says (a container may leave
 * `runAsNonRoot` or `seccompProfile` unset when the pod sets them).
 *
 * The restricted profile includes the baseline one; as in the admission plugin, its stricter
 * checks replace the baseline ones they supersede (restrictedVolumes covers hostPathVolumes,
 * capabilities_restricted covers capabilities_baseline, seccompProfile_restricted covers
 * seccompProfile_baseline). Not modelled: the `hostUsers: false` relaxations (1.35+) and the
 * deprecated seccomp annotations.
 */
export type PssLevel = 'baseline' | 'restricted';

export interface PssFinding {
  /** Kind of the object holding the pod spec. */
  readonly kind: string;
  /** `metadata.name` of that object. */
  readonly name: string;
  /** Path of the pod template inside the object (`spec.template`, `spec` for a Pod, ...). */
  readonly pod: string;
  /** Container name, or `` for a pod-level finding. */
  readonly container: string;
  /** The admission plugin's check ID, e.g. `runAsNonRoot`, `capabilities_restricted`. */
  readonly rule: string;
  /** The profile the rule belongs to. */
  readonly level: PssLevel;
  readonly message: string;
}

/** Findings of the restricted profile (which includes baseline). */
export function checkPodSecurityRestricted(objects: readonly object[]): PssFinding[] {
  return checkPodSecurity(objects, 'restricted');
}

/** Findings of the baseline profile only. */
export function checkPodSecurityBaseline(objects: readonly object[]): PssFinding[] {
  return checkPodSecurity(objects, 'baseline');
}

/** Findings of the given profile. */
export function checkPodSecurity(objects: readonly object[], level: PssLevel): PssFinding[] {
  const out: PssFinding[] = [];
  for (const o of objects) {
    const obj = o as Obj;
    const kind = typeof obj.kind === 'string' ? obj.kind : '<no kind>';
    const name = isObj(obj.metadata) && typeof obj.metadata.name === 'string' ? obj.metadata.name : '<no name>';
    for (const t of podTemplates(obj)) {
      for (const f of checkPod(t.metadata, t.spec, level)) out.push({ kind, name, pod: t.path, ...f });
    }
  }
  return out;
}

/** One line per finding: `Kind/name pod container [level/rule]: message`. */
export function formatPssFindings(findings: readonly PssFinding[]): string {
  return findings.map((f) => `${f.kind}/${f.name} ${f.pod}${f.container ? ` container ${f.container}` : ''} [${f.level}/${f.rule}]: ${f.message}`).join('\n');
}

// ---------------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

interface PodTemplate {
  readonly path: string;
  readonly metadata: Obj;
  readonly spec: Obj;
}

const TEMPLATE_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']);

/** The pod specs of a manifest, with the metadata that goes with each. */
export function podTemplates(obj: Readonly<Record<string, unknown>>): { path: string; metadata: Record<string, unknown>; spec: Record<string, unknown> }[] {
  const out: PodTemplate[] = [];
  const spec = isObj(obj.spec) ? obj.spec : undefined;
  const tpl = (t: unknown, p: string) => {
    if (isObj(t) && isObj(t.spec)) out.push({ path: p, metadata: isObj(t.metadata) ? t.metadata : {}, spec: t.spec });
  };
  const kind = obj.kind;
  if (kind === 'Pod' && spec) out.push({ path: 'spec', metadata: isObj(obj.metadata) ? obj.metadata : {}, spec });
  else if (kind === 'PodTemplate') tpl(obj.template, 'template');
  else if (typeof kind === 'string' && TEMPLATE_KINDS.has(kind) && spec) tpl(spec.template, 'spec.template');
  else if (kind === 'CronJob' && spec && isObj(spec.jobTemplate) && isObj(spec.jobTemplate.spec)) tpl(spec.jobTemplate.spec.template, 'spec.jobTemplate.spec.template');
  else if (kind === 'LeaderWorkerSet' && spec && isObj(spec.leaderWorkerTemplate)) {
    tpl(spec.leaderWorkerTemplate.leaderTemplate, 'spec.leaderWorkerTemplate.leaderTemplate');
    tpl(spec.leaderWorkerTemplate.workerTemplate, 'spec.leaderWorkerTemplate.workerTemplate');
  }
  return out;
}

/** A finding of one pod spec, before it is attributed to an object. */
export type PodFinding = Omit<PssFinding, 'kind' | 'name' | 'pod'>;

interface Container {
  readonly name: string;
  readonly c: Obj;
  readonly sc: Obj;
}

const BASELINE_CAPS = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret']);
const GOOD_SECCOMP = new Set(['RuntimeDefault', 'Localhost']);

/** The checks of one pod spec. */
export function checkPod(metadata: Readonly<Record<string, unknown>>, spec: Readonly<Record<string, unknown>>, level: PssLevel): PodFinding[] {
  const out: PodFinding[] = [];
  const restricted = level === 'restricted';
  const add = (lvl: PssLevel, rule: string, container: string, message: string) => out.push({ level: lvl, rule, container, message });
  const psc = isObj(spec.securityContext) ? spec.securityContext : {};
  const containers: Container[] = [];
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (isObj(c)) containers.push({ name: typeof c.name === 'string' ? c.name : `<${field}>`, c, sc: isObj(c.securityContext) ? c.securityContext : {} });
    }
  }
  const windows = isObj(spec.os) && spec.os.name === 'windows';

  // ---- baseline
  if (isObj(psc.windowsOptions) && psc.windowsOptions.hostProcess === true) add('baseline', 'hostProcess', '', 'pod must not set securityContext.windowsOptions.hostProcess=true');
  for (const k of containers) {
    if (isObj(k.sc.windowsOptions) && k.sc.windowsOptions.hostProcess === true) add('baseline', 'hostProcess', k.name, 'container must not set securityContext.windowsOptions.hostProcess=true');
  }
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[f] === true) add('baseline', 'hostNamespaces', '', `pod must not set ${f}=true`);
  }
  for (const k of containers) {
    if (k.sc.privileged === true) add('baseline', 'privileged', k.name, 'container must not set securityContext.privileged=true');
  }
  if (!restricted) {
    for (const k of containers) {
      const bad = capsAdd(k.sc).filter((c) => !BASELINE_CAPS.has(c));
      if (bad.length) add('baseline', 'capabilities_baseline', k.name, `container must not add capabilities ${bad.map((c) => `"${c}"`).join(', ')}; allowed: ${[...BASELINE_CAPS].join(', ')}`);
    }
  }
  const volumes = Array.isArray(spec.volumes) ? spec.volumes.filter(isObj) : [];
  if (!restricted) {
    for (const v of volumes) {
      if (v.hostPath !== undefined && v.hostPath !== null) add('baseline', 'hostPathVolumes', '', `volume "${String(v.name)}" must not be a hostPath volume`);
    }
  }
  for (const k of containers) {
    for (const p of Array.isArray(k.c.ports) ? k.c.ports.filter(isObj) : []) {
      if (typeof p.hostPort === 'number' && p.hostPort !== 0) add('baseline', 'hostPorts', k.name, `container must not set hostPort (${p.hostPort})`);
    }
  }
  const appArmorBad = (sc: Obj) => isObj(sc.appArmorProfile) && sc.appArmorProfile.type !== undefined && !GOOD_SECCOMP.has(String(sc.appArmorProfile.type));
  if (appArmorBad(psc)) add('baseline', 'appArmorProfile', '', `pod must not set securityContext.appArmorProfile.type=${String((psc.appArmorProfile as Obj).type)}; allowed: RuntimeDefault, Localhost`);
  for (const k of containers) {
    if (appArmorBad(k.sc)) add('baseline', 'appArmorProfile', k.name, `container must not set securityContext.appArmorProfile.type=${String((k.sc.appArmorProfile as Obj).type)}; allowed: RuntimeDefault, Localhost`);
  }
  const annotations = isObj(metadata.annotations) ? metadata.annotations : {};
  for (const [key, value] of Object.entries(annotations)) {
    const prefix = 'container.apparmor.security.beta.kubernetes.io/';
    if (key.startsWith(prefix) && typeof value === 'string' && value !== '' && value !== 'runtime/default' && !value.startsWith('localhost/')) {
      add('baseline', 'appArmorProfile', key.slice(prefix.length), `annotation ${key}="${value}" is not allowed; allowed: runtime/default, localhost/*`);
    }
  }
  const seLinuxBad = (sc: Obj): string | undefined => {
    const o = isObj(sc.seLinuxOptions) ? sc.seLinuxOptions : undefined;
    if (!o) return undefined;
    const bad: string[] = [];
    if (typeof o.type === 'string' && !SELINUX_TYPES.has(o.type)) bad.push(`type "${o.type}" (allowed: ${[...SELINUX_TYPES].filter(Boolean).join(', ')})`);
    if (typeof o.user === 'string' && o.user !== '') bad.push(`user "${o.user}"`);
    if (typeof o.role === 'string' && o.role !== '') bad.push(`role "${o.role}"`);
    return bad.length ? `must not set securityContext.seLinuxOptions ${bad.join(', ')}` : undefined;
  };
  const podSe = seLinuxBad(psc);
  if (podSe) add('baseline', 'seLinuxOptions', '', `pod ${podSe}`);
  for (const k of containers) {
    const m = seLinuxBad(k.sc);
    if (m) add('baseline', 'seLinuxOptions', k.name, `container ${m}`);
  }
  for (const k of containers) {
    if (k.sc.procMount !== undefined && k.sc.procMount !== 'Default') add('baseline', 'procMount', k.name, `container must not set securityContext.procMount=${String(k.sc.procMount)}`);
  }
  if (!restricted) {
    const unconfined = (sc: Obj) => isObj(sc.seccompProfile) && sc.seccompProfile.type === 'Unconfined';
    if (unconfined(psc)) add('baseline', 'seccompProfile_baseline', '', 'pod must not set securityContext.seccompProfile.type=Unconfined');
    for (const k of containers) {
      if (unconfined(k.sc)) add('baseline', 'seccompProfile_baseline', k.name, 'container must not set securityContext.seccompProfile.type=Unconfined');
    }
  }
  for (const s of Array.isArray(psc.sysctls) ? psc.sysctls.filter(isObj) : []) {
    if (!SAFE_SYSCTLS.has(String(s.name))) add('baseline', 'sysctls', '', `pod must not set sysctl "${String(s.name)}"; allowed: ${[...SAFE_SYSCTLS].join(', ')}`);
  }
  for (const k of containers) {
    for (const [field, probe] of [['livenessProbe', k.c.livenessProbe], ['readinessProbe', k.c.readinessProbe], ['startupProbe', k.c.startupProbe]] as const) {
      for (const h of ['httpGet', 'tcpSocket']) {
        if (isObj(probe) && isObj(probe[h]) && typeof probe[h].host === 'string' && probe[h].host !== '') {
          add('baseline', 'hostProbesAndHostLifecycle', k.name, `container must not set ${field}.${h}.host ("${probe[h].host}")`);
        }
      }
    }
    const lc = isObj(k.c.lifecycle) ? k.c.lifecycle : {};
    for (const hook of ['postStart', 'preStop']) {
      for (const h of ['httpGet', 'tcpSocket']) {
        const handler = lc[hook];
        if (isObj(handler) && isObj(handler[h]) && typeof handler[h].host === 'string' && handler[h].host !== '') {
          add('baseline', 'hostProbesAndHostLifecycle', k.name, `container must not set lifecycle.${hook}.${h}.host ("${handler[h].host}")`);
        }
      }
    }
  }
  if (!restricted) return out;

  // ---- restricted
  for (const v of volumes) {
    const types = Object.keys(v).filter((t) => t !== 'name' && v[t] !== null && v[t] !== undefined);
    const bad = types.filter((t) => !RESTRICTED_VOLUMES.has(t));
    if (bad.length) add('restricted', 'restrictedVolumes', '', `volume "${String(v.name)}" must not use volume type ${bad.join(', ')}; allowed: ${[...RESTRICTED_VOLUMES].join(', ')}`);
  }
  if (!windows) {
    for (const k of containers) {
      if (k.sc.allowPrivilegeEscalation !== false) add('restricted', 'allowPrivilegeEscalation', k.name, 'container must set securityContext.allowPrivilegeEscalation=false');
    }
  }
  const podNonRoot = psc.runAsNonRoot;
  if (podNonRoot === false) add('restricted', 'runAsNonRoot', '', 'pod must not set securityContext.runAsNonRoot=false');
  for (const k of containers) {
    if (k.sc.runAsNonRoot === false) add('restricted', 'runAsNonRoot', k.name, 'container must not set securityContext.runAsNonRoot=false');
    else if (k.sc.runAsNonRoot !== true && podNonRoot !== true) add('restricted', 'runAsNonRoot', k.name, 'pod or container must set securityContext.runAsNonRoot=true');
  }
  if (psc.runAsUser === 0) add('restricted', 'runAsUser', '', 'pod must not set securityContext.runAsUser=0');
  for (const k of containers) {
    if (k.sc.runAsUser === 0) add('restricted', 'runAsUser', k.name, 'container must not set securityContext.runAsUser=0');
  }
  if (!windows) {
    const type = (sc: Obj) => (isObj(sc.seccompProfile) ? sc.seccompProfile.type : undefined);
    const podType = type(psc);
    if (podType !== undefined && !GOOD_SECCOMP.has(String(podType))) add('restricted', 'seccompProfile_restricted', '', `pod must not set securityContext.seccompProfile.type=${String(podType)}; allowed: RuntimeDefault, Localhost`);
    for (const k of containers) {
      const t = type(k.sc);
      if (t !== undefined && !GOOD_SECCOMP.has(String(t))) add('restricted', 'seccompProfile_restricted', k.name, `container must not set securityContext.seccompProfile.type=${String(t)}; allowed: RuntimeDefault, Localhost`);
      else if (t === undefined && !GOOD_SECCOMP.has(String(podType))) add('restricted', 'seccompProfile_restricted', k.name, 'pod or container must set securityContext.seccompProfile.type to RuntimeDefault or Localhost');
    }
    for (const k of containers) {
      const caps = isObj(k.sc.capabilities) ? k.sc.capabilities : {};
      const drop = Array.isArray(caps.drop) ? caps.drop : [];
      if (!drop.includes('ALL')) add('restricted', 'capabilities_restricted', k.name, 'container must set securityContext.capabilities.drop=["ALL"]');
      const bad = capsAdd(k.sc).filter((c) => c !== 'NET_BIND_SERVICE');
      if (bad.length) add('restricted', 'capabilities_restricted', k.name, `container must not add capabilities ${bad.map((c) => `"${c}"`).join(', ')}; only NET_BIND_SERVICE may be added`);
    }
  }
  return out;
}

function capsAdd(sc: Obj): string[] {
  const caps = isObj(sc.capabilities) ? sc.capabilities : {};
  return Array.isArray(caps.add) ? caps.add.map(String) : [];
}

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
