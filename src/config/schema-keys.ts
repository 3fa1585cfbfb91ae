// The keys a strict object accepts at a path of the workload schema, for "did you mean" and "known keys".
// Walks zod's schema definitions: objects, arrays, unions (the keys of every object branch), and the
// wrappers (optional, default, pipe/transform) that stand between them.

import type { z } from 'zod';

type AnySchema = z.core.$ZodType;

export function knownKeysAt(schema: AnySchema, path: readonly (string | number)[]): string[] {
  const keys = new Set<string>();
  for (const object of objectsAt(schema, path)) for (const key of Object.keys(object)) keys.add(key);
  return [...keys];
}

function objectsAt(schema: AnySchema, path: readonly (string | number)[]): Record<string, AnySchema>[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
      return objectsAt(def.innerType as AnySchema, path);
    case 'pipe':
      return objectsAt(def.in as AnySchema, path);
    case 'union':
      return (def.options as AnySchema[]).flatMap((option) => objectsAt(option, path));
    case 'array':
      return path.length > 0 && typeof path[0] === 'number' ? objectsAt(def.element as AnySchema, path.slice(1)) : [];
    case 'object': {
      const shape = def.shape as Record<string, AnySchema>;
      if (path.length === 0) return [shape];
      const child = shape[String(path[0])];
      return child ? objectsAt(child, path.slice(1)) : [];
    }
    default:
      return [];
  }
}
