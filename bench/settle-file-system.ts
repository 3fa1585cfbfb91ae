// Brings the machine to the same state before every write run, so that no contender inherits another's
// pages. Why it matters here: these machines are Firecracker VMs with free page reporting
// (page_reporting.page_reporting_order=11 on the kernel command line). Page-cache pages freed by a
// deleted file go back to the host about 2 s later, and touching fresh pages again costs host faults:
// measured, a 2 GiB `dd` of new data ran at 394 MB/s when the previous run's pages had been returned and
// at 3.4 GB/s right after a delete, when it reused them. So before each run: delete what the last run
// wrote, flush dirty data (no writeback competing with the next run), then wait until freed pages have
// been reported. Every contender then starts cold, from the same state.

import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runChildOk } from './child-process.js';

/** Free page reporting runs 2 s after pages are freed (PAGE_REPORTING_DELAY); wait a little longer. */
export const SETTLE_MS = 3000;

export async function settleFileSystem(dir: string): Promise<void> {
  for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
  await runChildOk('sync', ['-f', dir]);
  await sleep(SETTLE_MS);
}
