import { checkPodSecurity, checkPodSecurityBaseline, checkPodSecurityRestricted, formatPssFindings, PssFinding, podTemplates } from '../../src/testing';
import { caseNames, loadCase } from '../support';

type O = Record<string, any>;

const hardened = () => ({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });

/** A Pod that passes the restricted profile. */
function compliantPod(): O {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [{ name: 'init', image: 'busybox:1.36', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27',
          ports: [{ containerPort: 80 }],
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, readOnlyRootFilesystem: true },
        },
      ],
      volumes: [
        { name: 'a', emptyDir: {} },
        { name: 'b', configMap: { name: 'c' } },
        { name: 'c', secret: { secretName: 's' } },
        { name: 'd', persistentVolumeClaim: { claimName: 'pvc' } },
        { name: 'e', projected: { sources: [] } },
        { name: 'f', downwardAPI: { items: [] } },
        { name: 'g', csi: { driver: 'x' } },
        { name: 'h', ephemeral: { volumeClaimTemplate: { spec: {} } } },
      ],
    },
  };
}

/** A Pod whose only container is hardened at container level (pod-level context unset). */
function containerLevelPod(): O {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'x:1', securityContext: hardened() }] } };
}

const rules = (fs: PssFinding[]) => fs.map((f) => `${f.container || '<pod>'} ${f.level}/${f.rule}: ${f.message}`);

