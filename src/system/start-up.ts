/**
 * Start-up order: a server that reads a claim another workload fills must not start before the
 * filler is done. Kubernetes has no such ordering across objects; the proof is in the manifests:
 * the filler names the marker file it writes last, and the server has an init container that
 * mounts the same claim and waits for exactly that file.
 */
import { COMPLETION_MARKER_ANNOTATION, markerPathIn, WAIT_FOR_FILE_ENV } from '../core/model-readiness';
import { asArray, asObject } from '../core/object-rules/json';
import { normalizedPosixPath } from '../core/paths';
import { describeObject, SystemFinding } from './finding';
import { ClaimUse } from './volumes';
import { gatingInitContainers } from './workloads';

/** Whether `consumer` has an init container that waits on its mount of the claim for `marker`. */
function waitsFor(consumer: ClaimUse, marker: string): boolean {
  return gatingInitContainers(consumer.group.spec).some((c) => {
    const env = asArray(c.env).map(asObject).find((e) => e?.name === WAIT_FOR_FILE_ENV);
    if (typeof env?.value !== 'string') return false;
    return asArray(c.volumeMounts).map(asObject).some((m) => m?.name === consumer.volume && m.subPath === undefined && typeof m.mountPath === 'string' && markerPathIn(m.mountPath, marker) === normalizedPosixPath(env.value as string));
  });
}

/** Servers that mount a claim while a Job (or bare Pod) of the stack may still be filling it. */
export function startUpFindings(uses: ReadonlyMap<string, readonly ClaimUse[]>): SystemFinding[] {
  const out: SystemFinding[] = [];
  for (const [key, list] of uses) {
    // Jobs, and bare Pods that write (the guide's downloader Pod fills the claim in an init container).
    const fillers = list.filter((u) => u.writes && (u.group.runsToCompletion || u.group.workload.kind === 'Pod'));
    if (fillers.length === 0) continue;
    const claim = key.slice(key.indexOf('/') + 1);
    for (const consumer of list.filter((u) => !u.group.runsToCompletion && !u.writes)) {
      for (const filler of fillers) {
        const marker = filler.group.annotations[COMPLETION_MARKER_ANNOTATION];
        if (marker !== undefined && waitsFor(consumer, marker)) continue;
        const field = `${consumer.group.templateField ? `${consumer.group.templateField}.spec` : 'spec'}.initContainers`;
        out.push({
          severity: 'error',
          rule: 'start-up-order',
          object: consumer.group.workload,
          source: consumer.group.source,
          field,
          value: claim,
          allowed: marker === undefined
            ? `a filler that writes a completion marker and names it in its pod annotation ${COMPLETION_MARKER_ANNOTATION} (ModelPvcDownloader does), and an init container here that waits for it on the claim (${WAIT_FOR_FILE_ENV}); or apply ${describeObject(filler.group.workload)} first and \`kubectl wait --for=condition=complete\` before the servers`
            : `an init container that mounts claim ${claim} and waits for ${marker} (env ${WAIT_FOR_FILE_ENV}; the model services add it when their storage is a ModelPvcDownloader)`,
          why: `${describeObject(consumer.group.workload)} starts on claim ${claim} while ${describeObject(filler.group.workload)} may still be filling it: the server reads an empty or partial model and crash-loops until the download ends`,
        });
      }
    }
  }
  return out;
}
