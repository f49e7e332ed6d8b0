// Bench entry point: a fleet of N model services, each with its InferencePool and endpoint
// picker, downloader and route rule, behind one gateway: `node lib/bench/fleet.js N`.
import { App } from 'cdk8s';
import { RngdServingStack, RngdModelProps, synthApp } from '../src';

const n = Number(process.argv[2] ?? '10');
const models: RngdModelProps[] = [];
for (let i = 0; i < n; i++) {
  models.push({ model: `furiosa-ai/model-${i}`, key: `m${i}`, tensorParallelism: [4, 8, 16][i % 3], replicas: 1 + (i % 2), routing: { matches: [{ headers: [{ name: 'X-Gateway-Model-Name', value: `model-${i}` }] }] } });
}
const app = new App();
// One route per 16 models keeps every HTTPRoute within the Gateway API's 16-rule limit.
for (let s = 0; s < Math.ceil(n / 16); s++) {
  new RngdServingStack(app, `fleet-${s}`, { namespace: `fleet-${s}`, models: models.slice(s * 16, s * 16 + 16) });
}
synthApp(app);
