/**
 * The three charts of the Furiosa-LLM + llm-d guide as one {@link RngdServingStack}: the values of
 * `llm-d-infra` (the gateway), `inferencepool` (the pool and its endpoint picker) and the furiosa
 * `llm-d-modelservice` (the model servers), each mapped by its own adapter, composed into the
 * stack's props. Pure: values in, plain data (and `PoolProvider` calls) out; `cdk8s-llm-d convert
 * rngd-stack` prints the result as a TypeScript literal.
 *
 * How the charts' props become the stack's:
 * - `model`, `storage.uri` and `hfTokenSecret` come from the model chart's `modelArtifacts`
 *   (`name`, `uri`, `authSecretName`); `names.modelServiceRelease` and `names.pool` are the
 *   release names of the model and pool charts.
 * - The engine options that map 1:1 are typed: `replicas` (`decode.replicas`) and
 *   `tensorParallelism`, `dataParallelism`, `pipelineParallelism` (`decode.parallelism.*`, the
 *   chart's default 4 for tensor written out, since the stack's is 8). `image` and `servingArgs`
 *   stay inside `modelService.decode.containers`: the chart's container carries more (ports,
 *   probes, mounts) than those two options, and the containers given replace the engine's.
 *   Everything else of the model chart goes under `modelService`.
 * - The pool chart's props go under `pool` (without `name` and `namespace`, which the stack sets
 *   from `names.pool` and the stack's namespace; the selector is kept).
 * - The gateway chart's props go under `gateway` (without `namespace`).
 *
 * Where the stack deliberately differs from the charts, a warning says so (see
 * {@link rngdServingStackPropsFromValues}); what the stack cannot express is refused with the key.
 */
import type { HelmValuesContext, ValuesWarning } from './registry';
import { LlmdValidationError, ReportedProblem } from '../core/errors';
import type { FuriosaModelServiceProps } from '../model-service/furiosa-options';
import { modelLabelValue } from '../model-service/furiosa-rules';
import type { InferenceSchedulerPoolProps } from '../scheduler/pool-options';
import type { RngdModelProps, RngdServingStackProps } from '../stack/rngd-serving-stack';
import { furiosaModelServicePropsFromValues, FURIOSA_MODELSERVICE_CHART_DEFAULTS } from './furiosa-modelservice';
import { inferencePoolPropsFromValues } from './inferencepool';
import { llmDInfraGatewayPropsFromValues } from './llm-d-infra';
import { dropUndefined } from './values-reader';

/** The guide's three charts, by their part in the stack. */
export type RngdStackChart = 'gateway' | 'pool' | 'model';

/** The values and release name of one chart. */
export interface RngdStackChartValues {
  /** Values as given (merged `-f` files); the chart's defaults are applied by its adapter. */
  readonly values: Record<string, unknown>;
  /** The Helm release name the guide installs the chart under (object names derive from it). */
  readonly release: string;
}

/** The guide's three charts' values. */
export interface RngdStackValues {
  /** Namespace of the stack (`helm install -n`, the same for the three charts). */
  readonly namespace: string;
  /** `llm-d-infra` values (release `llm-d-infra` in the guide). */
  readonly gateway: RngdStackChartValues;
  /** `inferencepool` values (release `gaie` in the guide). */
  readonly pool: RngdStackChartValues;
  /** furiosa `llm-d-modelservice` values (release `ms` in the guide). */
  readonly model: RngdStackChartValues;
  /**
   * Called for a value that renders differently from what was likely meant (an adapter's
   * warning), or where the stack deliberately renders something other than the chart.
   * @default warnings are dropped
   */
  readonly warn?: (chart: RngdStackChart, warning: ValuesWarning) => void;
}

/** Release names of the guide (`helm install <release>`). */
export const GUIDE_RELEASES: Readonly<Record<RngdStackChart, string>> = Object.freeze({ gateway: 'llm-d-infra', pool: 'gaie', model: 'ms' });

/** A problem in one chart's values (its `field` is a key of that chart's values). */
export interface RngdStackProblem {
  /** The chart whose values hold the problem. */
  readonly chart: RngdStackChart;
  /** The problem, at the values key of that chart. */
  readonly problem: ReportedProblem;
}

/** Every problem of the three charts' values, each with the chart whose values hold it. */
export class RngdStackValuesError extends LlmdValidationError {
  /** Every problem with the chart whose values hold it. */
  declare public readonly byChart: readonly RngdStackProblem[];

  constructor(byChart: readonly RngdStackProblem[]) {
    super(byChart.map(({ chart, problem }) => ({ ...problem, path: `${chart} values: ${problem.path}` })));
    Object.defineProperty(this, 'byChart', { value: byChart, enumerable: false });
  }
}

/** What the stack derives itself for one model (single-model stack): the pods' labels. */
function stackLabels(model: string): Record<string, string> {
  return { 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': modelLabelValue(model) };
}

const CHART_DEFAULT_LABELS = (FURIOSA_MODELSERVICE_CHART_DEFAULTS.modelArtifacts as { labels: Record<string, string> }).labels;

function sameMap(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a![k] === b[k]);
}

/** `o` without the `keys`. */
function without<T extends object, K extends keyof T>(o: T, ...keys: K[]): Omit<T, K> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !(keys as string[]).includes(k))) as Omit<T, K>;
}

