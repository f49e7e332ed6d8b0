import { Chart } from 'cdk8s';
import { IModelServer, IModelStorage } from '../../src/core/contracts';
import { DEFAULT_FURIOSA_LLM_IMAGE, FuriosaModelService, FuriosaModelServiceProps } from '../../src/model-service';
import { expectContains, expectRefusal, loadCase, newChart, objectOf, problemsFrom, synth } from '../support';

const MODEL = 'furiosa-ai/Llama-3.1-8B-Instruct';

function render(props: FuriosaModelServiceProps, id = 'ms', ns = 'llm-d'): { ms: FuriosaModelService; objects: Record<string, any>[]; chart: Chart } {
  const { chart } = newChart(ns);
  const ms = new FuriosaModelService(chart, id, props);
  return { ms, objects: synth(chart), chart };
}

function podSpec(objects: Record<string, any>[]): Record<string, any> {
  return objectOf(objects, 'Deployment').spec.template.spec;
}

function container(objects: Record<string, any>[], i = 0): Record<string, any> {
  return podSpec(objects).containers[i];
}

describe('seed 000 as typed props', () => {
  test('gives the same result as the guide values (< 25 lines of TS)', () => {
    const { chart } = newChart('llm-d');
    // --- the user's code ---
    new FuriosaModelService(chart, 'ms', {
      modelArtifacts: {
        name: 'furiosa-ai/Llama-3.1-8B-Instruct',
        uri: 'pvc+hf://model-pvc/furiosa-ai/Llama-3.1-8B-Instruct',
        authSecret: { name: 'hf-token-secret' },
      },
      decode: {
        replicas: 2,
        parallelism: { tensor: 8 },
        containers: [{ image: 'furiosaai/furiosa-llm:latest', args: ['--enable-prefix-caching', '--disable-uvicorn-access-log'] }],
      },
    });
    // --- end ---
    expectContains(loadCase('furiosa-seed000').expected, synth(chart));
  });

  test('snapshot of the minimal service (pinned image, guide probes, hardening)', () => {
    const { objects } = render({ modelArtifacts: { name: MODEL, uri: `pvc+hf://model-pvc/${MODEL}`, authSecret: { name: 'hf-token-secret' } }, decode: { replicas: 2, parallelism: { tensor: 8 } } });
    expect(objects).toMatchSnapshot();
    expect(container(objects).image).toBe(DEFAULT_FURIOSA_LLM_IMAGE);
    expect(DEFAULT_FURIOSA_LLM_IMAGE).not.toMatch(/:latest$/);
  });
});

describe('IModelServer and names', () => {
  test('typed outputs', () => {
    const { ms } = render({ modelArtifacts: { name: MODEL, uri: `hf://${MODEL}` }, decode: { parallelism: { tensor: 8, data: 2 } } });
    const server: IModelServer = ms;
    expect(server.podLabels).toEqual({ 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': 'Llama-3.1-8B-Instruct', 'llm-d.ai/role': 'decode' });
    expect(server.servingPort).toBe(8000);
    expect(server.modelName).toBe(MODEL);
    expect(server.podNamespace).toBe('llm-d');
    expect(server.metricsFlavor).toBe('furiosa');
    expect(ms.deploymentName).toBe('ms-llm-d-modelservice-decode');
    expect(ms.serviceAccountName).toBe('ms-llm-d-modelservice');
    expect(ms.rngdPerPod).toBe(2);
  });

  test('releaseName, fullnameOverride, namespace', () => {
    expect(render({ releaseName: 'llama', modelArtifacts: { name: MODEL, uri: `hf://${MODEL}` } }).ms.deploymentName).toBe('llama-llm-d-modelservice-decode');
    expect(render({ releaseName: 'my-llm-d-modelservice', modelArtifacts: { name: MODEL, uri: `hf://${MODEL}` } }).ms.fullname).toBe('my-llm-d-modelservice');
    const { objects, ms } = render({ fullnameOverride: 'llama', namespace: 'models', modelArtifacts: { name: MODEL, uri: `hf://${MODEL}` } });
    expect(ms.deploymentName).toBe('llama-decode');
    expect(objectOf(objects, 'ServiceAccount', 'llama').metadata.namespace).toBe('models');
    expect(objectOf(objects, 'Deployment', 'llama-decode').metadata.namespace).toBe('models');
    expect(podSpec(objects).serviceAccountName).toBe('llama');
  });

  test('namespace defaults to "default" without a chart namespace', () => {
    const { chart } = newChart();
    const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: { name: MODEL, uri: `hf://${MODEL}` } });
    expect(ms.namespace).toBe('default');
  });

  test('serviceAccount reference: no ServiceAccount', () => {
    const { objects, ms } = render({ serviceAccount: { name: 'existing' }, modelArtifacts: { name: MODEL, uri: `hf://${MODEL}` } });
    expect(objects.filter((o) => o.kind === 'ServiceAccount')).toEqual([]);
    expect(podSpec(objects).serviceAccountName).toBe('existing');
    expect(ms.serviceAccountName).toBe('existing');
  });
});

