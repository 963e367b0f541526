import { agentFrom, queueFrom } from './routing-config.ts';
import type { AgentInput, QueueInput } from './routing-schema.ts';
import type { RoutingModel } from './model.ts';

/** A routing model for tests, from the short forms authors write. */
export function testModel(parts: { queues: QueueInput[]; agents?: AgentInput[]; rules?: Array<{ name: string; if: string; queue: string }> }): RoutingModel {
  return {
    workstreams: [{ id: 'chat', channel: 'chat', bots: [], rules: (parts.rules ?? []).map((r) => ({ ...r, skills: [] })) }],
    queues: parts.queues.map(queueFrom),
    agents: (parts.agents ?? []).map(agentFrom),
    bots: [],
    surveys: [],
    connectors: [],
    presenceGraceMs: 15_000,
  };
}
