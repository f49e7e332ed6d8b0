import * as YAML from 'yaml';
import { coalesceValues, furiosaModelServicePropsFromValues } from '../../src/helm/furiosa-modelservice';
import { furiosaModelServiceFromHelmValues } from '../../src/helm';
import { expectContains, expectRefusal, loadCase, newChart, objectOf, synth } from '../support';

function fromValues(valuesYaml: string, release = 'ms', namespace = 'llm-d'): Record<string, any>[] {
  const { chart } = newChart(namespace);
  furiosaModelServiceFromHelmValues(chart, 'ms', YAML.parse(valuesYaml) ?? {}, { release, namespace });
  return synth(chart);
}

// Expected outputs below are rendered by hand from the chart's templates (2026.1.0), the way
// `helm template` would, for values variants the reference cases don't cover.
describe('values variants rendered from the chart templates', () => {
  test('chart defaults only: hf://random/model, routing sidecar, latest image', () => {
    const golden = `
apiVersion: v1
kind: ServiceAccount
metadata: { name: ms-llm-d-modelservice, namespace: default }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ms-llm-d-modelservice-decode, namespace: default }
spec:
  replicas: 1
  selector:
    matchLabels: { llm-d.ai/inferenceServing: "true", llm-d.ai/model: random_model, llm-d.ai/role: decode }
  template:
    metadata:
      labels: { llm-d.ai/inferenceServing: "true", llm-d.ai/model: random_model, llm-d.ai/role: decode }
    spec:
      initContainers:
        - name: routing-proxy
          args: [--port=8000, --vllm-port=8200, --connector=nixlv2, --zap-encoder=json, --zap-log-level=debug, --secure-proxy=false]
          image: ghcr.io/llm-d/llm-d-routing-sidecar:v0.4.0-rc.1
          imagePullPolicy: Always
          ports: [{ containerPort: 8000 }]
          resources: {}
          restartPolicy: Always
          securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true }
      serviceAccountName: ms-llm-d-modelservice
      volumes:
        - { emptyDir: {}, name: metrics-volume }
        - name: model-storage
          emptyDir: { sizeLimit: 5Mi }
      containers:
        - name: furiosa-llm
          image: furiosaai/furiosa-llm:latest
          command: ["furiosa-llm", "serve"]
          args: [random/model, --port, "8200", --tensor-parallel-size, "4"]
          env:
            - { name: DP_SIZE, value: "1" }
            - { name: TP_SIZE, value: "4" }
            - { name: PP_SIZE, value: "1" }
            - { name: HF_HOME, value: /model-cache }
          resources:
            limits: { furiosa.ai/rngd: "1" }
            requests: { furiosa.ai/rngd: "1" }
          volumeMounts:
            - { name: metrics-volume, mountPath: /.config }
            - { name: model-storage, mountPath: /model-cache }
`;
    const ours = fromValues('{}', 'ms', 'default');
    expectContains(golden, ours);
    expect(ours.map((o) => o.kind)).toEqual(['ServiceAccount', 'Deployment']);
  });

  test('pvc://, custom command, PodMonitor, acceleratorTypes, workers, init containers, extraConfig', () => {
    const values = `
modelArtifacts:
  name: meta-llama/Llama-3.1-8B-Instruct
  uri: pvc://models/llama-3.1-8b
  mountPath: /models
  labels: { llm-d.ai/inferenceServing: "true", llm-d.ai/model: llama }
accelerator:
  env:
    furiosa:
      - { name: RNGD_X, value: "1" }
routing:
  servicePort: 8080
  proxy: { enabled: false }
decode:
  replicas: 2
  parallelism: { tensor: 8, data: 2, workers: 2 }
  annotations: { team: ml }
  podAnnotations: { prometheus.io/scrape: "true" }
  nodeSelector: { node-type: rngd }
  acceleratorTypes: { labelKey: furiosa.ai/product, labelValues: [rngd] }
  extraConfig: { priorityClassName: high }
  initContainers:
    - { name: warmup, image: "busybox:1.36", command: [sh, -c, ls /models] }
  monitoring:
    podmonitor: { enabled: true, portName: http, labels: { release: prometheus } }
  containers:
    - name: server
      image: furiosaai/furiosa-llm:2026.1.0
      modelCommand: custom
      command: [furiosa-llm, serve]
      args: [/models/llama-3.1-8b, --port, "8080", --tensor-parallel-size, "8"]
      imagePullPolicy: IfNotPresent
      ports: [{ containerPort: 8080, name: http }]
      resources:
        limits: { memory: 64Gi }
        requests: { cpu: "8" }
      mountModelVolume: true
      extraConfig: { workingDir: /tmp }
      readinessProbe: { httpGet: { path: /health, port: http } }
`;
    const golden = `
apiVersion: v1
kind: ServiceAccount
metadata: { name: llama-llm-d-modelservice, namespace: models }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: llama-llm-d-modelservice-decode
  namespace: models
  annotations: { team: ml }
spec:
  replicas: 2
  selector:
    matchLabels: { llm-d.ai/inferenceServing: "true", llm-d.ai/model: llama, llm-d.ai/role: decode }
  template:
    metadata:
      labels: { llm-d.ai/inferenceServing: "true", llm-d.ai/model: llama, llm-d.ai/role: decode }
      annotations: { prometheus.io/scrape: "true" }
    spec:
      nodeSelector: { node-type: rngd }
      initContainers:
        - { name: warmup, image: "busybox:1.36", command: [sh, -c, ls /models] }
      priorityClassName: high
      serviceAccountName: llama-llm-d-modelservice
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions:
                - key: furiosa.ai/product
                  operator: In
                  values: [rngd]
      volumes:
        - { emptyDir: {}, name: metrics-volume }
        - name: model-storage
          persistentVolumeClaim: { claimName: models, readOnly: true }
      containers:
        - name: server
          image: furiosaai/furiosa-llm:2026.1.0
          workingDir: /tmp
          imagePullPolicy: IfNotPresent
          command: [furiosa-llm, serve]
          args: [/models/llama-3.1-8b, --port, "8080", --tensor-parallel-size, "8"]
          env:
            - { name: DP_SIZE, value: "2" }
            - { name: TP_SIZE, value: "8" }
            - { name: PP_SIZE, value: "1" }
            - { name: RNGD_X, value: "1" }
          ports: [{ containerPort: 8080, name: http }]
          readinessProbe: { httpGet: { path: /health, port: http } }
          resources:
            limits: { memory: 64Gi, furiosa.ai/rngd: "2" }
            requests: { cpu: "8", furiosa.ai/rngd: "2" }
          volumeMounts:
            - { name: model-storage, mountPath: /models, readOnly: true }
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: llama-llm-d-modelservice-decode-podmonitor
  namespace: models
  labels: { app.kubernetes.io/component: decode, release: prometheus }
spec:
  selector:
    matchLabels: { llm-d.ai/inferenceServing: "true", llm-d.ai/model: llama, llm-d.ai/role: decode }
  podMetricsEndpoints:
  - { port: "http", path: /metrics, interval: 30s }
`;
    const ours = fromValues(values, 'llama', 'models');
    expectContains(golden, ours);
    const env = objectOf(ours, 'Deployment').spec.template.spec.containers[0].env;
    expect(env.map((e: any) => e.name)).toEqual(['DP_SIZE', 'TP_SIZE', 'PP_SIZE', 'RNGD_X']);
  });

  test('release containing the chart name, serviceAccountOverride, DRA with selectors, hf:// with size', () => {
    const values = `
serviceAccountOverride: shared-sa
modelArtifacts:
  name: Qwen/Qwen2.5-0.5B
  uri: hf://Qwen/Qwen2.5-0.5B
  size: 10Gi
  labels: { llm-d.ai/inferenceServing: "true", llm-d.ai/model: qwen }
dra:
  enabled: true
  type: rngd
  claimTemplates:
    - name: rngd
      class: npu.furiosa.ai
      match: exactly
      count: 2
      selectors:
        - cel: { expression: 'device.attributes["npu.furiosa.ai"].model == "rngd"' }
routing:
  proxy: { enabled: false }
decode:
  parallelism: { tensor: 8, pipeline: 2 }
  tolerations:
    - { key: furiosa.ai/rngd, operator: Exists, effect: NoSchedule }
  containers:
    - name: furiosa-llm
      image: furiosaai/furiosa-llm:2026.1.0
      modelCommand: furiosaLLMServe
      mountModelVolume: true
      resources:
        requests: { cpu: "4" }
`;
    const golden = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: llm-d-modelservice-prod-decode, namespace: llm-d }
spec:
  replicas: 1
  selector:
    matchLabels: { llm-d.ai/inferenceServing: "true", llm-d.ai/model: qwen, llm-d.ai/role: decode }
  template:
    metadata:
      labels: { llm-d.ai/inferenceServing: "true", llm-d.ai/model: qwen, llm-d.ai/role: decode }
    spec:
      serviceAccountName: shared-sa
      volumes:
        - { emptyDir: {}, name: metrics-volume }
        - name: model-storage
          emptyDir: { sizeLimit: 10Gi }
      resourceClaims:
      - name: rngd-resource-claim
        resourceClaimTemplateName: rngd-resource-claim-template
      containers:
        - name: furiosa-llm
          image: furiosaai/furiosa-llm:2026.1.0
          command: ["furiosa-llm", "serve"]
          args: [Qwen/Qwen2.5-0.5B, --port, "8000", --tensor-parallel-size, "8", --pipeline-parallel-size, "2"]
          env:
            - { name: DP_SIZE, value: "1" }
            - { name: TP_SIZE, value: "8" }
            - { name: PP_SIZE, value: "2" }
            - { name: HF_HOME, value: /model-cache }
          resources:
            claims:
            - name: rngd-resource-claim
          volumeMounts:
            - { name: model-storage, mountPath: /model-cache }
      tolerations:
        - { effect: NoSchedule, key: furiosa.ai/rngd, operator: Exists }
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata: { name: rngd-resource-claim-template, namespace: llm-d }
spec:
  spec:
    devices:
      requests:
      - name: rngd
        exactly:
          deviceClassName: npu.furiosa.ai
          count: 2
          selectors:
          - cel: { expression: 'device.attributes["npu.furiosa.ai"].model == "rngd"' }
`;
    const ours = fromValues(values, 'llm-d-modelservice-prod');
    expectContains(golden, ours);
    expect(ours.filter((o) => o.kind === 'ServiceAccount')).toEqual([]);
  });

  test('proxy enabled with every flag', () => {
    const ours = fromValues(`
modelArtifacts: { name: org/m, uri: "pvc+hf://c/org/m" }
routing:
  servicePort: 8000
  proxy: { targetPort: 8300, connector: nixl, zapDevel: true, zapStacktraceLevel: error, zapTimeEncoding: iso8601, prefillerUseTLS: true, certPath: /certs, zapLogLevel: 2, imagePullPolicy: IfNotPresent, image: "ghcr.io/llm-d/llm-d-routing-sidecar:v0.4.0" }
decode:
  initContainers: [{ name: extra, image: "busybox:1.36" }]
  containers: [{ name: furiosa-llm, image: "furiosaai/furiosa-llm:2026.1.0", modelCommand: furiosaLLMServe }]
`);
    const pod = objectOf(ours, 'Deployment').spec.template.spec;
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['routing-proxy', 'extra']);
    expect(pod.initContainers[0].args).toEqual([
      '--port=8000', '--vllm-port=8300', '--connector=nixl', '--zap-devel=true', '--zap-encoder=json', '--zap-log-level=2', '--zap-stacktrace-level=error',
      '--zap-time-encoding=iso8601', '--secure-proxy=false', '--prefiller-use-tls=true', '--cert-path=/certs',
    ]);
    expect(pod.initContainers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(pod.containers[0].args).toEqual(['org/m', '--port', '8300', '--tensor-parallel-size', '4']);
    // no mountModelVolume in a user container: no model volume, no HF env
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['metrics-volume']);
    expect(pod.containers[0].env.map((e: any) => e.name)).toEqual(['DP_SIZE', 'TP_SIZE', 'PP_SIZE']);
  });

  test('accelerator type cpu renders no RNGD resource', () => {
    const ours = fromValues(`
accelerator: { type: cpu }
routing: { proxy: { enabled: false } }
`);
    expect(objectOf(ours, 'Deployment').spec.template.spec.containers[0].resources.limits).toEqual({});
  });
});

describe('props from values', () => {
  test('seed 000 props are short and explicit (what `convert` prints)', () => {
    const c = loadCase('furiosa-seed000');
    expect(furiosaModelServicePropsFromValues(c.values, { release: c.release, namespace: c.namespace })).toMatchSnapshot();
  });

  test('coalesceValues: maps merge, lists replace, null deletes', () => {
    expect(coalesceValues({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2] }, d: null })).toEqual({ a: { b: 1, c: [2] } });
  });

  test('snapshot of the chart-defaults rendering', () => {
    expect(fromValues('{}', 'ms', 'default')).toMatchSnapshot();
  });
});

describe('values refused with the key path', () => {
  const VALUES = 'values (furiosa/llm-d-modelservice)';
  const fromYaml = (valuesYaml: string) => () => furiosaModelServicePropsFromValues(YAML.parse(valuesYaml) ?? {}, { release: 'ms', namespace: 'llm-d' });

  test.each([
    ['prefill:\n  create: true', [{ path: VALUES, field: 'prefill.create', value: true, allowed: 'false', why: expect.stringContaining('Furiosa-LLM does not support prefill/decode disaggregation; serve') }]],
    ['multinode: true', [{ path: VALUES, field: 'multinode', value: true, allowed: 'false', why: expect.stringContaining('LeaderWorkerSet deployment is not supported. Furiosa-LLM does not') }]],
    ['extraObjects:\n  - { apiVersion: v1, kind: ConfigMap }', [{ path: VALUES, field: 'extraObjects', value: [{ apiVersion: 'v1', kind: 'ConfigMap' }], allowed: '[]', why: expect.stringContaining('add your own constructs to the chart instead, e.g. new') }]],
    ['nameOverride: x', [{ path: VALUES, field: 'nameOverride', value: 'x', allowed: expect.stringContaining('one of the chart\'s keys here: common, enabled, fullnameOverride,'), why: 'unknown key' }]],
    ['routing:\n  parentRefs: []', [{ path: VALUES, field: 'routing.parentRefs', value: [], allowed: 'one of the chart\'s keys here: servicePort, proxy', why: 'unknown key' }]],
    ['decode:\n  containers:\n    - { name: a, image: "x:1", lifecycle: {} }', [{ path: VALUES, field: 'decode.containers[0].lifecycle', value: {}, allowed: expect.stringContaining('one of the chart\'s keys here: name, image, modelCommand, command,'), why: 'unknown key' }]],
    ['decode:\n  replicas: "2"', [{ path: VALUES, field: 'decode.replicas', value: '2', allowed: 'an integer' }]],
    ['decode:\n  parallelism:\n    tensor: "8"', [{ path: VALUES, field: 'decode.parallelism.tensor', value: '8', allowed: 'an integer' }]],
    ['decode:\n  parallelism:\n    expert: 2', [{ path: VALUES, field: 'decode.parallelism.expert', value: 2, allowed: 'one of the chart\'s keys here: tensor, data, pipeline, workers', why: 'unknown key' }]],
    ['modelArtifacts:\n  labels:\n    llm-d.ai/inferenceServing: true', [{ path: VALUES, field: 'modelArtifacts.labels.llm-d.ai/inferenceServing', value: true, allowed: 'a string (quote "true" and numbers)' }]],
    ['decode:\n  containers:\n    - { name: a, image: "x:1", modelCommand: custom, command: [sh], args: [--n, 2] }', [{ path: VALUES, field: 'decode.containers[0].args[1]', value: 2, allowed: 'a string (quote numbers and booleans)' }]],
    ['decode:\n  containers:\n    - { name: a, image: "x:1", modelCommand: vllmServe }', [{ path: VALUES, field: 'decode.containers[0].modelCommand', value: 'vllmServe', allowed: 'furiosaLLMServe, custom or imageDefault' }]],
    ['decode:\n  containers:\n    - { name: a, modelCommand: furiosaLLMServe }', [{ path: VALUES, field: 'decode.containers[0].image', value: undefined, allowed: 'an image reference', why: 'the chart requires the image of every container' }]],
    ['decode:\n  containers:\n    - { name: a, image: "x:1", env: [{ name: A, value: "{{ .Release.Name }}" }] }', [{ path: VALUES, field: 'decode.containers[0].env[0].value', value: '{{ .Release.Name }}', allowed: 'a literal value', why: 'Helm template expressions in values are not evaluated; write the value itself' }]],
    ['decode:\n  autoscaling:\n    enabled: true', [{ path: VALUES, field: 'decode.autoscaling.enabled', value: true, allowed: 'false', why: expect.stringContaining('the chart renders nothing for it; add an autoscaler (HPA, KEDA)') }]],
    ['decode:\n  hostIPC: true', [{ path: VALUES, field: 'decode.hostIPC', value: true, allowed: 'leave it unset', why: expect.stringContaining('used only by the chart\'s LeaderWorkerSet mode (multinode), which is') }]],
    ['dra:\n  enabled: true\n  claimTemplates:\n    - { name: furiosa, match: firstAvailable }', [{ path: VALUES, field: 'dra.claimTemplates[0].match', value: 'firstAvailable', allowed: 'exactly', why: 'the chart renders the request as a map, which only "exactly" takes in resource.k8s.io/v1' }]],
    ['routing:\n  proxy:\n    image: ""', [{ path: VALUES, field: 'routing.proxy.image', value: '', allowed: 'an image reference', why: 'the chart requires routing.proxy.image when the proxy is enabled' }]],
    ['decode:\n  containers:\n    - { name: a, image: "x:1", resources: { claims: [{ name: c }] } }', [{ path: VALUES, field: 'decode.containers[0].resources.claims', value: [{ name: 'c' }], allowed: 'empty', why: 'DRA claims are generated from the dra block (dra.enabled, dra.type)' }]],
  ])('%s', (values, expected) => {
    expectRefusal(fromYaml(values), expected);
  });

  test('all problems at once, with where they came from', () => {
    expectRefusal(fromYaml('multinode: true\ndecode:\n  replicas: x\nfoo: 1'), [
      { path: VALUES, field: 'foo', value: 1, allowed: expect.stringContaining('one of the chart\'s keys here: common, enabled, fullnameOverride,') },
      { path: VALUES, field: 'multinode', value: true, allowed: 'false' },
      { path: VALUES, field: 'decode.replicas', value: 'x', allowed: 'an integer' },
    ]);
  });

  test('construct-level refusals still apply (oci://, custom without command)', () => {
    expectRefusal((chart) => furiosaModelServiceFromHelmValues(chart, 'ms', { modelArtifacts: { uri: 'oci://r/m:1' } }, { release: 'ms', namespace: 'llm-d' }), [
      { path: 'test/ms', field: 'modelArtifacts.uri', value: 'oci://r/m:1', allowed: 'hf://<org>/<model>, pvc://<claim>/<path> or pvc+hf://<claim>/[<hub cache path>/]<org>/<model>', why: expect.stringContaining('oci:// models are not supported: the chart fails on them ("arguments') },
    ]);
    expectRefusal((chart) => furiosaModelServiceFromHelmValues(chart, 'ms', { routing: { proxy: { enabled: false } }, decode: { containers: [{ name: 'a', image: 'x:1' }] } }, { release: 'ms', namespace: 'llm-d' }), [
      { path: 'test/ms', field: 'decode.containers[0].command', value: undefined, allowed: 'a non-empty command', why: expect.stringContaining('modelCommand "custom" runs the given command; use "furiosaLLMServe"') },
    ]);
  });
});
