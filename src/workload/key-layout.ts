// How a key index becomes a key name, relative to the namespace root. Names are computed, never stored:
// a million keys cost a few typed arrays, not a million strings.
//
//   flat:  index 42            → "obj-42"
//   tree:  width 10, depth 2   → leaf directory (42 mod 100) = "d4/d2/", file ⌊42 / 100⌋ → "d4/d2/f0"
// Tree indices beyond the prepared count keep filling the same leaf directories, so PUTs of new files
// spread over the tree.

export type KeyLayout = { kind: 'flat' } | { kind: 'tree'; width: number; depth: number; filesPerDir: number };

export const FLAT_LAYOUT: KeyLayout = { kind: 'flat' };

export function leafDirectoryCount(layout: KeyLayout): number {
  return layout.kind === 'tree' ? layout.width ** layout.depth : 1;
}

export function keyName(layout: KeyLayout, index: number): string {
  if (layout.kind === 'flat') return 'obj-' + index;
  const leaves = leafDirectoryCount(layout);
  return leafDirectoryName(layout, index % leaves) + 'f' + Math.floor(index / leaves);
}

/** The directories a key name lies in, outermost first: "d0/d3/f17" → ["d0", "d0/d3"]; none for "obj-1". */
export function parentDirectories(key: string): string[] {
  const parts = key.split('/').slice(0, -1);
  return parts.map((_, index) => parts.slice(0, index + 1).join('/'));
}

/** How the layout's key names look, for messages: "obj-<n>" or "d<i>/…/f<n>". */
export function keyNamePattern(layout: KeyLayout): string {
  return layout.kind === 'flat' ? 'obj-<n>' : 'd<i>/…/f<n>';
}

/** "d4/d2/" for leaf 42 of a width-10, depth-2 tree; "" for a flat layout. Allocates only the name. */
export function leafDirectoryName(layout: KeyLayout, leaf: number): string {
  if (layout.kind === 'flat') return '';
  let name = '';
  // Most significant digit first: the top level's directory comes first in the path.
  let scale = layout.width ** layout.depth;
  for (let level = 0; level < layout.depth; level++) {
    scale /= layout.width;
    name += 'd' + (Math.floor(leaf / scale) % layout.width) + '/';
  }
  return name;
}

/** Every directory of a tree, parents before children (for the file backend's prepare). */
export function allDirectories(layout: KeyLayout): string[] {
  if (layout.kind === 'flat') return [];
  const result: string[] = [];
  const walk = (prefix: string, level: number): void => {
    if (level === layout.depth) return;
    for (let i = 0; i < layout.width; i++) {
      const dir = `${prefix}d${i}/`;
      result.push(dir);
      walk(dir, level + 1);
    }
  };
  walk('', 0);
  return result;
}
