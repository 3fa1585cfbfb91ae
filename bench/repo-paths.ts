// Where things are, seen from the compiled bench (dist/bench/*.js).

import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The compiled bench itself (the child programs: SDK loop, Node floors). */
export const BENCH_DIST = fileURLToPath(new URL('./', import.meta.url));
