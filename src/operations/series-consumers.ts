import type { PromExpr } from '../core/promql';
import type { ObjectIdentity } from '../system/finding';

/**
 * One query of an operations object and the series it reads: what must be scraped for the alert,
 * panel or autoscaler to have data.
 */
export interface SeriesConsumer {
  /**
   * Who reads, for messages: `PrometheusRule llm-d/llm-d-serving/ModelServerDown (ms-decode)`,
   * `ConfigMap llm-d/llm-d-model-servers/<panel title>/A`, `ScaledObject llm-d/ms-decode/triggers[0]`,
   * `HorizontalPodAutoscaler llm-d/ms-decode/metrics[0]`.
   */
  readonly consumer: string;
  /** The object that holds the query. */
  readonly object: ObjectIdentity;
  /** Where in the object, e.g. `spec.groups[0].rules[2].expr`. */
  readonly field: string;
  /** The query as written (for an HPA Pods metric: the metric name the adapter serves). */
  readonly query: string;
  /** Metric names the query reads, in order of first use (`series` of the built query). */
  readonly series: readonly string[];
}

/** A consumer of a built query. */
export function consumerOf(object: ObjectIdentity, where: string, field: string, query: PromExpr): SeriesConsumer {
  return { consumer: `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}/${where}`, object, field, query: query.toString(), series: [...query.series] };
}
