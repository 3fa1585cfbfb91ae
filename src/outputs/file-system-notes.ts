// What `iofleet run` says about the file systems under file:// endpoints before it starts: one line per
// endpoint (type, mount point, device, space), and warnings for two mistakes that would otherwise only
// show in the numbers: endpoints that are one file system instance, and a prepare larger than the space.

import type { FileSystemFacts } from '../backends/file/file-system-facts.js';
import { formatBytes } from '../config/units.js';
import type { RunPlan } from '../plan/run-plan.js';
import { describeSizeDistribution } from '../workload/size-distribution.js';

export interface FileSystemNotes {
  lines: string[];
  warnings: string[];
}

/** `facts[i]` belongs to plan.endpoints[i] (undefined for endpoints that are not file://, or whose file system could not be read). */
export function fileSystemNotes(plan: RunPlan, facts: readonly (FileSystemFacts | undefined)[]): FileSystemNotes {
  const lines: string[] = [];
  const warnings: string[] = [];
  const byDevice = new Map<string, number[]>();
  facts.forEach((fact, endpoint) => {
    if (fact === undefined) return;
    const space = fact.freeBytes === undefined || fact.sizeBytes === undefined ? 'space unknown' : `${formatBytes(fact.freeBytes)} free of ${formatBytes(fact.sizeBytes)}`;
    lines.push(
      `file system: ${plan.endpoints[endpoint]!.id} is on ${fact.type}${fact.source === '' ? '' : ` ${fact.source}`} mounted at ${fact.mountPoint} ` +
        `(device ${fact.device}), ${space}`,
    );
    const used = plan.routing === undefined ? endpoint === plan.targetEndpoint : plan.routing.poolEndpoints.includes(endpoint);
    if (!used) return;
    let list = byDevice.get(fact.device);
    if (list === undefined) byDevice.set(fact.device, (list = []));
    list.push(endpoint);
  });

  const poolSize = plan.routing?.poolEndpoints.length ?? 1;
  const preparedBytes = plan.prepare.count > 0 ? describeSizeDistribution(plan.prepare.size).meanBytes * plan.prepare.count : 0;
  for (const [device, endpoints] of byDevice) {
    const fact = facts[endpoints[0]!]!;
    if (endpoints.length > 1) {
      const ids = endpoints.map((endpoint) => plan.endpoints[endpoint]!.id).join(', ');
      warnings.push(
        `file endpoints ${ids} are one ${fact.type} file system instance (device ${device}): ` +
          (fact.type.startsWith('nfs')
            ? 'Linux gives mounts of the same export one superblock, so one page cache and attribute cache, unless they are mounted with nosharecache; a read one of them cached is then a cache hit through the others'
            : 'the load is spread over paths, not over separate file systems or mounts'),
      );
    }
    // An independent namespace spreads the prepared objects over the pool; a shared one puts all of them
    // on the one file system every endpoint sees.
    const expected = plan.routing?.namespace === 'independent' ? (preparedBytes * endpoints.length) / poolSize : preparedBytes;
    if (fact.freeBytes !== undefined && expected > fact.freeBytes) {
      warnings.push(`prepare writes about ${formatBytes(Math.round(expected))} to ${fact.mountPoint} (${fact.type}), which has ${formatBytes(fact.freeBytes)} free: expect ENOSPC (io_error)`);
    }
  }
  return { lines, warnings };
}
