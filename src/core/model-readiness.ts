/**
 * How a model server waits for the Job that fills its model volume: the filler writes a marker
 * file last, once the model is complete, and names it in an annotation of its pod template; the
 * server's first init container mounts the same claim and waits until that file exists. The
 * system model reads both from the manifests to prove the order.
 */
import { normalizedPosixPath } from './paths';

/** Annotation of a filler's pod template: the marker file it writes last, relative to the volume root. */
export const COMPLETION_MARKER_ANNOTATION = 'llm-d.ai/completion-marker';
/** Env var of the wait init container: the absolute path of the marker in that container. */
export const WAIT_FOR_FILE_ENV = 'LLM_D_WAIT_FOR_FILE';
/** Name of the wait init container. */
export const WAIT_FOR_MODEL_CONTAINER = 'wait-for-model';
/** Seconds between two looks for the marker. */
const POLL_SECONDS = 10;

/** `<mountPath>/<marker>`, normalized (single slashes, no "." segments): one spelling for one file. */
export function markerPathIn(mountPath: string, marker: string): string {
  return normalizedPosixPath(`${mountPath}/${marker}`);
}

/**
 * The wait init container: the server's own image (already pulled for the server; any image with
 * a POSIX shell works), the claim read-only, the path only in the environment (never in the
 * command), small requests, the given security context.
 */
export function waitForModelContainer(o: { image: string; volume: string; mountPath: string; marker: string; securityContext?: Record<string, unknown> }): Record<string, unknown> {
  return {
    name: WAIT_FOR_MODEL_CONTAINER,
    image: o.image,
    command: ['/bin/sh', '-c', `until [ -f "$${WAIT_FOR_FILE_ENV}" ]; do echo "waiting for the model download to complete ($${WAIT_FOR_FILE_ENV})"; sleep ${POLL_SECONDS}; done`],
    env: [{ name: WAIT_FOR_FILE_ENV, value: markerPathIn(o.mountPath, o.marker) }],
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
    ...(o.securityContext ? { securityContext: o.securityContext } : {}),
    volumeMounts: [{ name: o.volume, mountPath: o.mountPath, readOnly: true }],
  };
}