describe('model artifacts', () => {
  test('hf:// with authSecret and size', () => {
    const { objects } = render({ modelArtifacts: { name: MODEL, uri: `hf://${MODEL}`, authSecret: { name: 'hf' }, size: '40Gi' } });
    const c = container(objects);
    expect(c.args.slice(0, 3)).toEqual([MODEL, '--port', '8000']);
    expect(c.env).toEqual(expect.arrayContaining([{ name: 'HF_HOME', value: '/model-cache' }, { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'HF_TOKEN' } } }]));
    expect(podSpec(objects).volumes).toContainEqual({ name: 'model-storage', emptyDir: { sizeLimit: '40Gi' } });
    expect(c.volumeMounts).toEqual([{ name: 'model-storage', mountPath: '/model-cache' }]);
  });

  test('hf:// without size: no size limit; no token', () => {
    const { objects } = render({ modelArtifacts: { name: MODEL, uri: `hf://${MODEL}` } });
    expect(podSpec(objects).volumes).toContainEqual({ name: 'model-storage', emptyDir: { sizeLimit: '0' } });
    expect(container(objects).env.map((e: any) => e.name)).toEqual(['DP_SIZE', 'TP_SIZE', 'PP_SIZE', 'HF_HOME']);
  });

  test('pvc:// with a custom mountPath', () => {
    const { objects } = render({ modelArtifacts: { name: MODEL, uri: 'pvc://models/llama-8b', mountPath: '/models' } });
    const c = container(objects);
    expect(c.args[0]).toBe('/models/llama-8b');
    expect(c.volumeMounts).toEqual([{ name: 'model-storage', mountPath: '/models', readOnly: true }]);
    expect(podSpec(objects).volumes).toContainEqual({ name: 'model-storage', persistentVolumeClaim: { claimName: 'models', readOnly: true } });
    expect(c.env.map((e: any) => e.name)).toEqual(['DP_SIZE', 'TP_SIZE', 'PP_SIZE']);
  });

  test('pvc+hf:// with a hub cache path', () => {
    const { objects } = render({ modelArtifacts: { name: MODEL, uri: `pvc+hf://model-pvc/hub/${MODEL}` } });
    expect(container(objects).env).toContainEqual({ name: 'HF_HUB_CACHE', value: '/model-cache/hub' });
    expect(container(objects).args[0]).toBe(MODEL);
  });

  test('an IModelStorage maps to pvc+hf:// and gives the token secret', () => {
    const storage: IModelStorage = { claimName: 'model-pvc', claimNamespace: 'llm-d', hubCachePath: 'hub', repoId: MODEL, tokenSecret: { name: 'hf-token-secret' } };
    const { objects, ms } = render({ modelArtifacts: { name: MODEL, storage } });
    expect(ms.modelUri).toEqual({ scheme: 'pvc+hf', uri: `pvc+hf://model-pvc/hub/${MODEL}`, claimName: 'model-pvc', hubCachePath: 'hub', repoId: MODEL });
    const c = container(objects);
    expect(c.env).toContainEqual({ name: 'HF_HUB_CACHE', value: '/model-cache/hub' });
    expect(c.env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token-secret', key: 'HF_TOKEN' } } });
    // authSecret wins over the storage's secret
    const other = render({ modelArtifacts: { name: MODEL, storage, authSecret: { name: 'mine' } } });
    expect(container(other.objects).env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'mine', key: 'HF_TOKEN' } } });
  });

  test('storage without repoId uses the model name', () => {
    const { ms } = render({ modelArtifacts: { name: MODEL, storage: { claimName: 'c', claimNamespace: 'llm-d', hubCachePath: '' } } });
    expect(ms.modelUri.uri).toBe(`pvc+hf://c/${MODEL}`);
  });

  test('labels replace the default; llm-d.ai/role is added', () => {
    const { objects } = render({ modelArtifacts: { name: MODEL, uri: `hf://${MODEL}`, labels: { app: 'llama' } } });
    const d = objectOf(objects, 'Deployment');
    expect(d.spec.selector.matchLabels).toEqual({ app: 'llama', 'llm-d.ai/role': 'decode' });
    expect(d.spec.template.metadata.labels).toEqual({ app: 'llama', 'llm-d.ai/role': 'decode' });
  });
});

