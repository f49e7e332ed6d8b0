import { Problem } from '../errors';

// The distribution reference grammar (github.com/distribution/reference) the kubelet parses
// images with: an optional registry host (with port), lower-case path components, an optional
// tag of at most 128 characters, an optional digest.
const HOST_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${HOST_PART}(?:\\.${HOST_PART})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(?:${HOST}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);

/** Whether the kubelet can parse `image` (it fails the pod with InvalidImageName otherwise). */
export function isImageReference(image: string): boolean {
  return image.length <= 4096 && REFERENCE.test(image);
}

/** A problem unless `image` is absent or an image reference the kubelet can pull. */
export function imageReferenceProblem(field: string, image: unknown): Problem | undefined {
  if (image === undefined || image === null) return undefined;
  if (typeof image === 'string' && isImageReference(image)) return undefined;
  return {
    field,
    value: image,
    allowed: 'an image reference such as "registry.example.com/team/image:tag": lower-case repository, no spaces, a tag of at most 128 characters and/or an @sha256 digest',
  };
}
