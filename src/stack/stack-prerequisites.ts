import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { includeVerbatim } from '../core/verbatim-manifests';
import type { SchedulerRelease } from '../scheduler/scheduler-release';

/** Objects to apply before the stack, written as their own chart file. Each is off by default. */
export interface ServingPrerequisites {
  /** Gateway API standard-channel CRDs of the stack's release (v1.4.1 guide pins, v1.5.1 llm-d-router). @default false */
  readonly gatewayApiCrds?: boolean;
  /**
   * Gateway API Inference Extension CRDs of the stack's release (v1.3.0 guide pins; v1.6.0 plus
   * the llm-d.ai InferenceObjective/InferenceModelRewrite CRDs with llm-d-router).
   * @default false
   */
  readonly inferenceExtensionCrds?: boolean;
  /** The Namespace object. @default false */
  readonly namespace?: boolean;
  /** `istiod-values.yaml` next to the manifests (Helm values for istiod with the inference extension). @default false */
  readonly istiodValues?: boolean;
  /**
   * Prometheus Operator CRDs (v0.86.0: ServiceMonitor, PodMonitor, PrometheusRule). Set false when
   * kube-prometheus-stack or another operator install owns them.
   * @default - with the other CRDs, when the stack emits monitoring objects
   */
  readonly prometheusOperatorCrds?: boolean;
  /**
   * The KEDA ScaledObject CRD (v2.20.2). Set false when KEDA's install owns it.
   * @default - with the other CRDs, when the stack emits a ScaledObject
   */
  readonly kedaCrds?: boolean;
}

/**
 * Adds the CRDs of the day-2 objects the stack emitted to its prerequisites: the Prometheus
 * Operator's for monitoring objects and KEDA's for ScaledObjects, when CRDs were asked for at all.
 */
export function addOperationsCrds(chart: Chart, p: ServingPrerequisites, emitted: { readonly monitoring: boolean; readonly keda: boolean }): void {
  const crds = Boolean(p.gatewayApiCrds || p.inferenceExtensionCrds);
  const dir = vendoredCrdDir();
  if (p.prometheusOperatorCrds ?? (crds && emitted.monitoring)) includeVerbatim(new Construct(chart, 'prometheus-operator-crds'), path.join(dir, 'prometheus-operator-v0.86.0.yaml'));
  if (p.kedaCrds ?? (crds && emitted.keda)) includeVerbatim(new Construct(chart, 'keda-crds'), path.join(dir, 'keda-v2.20.2-scaledobjects.yaml'));
}

/** Whether any prerequisite object (not file) was asked for. */
export function wantsPrerequisiteObjects(p: ServingPrerequisites): boolean {
  return Boolean(p.gatewayApiCrds || p.inferenceExtensionCrds || p.namespace || p.prometheusOperatorCrds || p.kedaCrds);
}

/** The chart of prerequisite objects: the Namespace and the vendored CRD files of the release, as written. */
export function prerequisitesChart(scope: Construct, id: string, namespace: string, p: ServingPrerequisites, release: SchedulerRelease): Chart {
  const chart = new Chart(scope, id);
  const crdDir = vendoredCrdDir();
  if (p.namespace) {
    new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'kubernetes.io/metadata.name': namespace } } });
  }
  // Kept as text: written as vendored, parsed only if something reads them as JSON.
  if (p.gatewayApiCrds) includeVerbatim(new Construct(chart, 'gateway-api-crds'), path.join(crdDir, `gateway-api-${release.gatewayApiVersion}-standard.yaml`));
  if (p.inferenceExtensionCrds) {
    includeVerbatim(new Construct(chart, 'inference-extension-crds'), path.join(crdDir, `gateway-api-inference-extension-${release.inferenceExtensionVersion}.yaml`));
    // llm-d-router's EPP watches InferenceObjectives in its own group (and needs the CRD to exist).
    if (release.isLlmdRouter) includeVerbatim(new Construct(chart, 'llm-d-router-crds'), path.join(crdDir, 'llm-d-router-v0.10.0.yaml'));
  }
  return chart;
}

/** The package's crds/ folder, from src/stack (tests) or lib/src/stack (compiled). */
function vendoredCrdDir(): string {
  const candidates = [path.join(__dirname, '..', '..', 'crds'), path.join(__dirname, '..', '..', '..', 'crds')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'gateway-api-v1.4.1-standard.yaml'))) ?? candidates[0];
}
