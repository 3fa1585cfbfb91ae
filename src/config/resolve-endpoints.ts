// Which endpoints a host uses, resolved once at plan time. Precedence, highest first:
//   1. the agent's own multi_endpoint        (agents[].multi_endpoint)
//   2. the global multi_endpoint
//   3. the agent's target_override           (one endpoint: that target's own)
//   4. the global target                      (one endpoint: the target's own)
// The namespace (bucket + prefix, or directory) is the agent's target_override when it has one, else the
// global target. Local runs resolve as "no agent". The distributed controller calls this per agent.

import type { AgentConfig, MultiEndpointConfig, WorkloadConfig } from './schema.js';

export type EndpointSource = 'agent multi_endpoint' | 'multi_endpoint' | 'agent target_override' | 'target';

export interface ResolvedEndpoints {
  source: EndpointSource;
  /** The namespace root URI. */
  target: string;
  /** The pool in force, or undefined when the target's own endpoint serves everything. */
  pool: MultiEndpointConfig | undefined;
}

export function resolveEndpoints(config: Pick<WorkloadConfig, 'target' | 'multi_endpoint' | 'agents'>, agentId?: string): ResolvedEndpoints {
  const agent: AgentConfig | undefined = agentId === undefined ? undefined : config.agents?.find((a) => a.id === agentId);
  const target = agent?.target_override ?? config.target;
  if (agent?.multi_endpoint) return { source: 'agent multi_endpoint', target, pool: agent.multi_endpoint };
  if (config.multi_endpoint) return { source: 'multi_endpoint', target, pool: config.multi_endpoint };
  if (agent?.target_override) return { source: 'agent target_override', target, pool: undefined };
  return { source: 'target', target, pool: undefined };
}
