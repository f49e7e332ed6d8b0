import { ModelService, ModelServiceProps } from '../../src/model-service';
import { newChart, objectOf, synth } from '../support';

const LWS_MODULE = '../../imports/leaderworkerset.x-k8s.io';

/** Pod fields whose generated types are value classes or camel-cased names: each must survive the generated toJson. */
const RICH: ModelServiceProps = {
  modelArtifacts: { name: 'org/m', uri: 'hf://org/m', size: '20Gi', authSecret: { name: 'hf' } },
  accelerator: { dra: true },
  decode: {
    parallelism: { tensor: 2, workers: 2, data: 2, dataLocal: 2 },
    podSecurityContext: { fsGroup: 1000 },
    extraConfig: { setHostnameAsFQDN: true, overhead: { cpu: '250m' }, dnsPolicy: 'ClusterFirst' },
    volumes: [
      { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '8Gi' } },
      { name: 'info', downwardAPI: { items: [{ path: 'mem', resourceFieldRef: { containerName: 'vllm', resource: 'limits.memory', divisor: '1Mi' } }] } },
      { name: 'proj', projected: { sources: [{ downwardAPI: { items: [{ path: 'cpu', resourceFieldRef: { containerName: 'vllm', resource: 'requests.cpu', divisor: 1 } }] } }] } },
      { name: 'ebs', awsElasticBlockStore: { volumeID: 'vol-1', fsType: 'ext4' } },
      { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } } } },
    ],
    initContainers: [{ name: 'warm', image: 'busybox:1.36', resources: { limits: { cpu: 1 } }, ports: [{ containerPort: 9000, hostIP: '127.0.0.1' }] }],
    containers: [{
      resources: { limits: { memory: '64Gi' }, requests: { cpu: 8 } },
      startupProbe: { httpGet: { path: '/health', port: 8200 }, failureThreshold: 60 },
      livenessProbe: { tcpSocket: { port: 'metrics' } },
      readinessProbe: { httpGet: { path: '/v1/models', port: 'metrics' } },
      env: [{ name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Gi' } } }],
      extraConfig: { lifecycle: { preStop: { httpGet: { path: '/drain', port: 8200 } }, postStart: { tcpSocket: { port: 'metrics' } } } },
    }],
  },
};

function podOf(props: ModelServiceProps, multinode: boolean): Record<string, unknown> {
  const { chart } = newChart('llm');
  new ModelService(chart, 'ms', { ...props, multinode });
  const objects = synth(chart);
  return multinode
    ? objectOf(objects, 'LeaderWorkerSet', 'ms-llm-d-modelservice-decode').spec.leaderWorkerTemplate.workerTemplate.spec
    : objectOf(objects, 'Deployment', 'ms-llm-d-modelservice-decode').spec.template.spec;
}

describe('LeaderWorkerSet from the generated class', () => {
  test('the worker pod spec is the Deployment pod spec: no field is dropped or changed by the generated toJson', () => {
    expect(podOf(RICH, true)).toEqual(podOf(RICH, false));
  });

  test('hostIPC / hostPID reach the worker pods', () => {
    const pod = podOf({ ...RICH, decode: { ...RICH.decode, hostIPC: true, hostPID: false } }, true);
    expect(pod.hostIPC).toBe(true);
    expect(pod.hostPID).toBe(false);
  });

  test('subGroupPolicy takes the CRD string values', () => {
    const { chart } = newChart('llm');
    new ModelService(chart, 'ms', { multinode: true, modelArtifacts: { name: 'o/m', uri: 'hf://o/m' }, decode: { parallelism: { workers: 4, data: 4 }, subGroupPolicy: { subGroupSize: 2, subGroupPolicyType: 'LeaderExcluded' } } });
    const lws = objectOf(synth(chart), 'LeaderWorkerSet', 'ms-llm-d-modelservice-decode');
    expect(lws.spec.leaderWorkerTemplate.subGroupPolicy).toEqual({ subGroupSize: 2, subGroupPolicyType: 'LeaderExcluded' });
  });
});

describe('the generated LeaderWorkerSet module is loaded only for a LeaderWorkerSet', () => {
  /** Builds in a fresh module registry and tells whether the LWS module was required. */
  function loadsLws(multinode: boolean): boolean {
    let loaded = false;
    jest.isolateModules(() => {
      jest.doMock(LWS_MODULE, () => {
        loaded = true;
        return jest.requireActual(LWS_MODULE);
      });
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { ModelService: Fresh } = require('../../src/model-service') as typeof import('../../src/model-service');
      const { FuriosaModelService: FreshFuriosa } = require('../../src/model-service') as typeof import('../../src/model-service');
      const { newChart: freshChart, synth: freshSynth } = require('../support') as typeof import('../support');
      /* eslint-enable @typescript-eslint/no-require-imports */
      const { chart } = freshChart('llm');
      new Fresh(chart, 'vllm', { multinode, modelArtifacts: { name: 'o/m', uri: 'hf://o/m' }, decode: { parallelism: { workers: multinode ? 2 : 1, data: multinode ? 2 : 1 } } });
      new FreshFuriosa(chart, 'rngd', { modelArtifacts: { name: 'o/m', uri: 'hf://o/m' } });
      freshSynth(chart);
    });
    jest.dontMock(LWS_MODULE);
    return loaded;
  }

  test('a Deployment-only synth (both model services) does not load it', () => {
    expect(loadsLws(false)).toBe(false);
  });

  test('a multinode ModelService loads it', () => {
    expect(loadsLws(true)).toBe(true);
  });
});