describe('decode', () => {
  const art = { name: MODEL, uri: `pvc+hf://model-pvc/${MODEL}` };

  test('parallelism: args, env and RNGD count', () => {
    const { objects } = render({ modelArtifacts: art, decode: { parallelism: { tensor: 8, data: 2, pipeline: 2 } } });
    const c = container(objects);
    expect(c.args).toEqual([MODEL, '--port', '8000', '--tensor-parallel-size', '8', '--data-parallel-size', '2', '--pipeline-parallel-size', '2']);
    expect(c.env.slice(0, 3)).toEqual([{ name: 'DP_SIZE', value: '2' }, { name: 'TP_SIZE', value: '8' }, { name: 'PP_SIZE', value: '2' }]);
    expect(c.resources.limits['furiosa.ai/rngd']).toBe('4');
    expect(c.resources.requests['furiosa.ai/rngd']).toBe('4');
  });

  test('default parallelism is the chart\'s tensor 4 (one RNGD)', () => {
    const { objects, ms } = render({ modelArtifacts: art });
    expect(container(objects).args).toEqual([MODEL, '--port', '8000', '--tensor-parallel-size', '4']);
    expect(ms.rngdPerPod).toBe(1);
    expect(objectOf(objects, 'Deployment').spec.replicas).toBe(1);
  });

  test('workers > 1 changes nothing with a Deployment (as in the chart)', () => {
    const a = render({ modelArtifacts: art, decode: { parallelism: { tensor: 8 } } }).objects;
    const b = render({ modelArtifacts: art, decode: { parallelism: { tensor: 8, workers: 4 } } }).objects;
    expect(b).toEqual(a);
  });

  test('user resources merge with the RNGD count; default requests only where unset', () => {
    const { objects } = render({
      modelArtifacts: art,
      decode: { parallelism: { tensor: 8 }, containers: [{ resources: { limits: { memory: '64Gi', 'furiosa.ai/rngd': '3' }, requests: { cpu: '16' } } }] },
    });
    expect(container(objects).resources).toEqual({ limits: { memory: '64Gi', 'furiosa.ai/rngd': '1' }, requests: { cpu: '16', 'furiosa.ai/rngd': '1' } });
  });

  test('defaultResourceRequests: false', () => {
    const { objects } = render({ modelArtifacts: art, decode: { containers: [{ defaultResourceRequests: false }] } });
    expect(container(objects).resources).toEqual({ limits: { 'furiosa.ai/rngd': '1' }, requests: { 'furiosa.ai/rngd': '1' } });
  });

  test('custom command', () => {
    const { objects } = render({
      modelArtifacts: art,
      decode: { containers: [{ modelCommand: 'custom', command: ['/bin/sh', '-c'], args: ['furiosa-llm serve x'], ports: [{ containerPort: 8000, name: 'http' }] }] },
    });
    const c = container(objects);
    expect(c.command).toEqual(['/bin/sh', '-c']);
    expect(c.args).toEqual(['furiosa-llm serve x']);
    expect(c.startupProbe).toBeUndefined();
    expect(c.volumeMounts).toBeUndefined();
    expect(c.resources.limits).toEqual({ 'furiosa.ai/rngd': '1' });
  });

  test('imageDefault: no command, args as given', () => {
    const { objects } = render({ modelArtifacts: art, decode: { containers: [{ modelCommand: 'imageDefault', args: ['--foo'] }] } });
    expect(container(objects).command).toBeUndefined();
    expect(container(objects).args).toEqual(['--foo']);
  });

  test('probes: explicit ones win, defaultProbes: false drops the guide\'s', () => {
    const mine = { httpGet: { path: '/ready', port: 'furiosa-llm' }, periodSeconds: 1 };
    const a = container(render({ modelArtifacts: art, decode: { containers: [{ readinessProbe: mine }] } }).objects);
    expect(a.readinessProbe).toEqual(mine);
    expect(a.livenessProbe.httpGet.path).toBe('/health');
    const b = container(render({ modelArtifacts: art, decode: { containers: [{ defaultProbes: false }] } }).objects);
    expect(b.readinessProbe).toBeUndefined();
    expect(b.startupProbe).toBeUndefined();
  });

  test('ports: default port follows the serving port; custom port numbers in probes', () => {
    const c = container(render({ modelArtifacts: art, routing: { servicePort: 9000 } }).objects);
    expect(c.ports).toEqual([{ containerPort: 9000, name: 'furiosa-llm', protocol: 'TCP' }]);
    expect(c.args.slice(1, 3)).toEqual(['--port', '9000']);
    const d = container(render({ modelArtifacts: art, decode: { containers: [{ ports: [{ containerPort: 8000 }] }] } }).objects);
    expect(d.startupProbe.httpGet.port).toBe(8000);
  });

  test('env, volumes, mounts, init containers, pod fields', () => {
    const { objects } = render({
      modelArtifacts: art,
      decode: {
        containers: [{ env: [{ name: 'FURIOSA_LOG_LEVEL', value: 'info' }], volumeMounts: [{ name: 'shm', mountPath: '/dev/shm' }], imagePullPolicy: 'IfNotPresent' }],
        volumes: [{ name: 'shm', emptyDir: { medium: 'Memory' } }],
        initContainers: [{ name: 'wait', image: 'busybox:1.36', command: ['true'] }],
        annotations: { a: 'b' },
        podAnnotations: { c: 'd' },
        nodeSelector: { 'furiosa.ai/rngd.present': 'true' },
        tolerations: [{ key: 'furiosa.ai/rngd', operator: 'Exists', effect: 'NoSchedule' }],
        schedulerName: 'my-scheduler',
        imagePullSecrets: [{ name: 'regcred' }],
        enableServiceLinks: false,
        terminationGracePeriodSeconds: 60,
        podSecurityContext: { fsGroup: 1000 },
        extraConfig: { priorityClassName: 'high', automountServiceAccountToken: true },
      },
    });
    const d = objectOf(objects, 'Deployment');
    const pod = d.spec.template.spec;
    expect(d.metadata.annotations).toEqual({ a: 'b' });
    expect(d.spec.template.metadata.annotations).toEqual({ c: 'd' });
    expect(pod.nodeSelector).toEqual({ 'furiosa.ai/rngd.present': 'true' });
    expect(pod.tolerations).toHaveLength(1);
    expect(pod.schedulerName).toBe('my-scheduler');
    expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.terminationGracePeriodSeconds).toBe(60);
    expect(pod.securityContext).toEqual({ fsGroup: 1000 });
    expect(pod.priorityClassName).toBe('high');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['shm', 'model-storage']);
    const c = pod.containers[0];
    expect(c.env[0]).toEqual({ name: 'FURIOSA_LOG_LEVEL', value: 'info' });
    expect(c.volumeMounts).toEqual([{ name: 'shm', mountPath: '/dev/shm' }, { name: 'model-storage', mountPath: '/model-cache', readOnly: true }]);
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    const init = pod.initContainers[0];
    expect(init).toMatchObject({ name: 'wait', image: 'busybox:1.36', command: ['true'], resources: { requests: { cpu: '100m', memory: '128Mi' } } });
    expect(init.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  test('acceleratorTypes: required node affinity', () => {
    const pod = podSpec(render({ modelArtifacts: art, decode: { acceleratorTypes: { labelKey: 'furiosa.ai/product', labelValues: ['rngd'] } } }).objects);
    expect(pod.affinity).toEqual({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'furiosa.ai/product', operator: 'In', values: ['rngd'] }] }] } },
    });
    const noValues = podSpec(render({ modelArtifacts: art, decode: { acceleratorTypes: { labelKey: 'furiosa.ai/product' } } }).objects);
    expect(noValues.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]).toEqual({ key: 'furiosa.ai/product', operator: 'In' });
  });

  test('container extraConfig merges and overrides library defaults', () => {
    const c = container(render({ modelArtifacts: art, decode: { containers: [{ extraConfig: { lifecycle: { preStop: { sleep: { seconds: 5 } } }, securityContext: { privileged: false } } }] } }).objects);
    expect(c.lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(c.securityContext).toMatchObject({ privileged: false, allowPrivilegeEscalation: false });
  });

  test('decode.create: false renders only the ServiceAccount', () => {
    const { objects } = render({ modelArtifacts: art, decode: { create: false, monitoring: { podmonitor: { enabled: true } } } });
    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount']);
  });
});

