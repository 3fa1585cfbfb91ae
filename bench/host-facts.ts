// The facts a benchmark table needs next to it: which machine, which Node, when.

import * as os from 'node:os';

export interface HostFacts {
  date: string;
  cpuModel: string;
  cores: number;
  node: string;
  os: string;
  memoryGiB: number;
}

export function hostFacts(): HostFacts {
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}
