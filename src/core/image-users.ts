/**
 * Images that look up their user at start-up. vLLM (and llm-d's images built on it) runs torch,
 * whose compile caches call `getpass.getuser()`: with no USER/LOGNAME in the environment that
 * falls back to `pwd.getpwuid(uid)`, which raises for a UID the image's /etc/passwd does not
 * list (these images list root only), and the server exits; its caches live under HOME, which
 * must be set and writable. A container of such an image run as another UID needs USER and HOME.
 */

type Json = Record<string, unknown>;

/** Image repositories of servers that resolve their user at start-up (vLLM and llm-d's vLLM builds). */
const USER_RESOLVING_IMAGES = /(^|\/)(vllm-openai|vllm-[a-z0-9-]*|vllm|llm-d|llm-d-(cuda|xpu|cpu|rocm|dev)[a-z0-9-]*)(:|@|$)/;

/** The user name and HOME given to such a container (HOME under /tmp, writable without a volume). */
export const RESOLVED_USER_ENV = Object.freeze({ USER: 'vllm', HOME: '/tmp/home' });

/** Whether an image is vLLM's or one of llm-d's vLLM builds: the images that resolve their user at start-up. */
export function isVllmImage(image: string): boolean {
  return USER_RESOLVING_IMAGES.test(image.toLowerCase());
}

/** The UID a container runs as: its own securityContext's, else the pod's (undefined: the image's user). */
export function effectiveRunAsUser(container: Json, pod: Json): unknown {
  const own = (container.securityContext as Json | undefined)?.runAsUser;
  return own ?? (pod.securityContext as Json | undefined)?.runAsUser;
}

/**
 * Adds USER and HOME (unless set) to every container of the pod spec that runs such an image as a
 * non-root UID.
 */
export function addResolvedUserEnv(pod: Json): void {
  for (const key of ['initContainers', 'containers']) {
    const list = pod[key];
    if (!Array.isArray(list)) continue;
    pod[key] = list.map((c: Json) => {
      const uid = effectiveRunAsUser(c, pod);
      if (typeof c.image !== 'string' || typeof uid !== 'number' || uid === 0 || !isVllmImage(c.image)) return c;
      const env = Array.isArray(c.env) ? (c.env as Json[]) : [];
      const names = new Set(env.map((e) => e.name));
      const add = [...(names.has('USER') || names.has('LOGNAME') ? [] : [{ name: 'USER', value: RESOLVED_USER_ENV.USER }]), ...(names.has('HOME') ? [] : [{ name: 'HOME', value: RESOLVED_USER_ENV.HOME }])];
      return add.length === 0 ? c : { ...c, env: [...env, ...add] };
    });
  }
}
