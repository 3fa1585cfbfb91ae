#!/usr/bin/env node
// Entry point: the compiled CLI (npm ci / npm run build compile src/ to dist/).
import '../dist/src/cli/main.js';
