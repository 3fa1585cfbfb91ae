import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workloadJsonSchema } from '../../../src/config/schema.js';

test('the JSON Schema describes the workload file and rejects unknown keys, as the loader does', () => {
  const schema = workloadJsonSchema() as { properties: Record<string, unknown>; required: string[]; additionalProperties: unknown };
  assert.ok(['target', 'workload', 'prepare', 'rate', 'verify', 's3', 'file'].every((key) => key in schema.properties));
  assert.deepEqual([...schema.required].sort(), ['target', 'workload']);
  assert.equal(schema.additionalProperties, false);
  const workload = schema.properties.workload as { items: { properties: Record<string, unknown>; additionalProperties: unknown } };
  assert.deepEqual(Object.keys(workload.items.properties).sort(), ['max_keys', 'op', 'overwrite', 'prefix', 'range', 'size', 'use_multi_endpoint', 'weight']);
  assert.equal(workload.items.additionalProperties, false);
});