/** Runs one adapter; its problems are collected under `chart` instead of thrown. */
function mapped<T>(chart: RngdStackChart, problems: RngdStackProblem[], run: () => T): T | undefined {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof LlmdValidationError)) throw e;
    problems.push(...e.problems.map((problem) => ({ chart, problem })));
    return undefined;
  }
}

/**
 * The model chart's props as the stack's model: the typed engine options that map 1:1, the rest
 * under `modelService`. Pushes a problem for what the stack cannot express.
 */
function modelProps(ms: FuriosaModelServiceProps, names: { modelServiceRelease: string; pool: string }, warn: (w: ValuesWarning) => void): RngdModelProps {
  const { modelArtifacts: art, decode = {} } = ms;
  // The release name is `names.modelServiceRelease`, the namespace the stack's.
  const service = without(ms, 'releaseName', 'namespace', 'modelArtifacts', 'decode');
  const model = art.name as string;
  const uri = art.uri ?? '';
  const derived = stackLabels(model);
  // Labels other than the stack's own and the chart's placeholder are the model's: kept.
  let labels: Readonly<Record<string, string>> | undefined;
  if (!sameMap(art.labels, derived)) {
    if (sameMap(art.labels, CHART_DEFAULT_LABELS)) {
      warn({
        field: 'modelArtifacts.labels',
        value: art.labels,
        message: `is the chart's placeholder; RngdServingStack labels the model pods ${JSON.stringify(derived)} (from modelArtifacts.name) and selects them by llm-d.ai/inferenceServing`,
      });
    } else {
      labels = art.labels;
    }
  }
  if (!art.authSecret) {
    warn({
      field: 'modelArtifacts.authSecretName',
      value: '',
      message: 'is empty, but RngdServingStack gives its model servers a Hugging Face token from the Secret "hf-token-secret" (its hfTokenSecret default, which you create); set authSecretName to the Secret you use',
    });
  }

  // Typed engine options where they map 1:1. A parallelism with `workers` stays whole in
  // `modelService.decode` (the engine has no workers option, and a parallelism given there
  // replaces the engine's).
  const { replicas, parallelism, ...restDecode } = decode;
  const typedParallelism = parallelism === undefined || parallelism.workers === undefined;
  const engine = dropUndefined({
    replicas,
    ...(typedParallelism
      ? { tensorParallelism: parallelism?.tensor ?? 4, dataParallelism: parallelism?.data, pipelineParallelism: parallelism?.pipeline }
      : {}),
  });
  const modelService = dropUndefined({
    ...service,
    decode: typedParallelism ? restDecode : { ...restDecode, parallelism: { tensor: 4, ...parallelism } },
  });
  const modelArtifacts = dropUndefined({ size: art.size, mountPath: art.mountPath, labels });
  return dropUndefined<RngdModelProps>({
    model,
    storage: { uri },
    names,
    ...engine,
    ...(Object.keys(modelArtifacts).length > 0 ? { modelArtifacts } : {}),
    modelService,
  });
}

/**
 * The guide's three charts' values as the props of one {@link RngdServingStack}: plain data (and
 * `PoolProvider` calls), ready to print or to build. Every problem of the three values is listed at
 * once, each with the chart whose values hold it.
 *
 * The stack deliberately differs from the charts here (a warning names the key):
 * - an empty `modelArtifacts.authSecretName`: the stack's servers still read `HF_TOKEN` from its
 *   `hfTokenSecret` (default `hf-token-secret`);
 * - the chart's placeholder `modelArtifacts.labels` (`llm-d.ai/model: random_model`): the stack
 *   labels the pods by the model's name.
 *
 * `modelArtifacts.size`, `mountPath` and labels of its own reach the model's `modelArtifacts`.
 * @throws RngdStackValuesError listing every problem with its chart and values key path
 */
export function rngdServingStackPropsFromValues(input: RngdStackValues): RngdServingStackProps {
  const problems: RngdStackProblem[] = [];
  const ctx = (chart: RngdStackChart): HelmValuesContext => ({
    release: input[chart].release,
    namespace: input.namespace,
    warn: (w) => input.warn?.(chart, w),
  });
  const gateway = mapped('gateway', problems, () => llmDInfraGatewayPropsFromValues(input.gateway.values, ctx('gateway')));
  const pool = mapped('pool', problems, () => inferencePoolPropsFromValues(input.pool.values, ctx('pool')));
  const ms = mapped('model', problems, () => furiosaModelServicePropsFromValues(input.model.values, ctx('model')));

  let model: RngdModelProps | undefined;
  const modelWarnings: ValuesWarning[] = [];
  if (ms) {
    model = modelProps(ms, { modelServiceRelease: input.model.release, pool: input.pool.release }, (w) => modelWarnings.push(w));
  }
  if (problems.length > 0 || !gateway || !pool || !model || !ms) throw new RngdStackValuesError(problems);
  for (const w of modelWarnings) input.warn?.('model', w);

  // The pool's name is `names.pool`, its namespace the stack's; the stack adds the model servers.
  const poolOverride = without(pool as InferenceSchedulerPoolProps & { readonly modelServers?: unknown }, 'name', 'namespace', 'modelServers');
  return dropUndefined<RngdServingStackProps>({
    namespace: input.namespace,
    gateway: without(gateway, 'namespace'),
    hfTokenSecret: ms.modelArtifacts.authSecret ? { name: ms.modelArtifacts.authSecret.name } : undefined,
    models: [{ ...model, pool: poolOverride }],
  });
}
