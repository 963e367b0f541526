import { evaluate, parseExpression, truthy } from '../core/expression.ts';
import { workChannel, type QueueDef, type RoutingModel, type RoutingRule, type SurveyRule, type Workstream } from './model.ts';

/**
 * What routing rules can test, in the bot expression language:
 *
 *   context.BotHandoffTopic == 'CreditCard'      (context variables: the session scope and the transfer node's context)
 *   intent == 'lost_card' and exists(entities.cardType)
 *   channel == 'voice' or customer.tier == 'gold'
 *   queue == 'payments'                            (the queue the bot's transfer node asked for)
 */
export interface RoutingFacts {
  /** `chat`, `voice` or `ivr` (the conversation's channel). */
  channel: string;
  bot?: string;
  language?: string;
  intent?: string;
  entities: Record<string, unknown>;
  context: Record<string, unknown>;
  session: Record<string, unknown>;
  user: Record<string, unknown>;
  /** The customer's identity and attributes (`customer.id`, and the `user.` scope's values). */
  customer: Record<string, unknown>;
  /** The queue the bot asked for; absent when a conversation starts. */
  queue?: string;
  /** Has the bot handed the conversation over (false while choosing the first-line bot)? */
  escalated: boolean;
  reason?: string;
}

export interface RouteDecision {
  workstream?: Workstream;
  /** The rule that matched; absent when the bot's requested queue was used. */
  rule?: RoutingRule;
  queue: QueueDef;
  /** Skills the agent needs (the queue's and the rule's). */
  skills: string[];
}

/** Does a condition hold for these facts? */
export function holds(condition: string, facts: RoutingFacts): boolean {
  const lookup = (path: string[]): unknown => {
    let cur: unknown = facts;
    for (const key of path) {
      if (cur === null || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string, unknown>)[key];
    }
    return cur;
  };
  return truthy(evaluate(parseExpression(condition), lookup));
}

/** The workstream for a conversation: the first of its channel kind that takes the bot. */
export function workstreamFor(model: RoutingModel, channel: string, bot?: string): Workstream | undefined {
  const kind = workChannel(channel);
  return model.workstreams.find((w) => w.channel === kind && (w.bots.length === 0 || (bot !== undefined && w.bots.includes(bot))));
}

/**
 * Routing: the rules of the conversation's workstream in order, the first whose condition holds picks the
 * queue; when none holds, the queue the bot asked for. Undefined when neither names a configured queue.
 */
export function route(model: RoutingModel, facts: RoutingFacts): RouteDecision | undefined {
  const workstream = workstreamFor(model, facts.channel, facts.bot);
  const queues = new Map(model.queues.map((q) => [q.id, q]));
  for (const rule of workstream?.rules ?? []) {
    if (!holds(rule.if, facts)) continue;
    const queue = queues.get(rule.queue);
    if (queue) return { ...(workstream ? { workstream } : {}), rule, queue, skills: union(queue.skills, rule.skills) };
  }
  const requested = facts.queue === undefined ? undefined : queues.get(facts.queue);
  if (!requested) return undefined;
  return { ...(workstream ? { workstream } : {}), queue: requested, skills: [...requested.skills] };
}

/** The first-line bot for a new conversation: the rules pick a queue and its first bot member takes it. */
export function routeIncoming(model: RoutingModel, facts: Omit<RoutingFacts, 'escalated'>): { queue: QueueDef; bot: string; rule?: RoutingRule } | undefined {
  const decision = route(model, { ...facts, escalated: false });
  if (!decision) return undefined;
  const bot = model.bots.find((b) => b.queues.includes(decision.queue.id));
  if (!bot) return undefined;
  return { queue: decision.queue, bot: bot.id, ...(decision.rule ? { rule: decision.rule } : {}) };
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** When an agent ends a conversation: the first survey rule whose condition holds (facts plus `disposition`). */
export function surveyFor(model: RoutingModel, facts: RoutingFacts & { disposition: string }): SurveyRule | undefined {
  return model.surveys.find((s) => holds(s.if, facts));
}
