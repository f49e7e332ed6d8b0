/**
 * Containers of images that look up their user at start-up (see core/image-users), run as a UID
 * without USER and HOME in their environment: the process exits at start.
 */
import { effectiveRunAsUser, isVllmImage } from '../core/image-users';
import { asArray, asObject } from '../core/object-rules/json';
import { describeObject, SystemFinding } from './finding';
import { allContainers, PodGroup } from './workloads';

/** Containers of such images run as a non-root UID without USER (or LOGNAME) and HOME. */
export function imageUserFindings(groups: readonly PodGroup[]): SystemFinding[] {
  const out: SystemFinding[] = [];
  for (const g of groups) {
    for (const c of allContainers(g.spec)) {
      const uid = effectiveRunAsUser(c, g.spec);
      if (typeof c.image !== 'string' || typeof uid !== 'number' || uid === 0 || !isVllmImage(c.image)) continue;
      const names = new Set(asArray(c.env).map((e) => asObject(e)?.name));
      const missing = [names.has('USER') || names.has('LOGNAME') ? undefined : 'USER', names.has('HOME') ? undefined : 'HOME'].filter((x): x is string => x !== undefined);
      if (missing.length === 0) continue;
      const initIndex = asArray(g.spec.initContainers).indexOf(c);
      const where = initIndex >= 0 ? `initContainers[${initIndex}]` : `containers[${asArray(g.spec.containers).indexOf(c)}]`;
      out.push({
        severity: 'error',
        rule: 'image-user',
        object: g.workload,
        source: g.source,
        field: `${g.templateField ? `${g.templateField}.spec` : 'spec'}.${where}.env`,
        value: missing,
        allowed: `env ${missing.join(' and ')} (e.g. USER=vllm, HOME=/tmp or an emptyDir), or run as root (runAsUser 0)`,
        why: `${describeObject(g.workload)} runs ${c.image} as UID ${uid}, which the image's /etc/passwd does not list: vLLM/torch look the user up at start-up (getpass.getuser -> getpwuid) and the process exits`,
      });
    }
  }
  return out;
}
