// Full URIs in a config (an endpoint root, a list prefix) become logical keys relative to the namespace
// root once, at plan time. Roots and URIs are compared in one canonical form: scheme and authority
// lower-cased, percent-encoding decoded, repeated slashes collapsed, "." segments dropped, directories
// ending with "/". A URI maps to the root that is its longest *segment-aligned* prefix, so /mnt/a/ never
// claims /mnt/ab/x, and of /mnt/a/ and /mnt/a/b/ the second owns /mnt/a/b/x.

export interface CanonicalUri {
  /** "s3://bucket" or "file://" */
  base: string;
  /** "/", "/run1/", "/run1/data/x" (decoded, no repeated slashes) */
  path: string;
}

export function canonicalUri(uri: string): CanonicalUri | undefined {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(uri);
  if (!match) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(match[3] || '/');
  } catch {
    return undefined; // malformed percent-encoding
  }
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  const isDirectory = path.endsWith('/') || path === '' || segments.length === 0;
  const canonicalPath = '/' + segments.join('/') + (isDirectory && segments.length > 0 ? '/' : '');
  return { base: `${match[1]!.toLowerCase()}://${match[2]!.toLowerCase()}`, path: canonicalPath };
}

/** The canonical text of a namespace root: always ends with "/". */
export function canonicalRoot(uri: string): string | undefined {
  const canonical = canonicalUri(uri);
  if (!canonical) return undefined;
  return canonical.base + (canonical.path.endsWith('/') ? canonical.path : canonical.path + '/');
}

/**
 * The root (index into `roots`) that owns `uri`, and the key relative to it ("" for the root itself), or
 * undefined when no root contains it.
 */
export function logicalKeyOf(uri: string, roots: readonly string[]): { root: number; key: string } | undefined {
  const canonical = canonicalUri(uri);
  if (!canonical) return undefined;
  const text = canonical.base + canonical.path;
  let best: { root: number; key: string } | undefined;
  let bestLength = -1;
  roots.forEach((root, index) => {
    const canonicalRootText = canonicalRoot(root);
    if (canonicalRootText === undefined) return;
    const isInside = text.startsWith(canonicalRootText) || text + '/' === canonicalRootText;
    if (isInside && canonicalRootText.length > bestLength) {
      best = { root: index, key: text.length >= canonicalRootText.length ? text.slice(canonicalRootText.length) : '' };
      bestLength = canonicalRootText.length;
    }
  });
  return best;
}