describe('checkPodSecurityRestricted', () => {
  test('a compliant pod has no findings (pod-level settings cover the containers)', () => {
    expect(checkPodSecurityRestricted([compliantPod()])).toEqual([]);
    expect(checkPodSecurityBaseline([compliantPod()])).toEqual([]);
  });

  test('a pod hardened at container level only has no findings', () => {
    expect(checkPodSecurityRestricted([containerLevelPod()])).toEqual([]);
  });

  test('an unhardened pod: every restricted rule per container, init containers included', () => {
    const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare' }, spec: { initContainers: [{ name: 'i', image: 'x' }], containers: [{ name: 'c', image: 'x' }] } };
    const f = checkPodSecurityRestricted([p]);
    expect(f[0]).toEqual({
      kind: 'Pod',
      name: 'bare',
      pod: 'spec',
      container: 'i',
      rule: 'allowPrivilegeEscalation',
      level: 'restricted',
      message: 'container must set securityContext.allowPrivilegeEscalation=false',
    });
    expect(rules(f)).toEqual([
      'i restricted/allowPrivilegeEscalation: container must set securityContext.allowPrivilegeEscalation=false',
      'c restricted/allowPrivilegeEscalation: container must set securityContext.allowPrivilegeEscalation=false',
      'i restricted/runAsNonRoot: pod or container must set securityContext.runAsNonRoot=true',
      'c restricted/runAsNonRoot: pod or container must set securityContext.runAsNonRoot=true',
      'i restricted/seccompProfile_restricted: pod or container must set securityContext.seccompProfile.type to RuntimeDefault or Localhost',
      'c restricted/seccompProfile_restricted: pod or container must set securityContext.seccompProfile.type to RuntimeDefault or Localhost',
      'i restricted/capabilities_restricted: container must set securityContext.capabilities.drop=["ALL"]',
      'c restricted/capabilities_restricted: container must set securityContext.capabilities.drop=["ALL"]',
    ]);
    // None of these are baseline violations.
    expect(checkPodSecurityBaseline([p])).toEqual([]);
  });

  /** Each case mutates the compliant pod and names the one finding it must produce. */
  const cases: [string, (p: O) => void, string][] = [
    ['hostProcess (pod)', (p) => (p.spec.securityContext.windowsOptions = { hostProcess: true }), '<pod> baseline/hostProcess: pod must not set securityContext.windowsOptions.hostProcess=true'],
    ['hostProcess (container)', (p) => (p.spec.containers[0].securityContext.windowsOptions = { hostProcess: true }), 'app baseline/hostProcess: container must not set securityContext.windowsOptions.hostProcess=true'],
    ['hostNetwork', (p) => (p.spec.hostNetwork = true), '<pod> baseline/hostNamespaces: pod must not set hostNetwork=true'],
    ['hostPID', (p) => (p.spec.hostPID = true), '<pod> baseline/hostNamespaces: pod must not set hostPID=true'],
    ['hostIPC', (p) => (p.spec.hostIPC = true), '<pod> baseline/hostNamespaces: pod must not set hostIPC=true'],
    ['privileged', (p) => (p.spec.initContainers[0].securityContext.privileged = true), 'init baseline/privileged: container must not set securityContext.privileged=true'],
    ['hostPort', (p) => (p.spec.containers[0].ports[0].hostPort = 80), 'app baseline/hostPorts: container must not set hostPort (80)'],
    ['appArmorProfile', (p) => (p.spec.containers[0].securityContext.appArmorProfile = { type: 'Unconfined' }), 'app baseline/appArmorProfile: container must not set securityContext.appArmorProfile.type=Unconfined; allowed: RuntimeDefault, Localhost'],
    ['appArmor annotation', (p) => (p.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' }), 'app baseline/appArmorProfile: annotation container.apparmor.security.beta.kubernetes.io/app="unconfined" is not allowed; allowed: runtime/default, localhost/*'],
    ['seLinuxOptions', (p) => (p.spec.securityContext.seLinuxOptions = { type: 'spc_t', user: 'root' }), '<pod> baseline/seLinuxOptions: pod must not set securityContext.seLinuxOptions type "spc_t" (allowed: container_t, container_init_t, container_kvm_t, container_engine_t), user "root"'],
    ['procMount', (p) => (p.spec.containers[0].securityContext.procMount = 'Unmasked'), 'app baseline/procMount: container must not set securityContext.procMount=Unmasked'],
    ['sysctls', (p) => (p.spec.securityContext.sysctls = [{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'kernel.msgmax', value: '1' }]), '<pod> baseline/sysctls: pod must not set sysctl "kernel.msgmax"; allowed: kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes, net.ipv4.tcp_rmem, net.ipv4.tcp_wmem'],
    ['probe host', (p) => (p.spec.containers[0].livenessProbe = { httpGet: { host: '10.0.0.1', port: 80 } }), 'app baseline/hostProbesAndHostLifecycle: container must not set livenessProbe.httpGet.host ("10.0.0.1")'],
    ['lifecycle host', (p) => (p.spec.containers[0].lifecycle = { preStop: { httpGet: { host: 'x', port: 80 } } }), 'app baseline/hostProbesAndHostLifecycle: container must not set lifecycle.preStop.httpGet.host ("x")'],
    ['hostPath volume', (p) => p.spec.volumes.push({ name: 'hp', hostPath: { path: '/' } }), '<pod> restricted/restrictedVolumes: volume "hp" must not use volume type hostPath; allowed: configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret'],
    ['nfs volume', (p) => p.spec.volumes.push({ name: 'n', nfs: { server: 's', path: '/' } }), '<pod> restricted/restrictedVolumes: volume "n" must not use volume type nfs; allowed: configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret'],
    ['allowPrivilegeEscalation unset', (p) => delete p.spec.containers[0].securityContext.allowPrivilegeEscalation, 'app restricted/allowPrivilegeEscalation: container must set securityContext.allowPrivilegeEscalation=false'],
    ['allowPrivilegeEscalation true', (p) => (p.spec.initContainers[0].securityContext.allowPrivilegeEscalation = true), 'init restricted/allowPrivilegeEscalation: container must set securityContext.allowPrivilegeEscalation=false'],
    ['runAsNonRoot false on container overrides pod', (p) => (p.spec.containers[0].securityContext.runAsNonRoot = false), 'app restricted/runAsNonRoot: container must not set securityContext.runAsNonRoot=false'],
    ['runAsUser 0 on pod', (p) => (p.spec.securityContext.runAsUser = 0), '<pod> restricted/runAsUser: pod must not set securityContext.runAsUser=0'],
    ['runAsUser 0 on container', (p) => (p.spec.containers[0].securityContext.runAsUser = 0), 'app restricted/runAsUser: container must not set securityContext.runAsUser=0'],
    ['seccomp Unconfined on container', (p) => (p.spec.containers[0].securityContext.seccompProfile = { type: 'Unconfined' }), 'app restricted/seccompProfile_restricted: container must not set securityContext.seccompProfile.type=Unconfined; allowed: RuntimeDefault, Localhost'],
    ['capabilities drop missing', (p) => (p.spec.containers[0].securityContext.capabilities.drop = ['NET_RAW']), 'app restricted/capabilities_restricted: container must set securityContext.capabilities.drop=["ALL"]'],
    ['capabilities add beyond NET_BIND_SERVICE', (p) => p.spec.containers[0].securityContext.capabilities.add.push('CHOWN'), 'app restricted/capabilities_restricted: container must not add capabilities "CHOWN"; only NET_BIND_SERVICE may be added'],
  ];

  test.each(cases)('%s', (_name, mutate, expected) => {
    const p = compliantPod();
    for (const c of p.spec.initContainers) c.securityContext ??= {};
    mutate(p);
    expect(rules(checkPodSecurityRestricted([p]))).toEqual([expected]);
  });

  test('runAsNonRoot=false on the pod is flagged, and so are the containers that rely on the pod', () => {
    const p = compliantPod();
    p.spec.securityContext.runAsNonRoot = false;
    p.spec.containers[0].securityContext.runAsNonRoot = true;
    expect(rules(checkPodSecurityRestricted([p]))).toEqual([
      '<pod> restricted/runAsNonRoot: pod must not set securityContext.runAsNonRoot=false',
      'init restricted/runAsNonRoot: pod or container must set securityContext.runAsNonRoot=true',
    ]);
  });

  test('seccomp Unconfined on the pod also flags containers that rely on it', () => {
    const p = compliantPod();
    p.spec.securityContext.seccompProfile.type = 'Unconfined';
    expect(rules(checkPodSecurityRestricted([p]))).toEqual([
      '<pod> restricted/seccompProfile_restricted: pod must not set securityContext.seccompProfile.type=Unconfined; allowed: RuntimeDefault, Localhost',
      'init restricted/seccompProfile_restricted: pod or container must set securityContext.seccompProfile.type to RuntimeDefault or Localhost',
      'app restricted/seccompProfile_restricted: pod or container must set securityContext.seccompProfile.type to RuntimeDefault or Localhost',
    ]);
  });

  test('Windows pods are exempt from the Linux-only restricted checks', () => {
    const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w' }, spec: { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'c', image: 'x' }] } };
    expect(checkPodSecurityRestricted([p])).toEqual([]);
  });
});

describe('checkPodSecurityBaseline', () => {
  test('baseline reports hostPath, unsafe capabilities and Unconfined seccomp with its own rule IDs', () => {
    const p = containerLevelPod();
    p.spec.volumes = [{ name: 'hp', hostPath: { path: '/dev' } }];
    p.spec.containers[0].securityContext.capabilities.add = ['CHOWN', 'SYS_ADMIN'];
    p.spec.containers[0].securityContext.seccompProfile.type = 'Unconfined';
    expect(rules(checkPodSecurityBaseline([p]))).toEqual([
      'app baseline/capabilities_baseline: container must not add capabilities "SYS_ADMIN"; allowed: AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT',
      '<pod> baseline/hostPathVolumes: volume "hp" must not be a hostPath volume',
      'app baseline/seccompProfile_baseline: container must not set securityContext.seccompProfile.type=Unconfined',
    ]);
    // In restricted, the stricter checks replace these.
    expect(checkPodSecurity([p], 'restricted').map((f) => f.rule)).toEqual(['restrictedVolumes', 'seccompProfile_restricted', 'capabilities_restricted']);
  });
});

describe('pod templates', () => {
  const spec = () => ({ containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] });
  const objects: O[] = [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: spec() } } },
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { template: { spec: spec() } } },
    { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds' }, spec: { template: { spec: spec() } } },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { template: { spec: spec() } } },
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: spec() } } },
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj' }, spec: { jobTemplate: { spec: { template: { spec: spec() } } } } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: spec() },
    {
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: { name: 'l' },
      spec: { leaderWorkerTemplate: { leaderTemplate: { spec: spec() }, workerTemplate: { spec: spec() } } },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: {} },
  ];

  test('every workload kind is checked, with the template path', () => {
    expect(checkPodSecurityBaseline(objects).map((f) => `${f.kind}/${f.name} ${f.pod} ${f.container} ${f.rule}`)).toEqual([
      'Deployment/d spec.template c privileged',
      'StatefulSet/s spec.template c privileged',
      'DaemonSet/ds spec.template c privileged',
      'ReplicaSet/rs spec.template c privileged',
      'Job/j spec.template c privileged',
      'CronJob/cj spec.jobTemplate.spec.template c privileged',
      'Pod/p spec c privileged',
      'LeaderWorkerSet/l spec.leaderWorkerTemplate.leaderTemplate c privileged',
      'LeaderWorkerSet/l spec.leaderWorkerTemplate.workerTemplate c privileged',
    ]);
  });

  test('podTemplates returns nothing for kinds without pods', () => {
    expect(podTemplates({ kind: 'Service', spec: { template: { spec: {} } } })).toEqual([]);
  });

  test('formatPssFindings', () => {
    expect(formatPssFindings(checkPodSecurityBaseline([objects[0]]))).toBe('Deployment/d spec.template container c [baseline/privileged]: container must not set securityContext.privileged=true');
  });
});

describe('golden Helm output (the "before" figure)', () => {
  test('restricted-profile findings per reference case', () => {
    const counts: Record<string, { total: number; baseline: number; byRule: Record<string, number> }> = {};
    for (const name of caseNames('')) {
      const f = checkPodSecurityRestricted(loadCase(name).expected);
      const byRule: Record<string, number> = {};
      for (const x of f) byRule[x.rule] = (byRule[x.rule] ?? 0) + 1;
      counts[name] = { total: f.length, baseline: f.filter((x) => x.level === 'baseline').length, byRule };
    }
    expect(counts).toMatchSnapshot();
  });
});
