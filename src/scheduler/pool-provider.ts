// Which gateway implementation a pool is used with, as a small union-like class in the manner of
// cdk8s-plus `DeploymentStrategy.rollingUpdate()`: each kind carries only its own options.
import { HasSourceExpression, SOURCE_EXPRESSION, SourceExpression } from '../core/source-expression';
import type { EppJsonObject } from './types';

/** Istio provider options. */
export interface InferencePoolIstioOptions {
  /**
   * Host of the DestinationRule.
   * @default - the EPP Service's FQDN, `<name>-epp.<namespace>.svc.cluster.local`
   */
  readonly destinationRuleHost?: string;
  /**
   * `trafficPolicy.connectionPool` of the DestinationRule (Istio ConnectionPoolSettings JSON).
   * @default - none
   */
  readonly connectionPool?: EppJsonObject;
}

/** GKE provider options. */
export interface InferencePoolGkeOptions {
  /**
   * The cluster is GKE Autopilot (the GMP collector runs in `gke-gmp-system`).
   * @default false
   */
  readonly autopilot?: boolean;
  /**
   * Port of the HealthCheckPolicy's HTTP health check.
   * @default - the pool's first target port
   */
  readonly healthCheckPort?: number;
}

/** Names of the providers. */
export type InferencePoolProvider = 'none' | 'istio' | 'gke';

/** The gateway implementation an InferenceSchedulerPool is used with, and its options. */
export class PoolProvider implements HasSourceExpression {
  /** No provider objects (kgateway, agentgateway and other gateways need none from the pool). */
  public static none(): PoolProvider {
    return new PoolProvider('none');
  }

  /** Istio: a DestinationRule for the EPP Service (TLS to its self-signed ext-proc endpoint). */
  public static istio(options: InferencePoolIstioOptions = {}): PoolProvider {
    return new PoolProvider('istio', { ...options });
  }

  /** GKE: HealthCheckPolicy, GCPBackendPolicy and, with monitoring, the GMP PodMonitoring. */
  public static gke(options: InferencePoolGkeOptions = {}): PoolProvider {
    return new PoolProvider('gke', undefined, { ...options });
  }

  private constructor(
    /** Which provider. */
    public readonly name: InferencePoolProvider,
    /** Istio options, for `istio`. */
    public readonly istio?: InferencePoolIstioOptions,
    /** GKE options, for `gke`. */
    public readonly gke?: InferencePoolGkeOptions,
  ) {}

  /** How `cdk8s-llm-d convert` writes this value. */
  public [SOURCE_EXPRESSION](): SourceExpression {
    const options = this.istio ?? this.gke;
    return { importName: 'PoolProvider', method: this.name, argument: options && Object.keys(options).length > 0 ? options : undefined };
  }
}
