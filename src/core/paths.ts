/**
 * Paths compared by what they name, not by how they are spelled. A mount path or file name is
 * normalized before any comparison (`//tmp`, `/tmp/`, `/./tmp` and `/x/../tmp` all name `/tmp`):
 * otherwise a check such as "not under /tmp" or "once per container" is passed by a spelling the
 * kubelet, the container runtime or the file system reads as the same directory.
 */
import * as path from 'path';

/**
 * A POSIX path as the file system resolves it: `.` segments dropped, `..` applied, repeated and
 * trailing slashes removed (the root stays `/`). Relative paths stay relative (`a/./b/` is `a/b`).
 */
export function normalizedPosixPath(p: string): string {
  const n = path.posix.normalize(p);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

/** Whether the POSIX path `p` is `dir` or lies under it, once both are normalized. */
export function isPosixPathWithin(p: string, dir: string): boolean {
  const np = normalizedPosixPath(p);
  const nd = normalizedPosixPath(dir);
  return np === nd || np.startsWith(nd === '/' ? '/' : `${nd}/`);
}
