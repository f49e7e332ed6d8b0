// Registers the chart adapters the CLI knows. Each loads its construct only when used.
export {};

// --- furiosa-modelservice (src/model-service) ---
import { registerHelmChart } from './registry';

registerHelmChart('furiosa-modelservice', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ms = require('../model-service/furiosa-model-service') as typeof import('../model-service/furiosa-model-service');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const adapter = require('./furiosa-modelservice') as typeof import('./furiosa-modelservice');
  return {
    cliName: 'furiosa-modelservice',
    chart: 'furiosa-ai/helm-charts llm-d-modelservice 2026.1.0',
    className: 'FuriosaModelService',
    toProps: (values, ctx) => adapter.furiosaModelServicePropsFromValues(values, ctx),
    create: (scope, id, props) => new ms.FuriosaModelService(scope, id, props as import('../model-service/furiosa-options').FuriosaModelServiceProps),
  };
});

// --- inferencepool (src/scheduler) ---
registerHelmChart('inferencepool', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pool = require('../scheduler/inference-scheduler-pool') as typeof import('../scheduler/inference-scheduler-pool');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const adapter = require('./inferencepool') as typeof import('./inferencepool');
  return {
    cliName: 'inferencepool',
    chart: 'gateway-api-inference-extension inferencepool v1.3.0',
    className: 'InferenceSchedulerPool',
    toProps: (values, ctx) => adapter.inferencePoolPropsFromValues(values, ctx),
    create: (scope, id, props) => new pool.InferenceSchedulerPool(scope, id, props as import('../scheduler/pool-options').InferenceSchedulerPoolProps),
  };
});

// --- llm-d-infra (src/gateway) ---
registerHelmChart('llm-d-infra', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const gw = require('../gateway/istio-gie-gateway') as typeof import('../gateway/istio-gie-gateway');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const adapter = require('./llm-d-infra') as typeof import('./llm-d-infra');
  return {
    cliName: 'llm-d-infra',
    chart: 'llm-d-incubation/llm-d-infra llm-d-infra v1.3.10',
    className: 'IstioGieGateway',
    toProps: (values, ctx) => adapter.llmDInfraGatewayPropsFromValues(values, ctx),
    create: (scope, id, props) => new gw.IstioGieGateway(scope, id, props as import('../gateway/istio-gie-gateway').IstioGieGatewayProps),
  };
});

// --- modelservice (src/model-service) ---
registerHelmChart('modelservice', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ms = require('../model-service/model-service') as typeof import('../model-service/model-service');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const adapter = require('./modelservice') as typeof import('./modelservice');
  return {
    cliName: 'modelservice',
    chart: 'llm-d-incubation/llm-d-modelservice v0.4.12',
    className: 'ModelService',
    toProps: (values, ctx) => adapter.modelServicePropsFromValues(values, ctx),
    create: (scope, id, props) => new ms.ModelService(scope, id, props as import('../model-service/model-service-options').ModelServiceProps),
  };
});

// --- llm-d-router-gateway / llm-d-router-standalone v0.10.0 (src/scheduler) ---
for (const chart of ['gateway', 'standalone'] as const) {
  registerHelmChart(`llm-d-router-${chart}`, () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const adapter = require('./llm-d-router') as typeof import('./llm-d-router');
    return {
      cliName: `llm-d-router-${chart}`,
      chart: `llm-d/llm-d-router llm-d-router-${chart} v0.10.0`,
      className: 'InferenceSchedulerPool',
      toProps: (values, ctx) => adapter.llmdRouterPropsFromValues(chart, values, ctx),
      create: (scope, id, props) => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { InferenceSchedulerPool } = require('../scheduler/inference-scheduler-pool') as typeof import('../scheduler/inference-scheduler-pool');
        return new InferenceSchedulerPool(scope, id, props as import('../scheduler/pool-options').InferenceSchedulerPoolProps);
      },
      // With `httpRoute.create`, the chart's HTTPRoute as an InferenceRoute beside the pool.
      addCompanions: chart === 'gateway' ? (scope, id, pool, values, ctx) => adapter.addLlmdRouterCompanions(scope, id, pool as unknown as import('../core/contracts').IInferencePoolRef, values, ctx) : undefined,
    };
  });
}

// --- body-based-routing (src/routing) ---
registerHelmChart('body-based-routing', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bbr = require('../routing/body-based-router') as typeof import('../routing/body-based-router');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const adapter = require('./body-based-routing') as typeof import('./body-based-routing');
  return {
    cliName: 'body-based-routing',
    chart: 'gateway-api-inference-extension body-based-routing v1.3.0',
    className: 'BodyBasedRouter',
    toProps: (values, ctx) => adapter.bodyBasedRouterPropsFromValues(values, ctx),
    create: (scope, id, props) => new bbr.BodyBasedRouter(scope, id, props as import('../routing/body-based-router').BodyBasedRouterProps),
  };
});
