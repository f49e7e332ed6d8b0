/**
 * Secure-by-default building blocks shared by every workload the library emits. Each construct
 * exposes a `securityContext`-style opt-out prop; these helpers only compute the defaults.
 *
 * The shapes are plain Kubernetes JSON (camelCase), usable with cdk8s L1 classes or ApiObject.
 */

/** Options for the container security context every workload gets. */
export interface HardeningOptions {
  /**
   * Require a non-root user. Off for images that are documented to need root.
   * @default true
   */
  readonly runAsNonRoot?: boolean;
  /**
   * UID to run as. Needed with `runAsNonRoot` when the image's USER is a name, not a number.
   * @default - the image's user
   */
  readonly runAsUser?: number;
  /**
   * Mount the root filesystem read-only. Only where the image writes nothing outside volumes.
   * @default false
   */
  readonly readOnlyRootFilesystem?: boolean;
}

/** Container-level securityContext JSON: no privilege escalation, all capabilities dropped, RuntimeDefault seccomp. */
export function hardenedContainerSecurityContext(opts: HardeningOptions = {}): Record<string, unknown> {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
    ...(opts.runAsNonRoot === false ? {} : { runAsNonRoot: true }),
    ...(opts.runAsUser !== undefined ? { runAsUser: opts.runAsUser } : {}),
    ...(opts.readOnlyRootFilesystem ? { readOnlyRootFilesystem: true } : {}),
  };
}

/** Pod-level securityContext JSON with the RuntimeDefault seccomp profile. */
export function hardenedPodSecurityContext(opts: HardeningOptions = {}): Record<string, unknown> {
  return {
    seccompProfile: { type: 'RuntimeDefault' },
    ...(opts.runAsNonRoot === false ? {} : { runAsNonRoot: true }),
    ...(opts.runAsUser !== undefined ? { runAsUser: opts.runAsUser } : {}),
  };
}

/** True for image references that float (`:latest` or no tag and no digest). */
export function isFloatingImageTag(image: string): boolean {
  if (image.includes('@sha256:')) return false;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return colon < 0 || lastSegment.slice(colon + 1) === 'latest';
}
