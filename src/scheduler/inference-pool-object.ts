// The InferencePool object itself, from the classes `cdk8s import` generated from the CRDs of
// both API groups, so the compiler checks every field against the schema of its version.
import { ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as v1 from '../../imports/inference.networking.k8s.io';
import * as v1alpha2 from '../../imports/inference.networking.x-k8s.io';
import type { InferencePoolApiVersion } from './rules';

/** What the pool's spec is made of; read when the chart is synthesized (model servers come later). */
export interface InferencePoolSpecParts {
  /** Labels that select the model-server pods. */
  readonly selector: Readonly<Record<string, string>>;
  /** The model servers' ports (v1alpha2 takes the first only). */
  readonly targetPorts: readonly number[];
  /** The endpoint picker's Service and its ext-proc port. */
  readonly eppServiceName: string;
  readonly extProcPort: number;
  /** Unset: v1 leaves it to the API server, v1alpha2 writes the chart's `FailClose`. */
  readonly failureMode?: 'FailOpen' | 'FailClose';
}

export function v1PoolSpec(p: InferencePoolSpecParts): v1.InferencePoolSpec {
  return {
    targetPorts: p.targetPorts.map((number) => ({ number })),
    selector: { matchLabels: { ...p.selector } },
    endpointPickerRef: {
      name: p.eppServiceName,
      port: { number: p.extProcPort },
      failureMode: p.failureMode as v1.InferencePoolSpecEndpointPickerRefFailureMode | undefined,
    },
  };
}

export function v1alpha2PoolSpec(p: InferencePoolSpecParts): v1alpha2.InferencePoolSpec {
  return {
    targetPortNumber: p.targetPorts[0],
    selector: { ...p.selector },
    extensionRef: { name: p.eppServiceName, portNumber: p.extProcPort, failureMode: (p.failureMode ?? 'FailClose') as v1alpha2.InferencePoolSpecExtensionRefFailureMode },
  };
}

/**
 * Adds the InferencePool of `apiVersion` with id `Resource` (the construct's default child). The
 * spec is produced at synthesis from `parts`, after every model server has been added.
 */
export function addInferencePool(scope: Construct, apiVersion: InferencePoolApiVersion, metadata: ApiObjectMetadata, parts: () => InferencePoolSpecParts): v1.InferencePool | v1alpha2.InferencePool {
  if (apiVersion === 'inference.networking.x-k8s.io/v1alpha2') {
    return new v1alpha2.InferencePool(scope, 'Resource', { metadata, spec: Lazy.any({ produce: () => v1alpha2PoolSpec(parts()) }) as unknown as v1alpha2.InferencePoolSpec });
  }
  return new v1.InferencePool(scope, 'Resource', { metadata, spec: Lazy.any({ produce: () => v1PoolSpec(parts()) }) as unknown as v1.InferencePoolSpec });
}
