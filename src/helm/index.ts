// The `cdk8s-llm-d/helm` entry point: Helm values -> construct props, for teams moving from the
// charts. Nothing in the construct library imports this folder; it imports the constructs.
import { Construct } from 'constructs';
import { IstioGieGateway } from '../gateway/istio-gie-gateway';
import { FuriosaModelService } from '../model-service/furiosa-model-service';
import { ModelService } from '../model-service/model-service';
import { InferenceSchedulerPool } from '../scheduler/inference-scheduler-pool';
import { furiosaModelServicePropsFromValues } from './furiosa-modelservice';
import { inferencePoolPropsFromValues } from './inferencepool';
import { llmDInfraGatewayPropsFromValues } from './llm-d-infra';
import { modelServicePropsFromValues } from './modelservice';
import { llmdRouterPropsFromValues, LlmdRouterChart } from './llm-d-router';
import type { HelmValuesContext } from './registry';

export type { HelmValuesContext } from './registry';
export { furiosaModelServicePropsFromValues, FURIOSA_MODELSERVICE_CHART_DEFAULTS } from './furiosa-modelservice';
export { inferencePoolPropsFromValues, INFERENCEPOOL_CHART_DEFAULTS } from './inferencepool';
export { llmDInfraGatewayPropsFromValues, LLM_D_INFRA_CHART_DEFAULTS } from './llm-d-infra';
export { modelServicePropsFromValues, MODELSERVICE_CHART_DEFAULTS } from './modelservice';
export { llmdRouterPropsFromValues, LLM_D_ROUTER_CHART_DEFAULTS } from './llm-d-router';
export type { LlmdRouterChart } from './llm-d-router';
// The guide's three charts' values as the props of one RngdServingStack (`convert rngd-stack`).
export { rngdServingStackPropsFromValues, RngdStackValuesError, GUIDE_RELEASES } from './rngd-stack';
export type { RngdStackChart, RngdStackChartValues, RngdStackValues, RngdStackProblem } from './rngd-stack';

/** Values of the furiosa-ai `llm-d-modelservice` chart (merged like Helm) as a {@link FuriosaModelService}. */
export function furiosaModelServiceFromHelmValues(scope: Construct, id: string, values: Record<string, unknown>, ctx: HelmValuesContext): FuriosaModelService {
  return new FuriosaModelService(scope, id, furiosaModelServicePropsFromValues(values, ctx));
}

/** Values of the Inference Extension `inferencepool` chart as an {@link InferenceSchedulerPool}. */
export function inferenceSchedulerPoolFromHelmValues(scope: Construct, id: string, values: Record<string, unknown>, ctx: HelmValuesContext): InferenceSchedulerPool {
  return new InferenceSchedulerPool(scope, id, inferencePoolPropsFromValues(values, ctx));
}

/** Values of the `llm-d-infra` chart (its `gateway.*`) as an {@link IstioGieGateway}. */
export function istioGieGatewayFromHelmValues(scope: Construct, id: string, values: Record<string, unknown>, ctx: HelmValuesContext): IstioGieGateway {
  return new IstioGieGateway(scope, id, llmDInfraGatewayPropsFromValues(values, ctx));
}

/** Values of the generic llm-d `llm-d-modelservice` chart as a {@link ModelService}. */
export function modelServiceFromHelmValues(scope: Construct, id: string, values: Record<string, unknown>, ctx: HelmValuesContext): ModelService {
  return new ModelService(scope, id, modelServicePropsFromValues(values, ctx));
}

/** Values of llm-d-router v0.10 `llm-d-router-gateway` or `llm-d-router-standalone` as an {@link InferenceSchedulerPool}. */
export function inferenceSchedulerPoolFromRouterValues(scope: Construct, id: string, chart: LlmdRouterChart, values: Record<string, unknown>, ctx: HelmValuesContext): InferenceSchedulerPool {
  return new InferenceSchedulerPool(scope, id, llmdRouterPropsFromValues(chart, values, ctx));
}