describe('hardening', () => {
  const art = { name: MODEL, uri: `hf://${MODEL}` };
  test('defaults: no privilege escalation, no capabilities, seccomp left to the node (RNGD io_uring), root allowed, no token', () => {
    const { objects } = render({ modelArtifacts: art });
    expect(container(objects).securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(podSpec(objects).automountServiceAccountToken).toBe(false);
  });
  test('runAsNonRoot option', () => {
    const sc = container(render({ modelArtifacts: art, decode: { hardening: { runAsNonRoot: true, runAsUser: 1000 } } }).objects).securityContext;
    expect(sc).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
  });
  test('opt-out and user securityContext', () => {
    expect(container(render({ modelArtifacts: art, decode: { hardening: { enabled: false } } }).objects).securityContext).toBeUndefined();
    const sc = container(render({ modelArtifacts: art, decode: { containers: [{ securityContext: { capabilities: { add: ['IPC_LOCK'] } } }] } }).objects).securityContext;
    expect(sc).toEqual({ allowPrivilegeEscalation: false, capabilities: { add: ['IPC_LOCK'] } });
  });
  test('seccompProfile option', () => {
    const sc = container(render({ modelArtifacts: art, decode: { hardening: { seccompProfile: { type: 'Localhost', localhostProfile: 'rngd.json' } } } }).objects).securityContext;
    expect(sc.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'rngd.json' });
  });
});

describe('accelerator, DRA, routing, monitoring', () => {
  const art = { name: MODEL, uri: `pvc+hf://model-pvc/${MODEL}` };

  test('accelerator type cpu, custom resource name, accelerator env', () => {
    const cpu = container(render({ modelArtifacts: art, accelerator: { type: 'cpu', env: [{ name: 'X', value: '1' }] } }).objects);
    expect(cpu.resources).toEqual({ limits: {}, requests: { cpu: '100m', memory: '128Mi' } });
    expect(cpu.env.map((e: any) => e.name)).not.toContain('X');
    const named = container(render({ modelArtifacts: art, accelerator: { resourceName: 'furiosa.ai/npu', env: [{ name: 'X', value: '1' }] } }).objects);
    expect(named.resources.limits).toEqual({ 'furiosa.ai/npu': '1' });
    expect(named.env[named.env.length - 1]).toEqual({ name: 'X', value: '1' });
  });

  test('llm-d-inference-sim images get no accelerator', () => {
    const c = container(render({ modelArtifacts: art, decode: { containers: [{ image: 'ghcr.io/llm-d/llm-d-inference-sim:v0.5.0', modelCommand: 'imageDefault' }] } }).objects);
    expect(c.resources.limits).toEqual({});
  });

  test('DRA with typed defaults: count from parallelism', () => {
    const { objects, ms } = render({ modelArtifacts: art, decode: { parallelism: { tensor: 8, data: 2 } }, dra: { enabled: true } });
    expect(ms.resourceClaimTemplateName).toBe('furiosa-resource-claim-template');
    expect(objectOf(objects, 'ResourceClaimTemplate', 'furiosa-resource-claim-template').spec).toEqual({
      spec: { devices: { requests: [{ name: 'furiosa', exactly: { deviceClassName: 'npu.furiosa.ai', count: 2 } }] } },
    });
    expect(podSpec(objects).resourceClaims).toEqual([{ name: 'furiosa-resource-claim', resourceClaimTemplateName: 'furiosa-resource-claim-template' }]);
    const c = container(objects);
    expect(c.resources.claims).toEqual([{ name: 'furiosa-resource-claim' }]);
    expect(c.resources.limits).toBeUndefined();
  });

  test('DRA with a chosen template and selectors', () => {
    const { objects } = render({
      modelArtifacts: art,
      dra: { enabled: true, type: 'rngd', claimTemplates: [{ name: 'other' }, { name: 'rngd', class: 'rngd.furiosa.ai', count: 2, selectors: [{ cel: { expression: 'device.attributes["furiosa.ai"].arch == "rngd"' } }] }] },
    });
    expect(objects.filter((o) => o.kind === 'ResourceClaimTemplate')).toHaveLength(1);
    expect(objectOf(objects, 'ResourceClaimTemplate', 'rngd-resource-claim-template').spec.spec.devices.requests[0]).toEqual({
      name: 'rngd',
      exactly: { deviceClassName: 'rngd.furiosa.ai', count: 2, selectors: [{ cel: { expression: 'device.attributes["furiosa.ai"].arch == "rngd"' } }] },
    });
  });

  test('routing proxy enabled: sidecar on servicePort, furiosa-llm on targetPort', () => {
    const { objects, ms } = render({ modelArtifacts: art, routing: { proxy: { enabled: true, zapLogLevel: 'info' } } });
    const pod = podSpec(objects);
    expect(pod.initContainers[0]).toMatchObject({
      name: 'routing-proxy',
      args: ['--port=8000', '--vllm-port=8200', '--connector=nixlv2', '--zap-log-level=info'],
      image: 'ghcr.io/llm-d/llm-d-routing-sidecar:v0.4.0-rc.1',
      imagePullPolicy: 'Always',
      ports: [{ containerPort: 8000 }],
      restartPolicy: 'Always',
      securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true },
    });
    expect(pod.containers[0].args.slice(1, 3)).toEqual(['--port', '8200']);
    expect(pod.containers[0].ports).toEqual([{ containerPort: 8200, name: 'furiosa-llm', protocol: 'TCP' }]);
    expect(ms.servingPort).toBe(8000);
  });

  test('PodMonitor', () => {
    const { objects, ms } = render({
      modelArtifacts: art,
      decode: {
        monitoring: {
          podmonitor: {
            enabled: true,
            interval: '15s',
            scrapeTimeout: '10s',
            labels: { release: 'prometheus' },
            annotations: { a: 'b' },
            relabelings: [{ action: 'replace', targetLabel: 'model', replacement: 'llama' }],
            metricRelabelings: [{ action: 'drop', sourceLabels: ['__name__'], regex: 'go_.*' }],
            namespaceSelector: { matchNames: ['llm-d'] },
          },
        },
      },
    });
    const pm = objectOf(objects, 'PodMonitor', 'ms-llm-d-modelservice-decode-podmonitor');
    expect(ms.podMonitorName).toBe('ms-llm-d-modelservice-decode-podmonitor');
    expect(pm.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(pm.metadata.labels).toMatchObject({ 'app.kubernetes.io/component': 'decode', release: 'prometheus' });
    expect(pm.metadata.annotations).toEqual({ a: 'b' });
    expect(pm.spec).toEqual({
      selector: { matchLabels: ms.podLabels },
      podMetricsEndpoints: [
        {
          port: 'furiosa-llm',
          path: '/metrics',
          interval: '15s',
          scrapeTimeout: '10s',
          relabelings: [{ action: 'replace', targetLabel: 'model', replacement: 'llama' }],
          metricRelabelings: [{ action: 'drop', sourceLabels: ['__name__'], regex: 'go_.*' }],
        },
      ],
      namespaceSelector: { matchNames: ['llm-d'] },
    });
  });
});

describe('refusals', () => {
  const art = { name: MODEL, uri: `pvc+hf://model-pvc/${MODEL}` };
  /** Builds the service `ms` into the chart of a refusal test. */
  const ms = (props: FuriosaModelServiceProps) => (chart: Chart) => new FuriosaModelService(chart, 'ms', props);

  test('oci:// is refused with the reason, together with the other problems (no throw at construction)', () => {
    expectRefusal(ms({ modelArtifacts: { name: MODEL, uri: 'oci://registry/model:1' }, decode: { replicas: -1 } }), [
      { path: 'test/ms', field: 'modelArtifacts.uri', value: 'oci://registry/model:1', allowed: 'hf://<org>/<model>, pvc://<claim>/<path> or pvc+hf://<claim>/[<hub cache path>/]<org>/<model>', why: expect.stringContaining('oci:// models are not supported: the chart fails on them ("arguments') },
      { path: 'test/ms', field: 'decode.replicas', value: -1, allowed: 'a non-negative integer' },
    ]);
  });

  test('a pvc URI without a claim', () => {
    expectRefusal(ms({ modelArtifacts: { name: MODEL, uri: 'pvc:///models/llama' } }), [
      { path: 'test/ms', field: 'modelArtifacts.uri', value: 'pvc:///models/llama', allowed: 'pvc://<claim>/<path/to/model>', why: 'the claim name is missing' },
    ]);
  });

  test('uri and storage: exactly one', () => {
    expectRefusal(ms({ modelArtifacts: { name: MODEL } }), [{ path: 'test/ms', field: 'modelArtifacts', value: {}, allowed: 'exactly one of uri and storage' }]);
  });

  test.each([
    [{ tensor: 0 }, [{ path: 'test/ms', field: 'decode.parallelism.tensor', value: 0, allowed: 'a positive integer' }]],
    [{ data: 1.5 }, [{ path: 'test/ms', field: 'decode.parallelism.data', value: 1.5, allowed: 'a positive integer' }]],
    [{ pipeline: -1 }, [{ path: 'test/ms', field: 'decode.parallelism.pipeline', value: -1, allowed: 'a positive integer' }]],
    [{ workers: 0 }, [{ path: 'test/ms', field: 'decode.parallelism.workers', value: 0, allowed: 'a positive integer' }]],
  ])('parallelism %j', (parallelism, expected) => {
    expectRefusal(ms({ modelArtifacts: art, decode: { parallelism } }), expected);
  });

  test('more RNGD per pod than a node holds', () => {
    expectRefusal(ms({ modelArtifacts: art, decode: { parallelism: { tensor: 8, data: 4, pipeline: 4 } } }), [
      { path: 'test/ms', field: 'decode.parallelism', value: { tensor: 8, data: 4, pipeline: 4 }, allowed: 'at most 8 RNGD per pod', why: expect.stringContaining('a pod needs 16 RNGD cards (ceil(8*4*4/8)) but one node holds 8, so it') },
    ]);
    expectRefusal(ms({ modelArtifacts: art, decode: { parallelism: { tensor: 8, data: 4 } }, accelerator: { maxRngdPerNode: 2 } }), [
      { path: 'test/ms', field: 'decode.parallelism', value: { tensor: 8, data: 4, pipeline: 1 }, allowed: 'at most 2 RNGD per pod' },
    ]);
    expect(problemsFrom(ms({ modelArtifacts: art, decode: { parallelism: { tensor: 8, data: 8 } } }))).toEqual([]);
  });

  test('probe on a port name the container lacks', () => {
    expectRefusal(ms({ modelArtifacts: art, decode: { containers: [{ ports: [{ containerPort: 8000, name: 'http' }], livenessProbe: { httpGet: { path: '/health', port: 'furiosa-llm' } } }] } }), [
      { path: 'test/ms', field: 'decode.containers[0].livenessProbe', value: 'furiosa-llm', allowed: 'a port name of the container: http', why: 'the container has no port named "furiosa-llm", so the probe would always fail' },
    ]);
  });

  test('duplicate container names (containers, init containers, sidecar)', () => {
    expectRefusal(ms({ modelArtifacts: art, decode: { containers: [{}, { modelCommand: 'imageDefault', image: 'x:1' }] } }), [
      { path: 'test/ms', field: 'decode.containers[1].name', value: 'furiosa-llm', allowed: 'a container name not used by another container or init container of the pod', why: 'decode.containers[0].name has the same name' },
    ]);
    expectRefusal(ms({ modelArtifacts: art, routing: { proxy: { enabled: true } }, decode: { initContainers: [{ name: 'routing-proxy', image: 'x:1' }] } }), [
      { path: 'test/ms', field: 'decode.initContainers[0].name', value: 'routing-proxy', allowed: 'a container name not used by another container or init container of the pod', why: 'routing.proxy has the same name' },
    ]);
  });

  test('custom without command, command with furiosaLLMServe', () => {
    expectRefusal(ms({ modelArtifacts: art, decode: { containers: [{ modelCommand: 'custom' }] } }), [
      { path: 'test/ms', field: 'decode.containers[0].command', value: undefined, allowed: 'a non-empty command', why: expect.stringContaining('modelCommand "custom" runs the given command; use "furiosaLLMServe"') },
    ]);
    expectRefusal(ms({ modelArtifacts: art, decode: { containers: [{ command: ['sh'] }] } }), [
      { path: 'test/ms', field: 'decode.containers[0].command', value: ['sh'], allowed: 'no command', why: 'modelCommand "furiosaLLMServe" sets the command; use modelCommand "custom" for your own' },
    ]);
  });

  test('pvc+hf with another mountPath', () => {
    expectRefusal(ms({ modelArtifacts: { ...art, mountPath: '/models' } }), [
      { path: 'test/ms', field: 'modelArtifacts.mountPath', value: '/models', allowed: '"/model-cache" with pvc+hf:// URIs', why: expect.stringContaining('the chart sets HF_HUB_CACHE=/model-cache/<hub cache path> whatever') },
    ]);
  });

  test('storage in another namespace', () => {
    expectRefusal(ms({ modelArtifacts: { name: MODEL, storage: { claimName: 'c', claimNamespace: 'other', hubCachePath: '' } } }), [
      { path: 'test/ms', field: 'modelArtifacts.storage', value: 'other/c', allowed: 'a claim in namespace "llm-d"', why: 'pods can only mount claims of their own namespace' },
    ]);
  });

  test('generated env names, extraConfig conflicts, llm-d.ai/role label', () => {
    expectRefusal(ms({ modelArtifacts: art, decode: { containers: [{ env: [{ name: 'TP_SIZE', value: '2' }] }] } }), [
      { path: 'test/ms', field: 'decode.containers[0].env[0].name', value: 'TP_SIZE', allowed: 'a name other than DP_SIZE, TP_SIZE, PP_SIZE, HF_HUB_CACHE' },
    ]);
    expectRefusal(ms({ modelArtifacts: art, decode: { containers: [{ extraConfig: { args: ['x'] } }] } }), [
      { path: 'test/ms', field: 'decode.containers[0].extraConfig.args', value: ['x'], allowed: 'no "args" here', why: '"args" is set by the dedicated prop or generated; set it there' },
    ]);
    expectRefusal(ms({ modelArtifacts: art, decode: { extraConfig: { serviceAccountName: 'x' } } }), [
      { path: 'test/ms', field: 'decode.extraConfig.serviceAccountName', value: 'x', allowed: 'no "serviceAccountName" here' },
    ]);
    expectRefusal(ms({ modelArtifacts: { ...art, labels: { 'llm-d.ai/role': 'prefill' } } }), [
      { path: 'test/ms', field: 'modelArtifacts.labels.llm-d.ai/role', value: 'prefill', allowed: 'no llm-d.ai/role label', why: 'the construct sets llm-d.ai/role: decode' },
    ]);
  });

  test('env names are refused only when generated for that container', () => {
    const hfToken = { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'mine', key: 'token' } } };
    // No authSecret: HF_TOKEN is the user's; HF_HOME is not generated for pvc+hf.
    expect(problemsFrom(ms({ modelArtifacts: art, decode: { containers: [{ env: [hfToken, { name: 'HF_HOME', value: '/x' }] }] } }))).toEqual([]);
    expectRefusal(ms({ modelArtifacts: { ...art, authSecret: { name: 'hf' } }, decode: { containers: [{ env: [hfToken] }] } }), [
      { path: 'test/ms', field: 'decode.containers[0].env[0].name', value: 'HF_TOKEN', allowed: 'a name other than DP_SIZE, TP_SIZE, PP_SIZE, HF_HUB_CACHE, HF_TOKEN', why: 'HF_TOKEN is generated from parallelism / modelArtifacts and would be overridden' },
    ]);
    expectRefusal(ms({ modelArtifacts: art, decode: { containers: [{ env: [{ name: 'HF_HUB_CACHE', value: '/x' }] }] } }), [
      { path: 'test/ms', field: 'decode.containers[0].env[0].name', value: 'HF_HUB_CACHE', allowed: 'a name other than DP_SIZE, TP_SIZE, PP_SIZE, HF_HUB_CACHE' },
    ]);
    expect(problemsFrom(ms({ modelArtifacts: art, decode: { containers: [{ mountModelVolume: false, env: [{ name: 'HF_HUB_CACHE', value: '/x' }] }] } }))).toEqual([]);
  });

  test('bad quantities, ports, names', () => {
    expectRefusal(ms({ modelArtifacts: { name: MODEL, uri: `hf://${MODEL}`, size: 'lots' } }), [
      { path: 'test/ms', field: 'modelArtifacts.size', value: 'lots', allowed: 'a Kubernetes quantity such as "500m", "2", "1Gi" or "20Gi"' },
    ]);
    expectRefusal(ms({ modelArtifacts: art, decode: { containers: [{ name: 'Bad_Name' }] } }), [
      { path: 'test/ms', field: 'decode.containers[0].name', value: 'Bad_Name', allowed: 'a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit' },
    ]);
    expectRefusal(ms({ modelArtifacts: art, routing: { proxy: { enabled: true, targetPort: 8000 } } }), [
      { path: 'test/ms', field: 'routing.proxy.targetPort', value: 8000, allowed: 'a port other than routing.servicePort (8000)', why: 'the sidecar listens on servicePort and forwards to furiosa-llm on targetPort' },
    ]);
    expectRefusal(ms({ modelArtifacts: art, routing: { proxy: { enabled: true, zapEncoder: 'xml' as 'json' } } }), [{ path: 'test/ms', field: 'routing.proxy.zapEncoder', value: 'xml', allowed: 'json, console' }]);
  });

  test('a service port out of range is reported once, at routing.servicePort', () => {
    expectRefusal(ms({ modelArtifacts: art, routing: { servicePort: 70000 } }), [
      { path: 'test/ms', field: 'routing.servicePort', value: 70000, allowed: 'an integer port number from 1 to 65535' },
    ]);
  });

  test('DRA: unknown type, and two services sharing the template name', () => {
    expectRefusal(ms({ modelArtifacts: art, dra: { enabled: true, type: 'nope' } }), [{ path: 'test/ms', field: 'dra.type', value: 'nope', allowed: 'the name of a dra.claimTemplates entry: furiosa' }]);
    expectRefusal((chart) => {
      new FuriosaModelService(chart, 'a', { modelArtifacts: art, dra: { enabled: true } });
      new FuriosaModelService(chart, 'b', { modelArtifacts: art, dra: { enabled: true } });
    }, [
      { path: 'test/a', field: 'dra.type', value: 'furiosa', allowed: 'a claim template name not used by another model service in the namespace', why: 'test/b also renders ResourceClaimTemplate furiosa-resource-claim-template' },
      { path: 'test/b', field: 'dra.type', value: 'furiosa', allowed: 'a claim template name not used by another model service in the namespace', why: 'test/a also renders ResourceClaimTemplate furiosa-resource-claim-template' },
      { path: 'test/b/Resource', field: 'spec.selector.matchLabels', value: { 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': 'Llama-3.1-8B-Instruct', 'llm-d.ai/role': 'decode' }, allowed: 'labels that select only the pods of b-llm-d-modelservice-decode', why: expect.stringContaining('a-llm-d-modelservice-decode (test/a/Resource) selects the same pods;') },
    ]);
  });

  test('every problem is reported at once by synth', () => {
    expectRefusal(ms({ modelArtifacts: art, decode: { replicas: -1, parallelism: { tensor: 0 } } }), [
      { path: 'test/ms', field: 'decode.parallelism.tensor', value: 0, allowed: 'a positive integer' },
      { path: 'test/ms', field: 'decode.replicas', value: -1, allowed: 'a non-negative integer' },
    ]);
  });
});
