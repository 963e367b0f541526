/**
 * Builds a dialog's node list the way VoiceXML runs content: in order, falling through from one node to
 * the next; jumps set `next` on the node that would fall through; `<if>` becomes a logic node with
 * conditional `next` and a join node after the branches.
 */
import type { NodeOut, PromptOut } from './bot-shape.ts';
import { joinPrompts } from './prompts.ts';
import { toId } from './vxml-source.ts';

type Branch = { if?: string; goto: string };

export class DialogBuilder {
  readonly nodes: NodeOut[] = [];
  private readonly ids = new Set<string>();
  private pending: PromptOut[] = [];

  id(hint: string): string {
    const base = toId(hint, 'node');
    let id = base;
    for (let n = 2; this.ids.has(id); n++) id = `${base}_${n}`;
    this.ids.add(id);
    return id;
  }

  /** A prompt to say; consecutive prompts become one message node. */
  say(prompt: PromptOut): void {
    this.pending.push(prompt);
  }

  /** Prompts said but not yet in a node (an `end` node may take them). */
  takePending(): PromptOut | undefined {
    const p = joinPrompts(this.pending);
    this.pending = [];
    return p;
  }

  /** Writes the prompts said so far as a message node. */
  flush(): void {
    const prompt = this.takePending();
    if (prompt !== undefined) this.nodes.push({ id: this.id('say'), type: 'message', prompt });
  }

  push<N extends NodeOut>(node: N): N {
    this.flush();
    this.nodes.push(node);
    return node;
  }

  get last(): NodeOut | undefined {
    return this.nodes[this.nodes.length - 1];
  }

  /** Does control fall through the last node (no `next`, not an end or a transfer)? */
  fallsThrough(): boolean {
    const last = this.last;
    return !!last && last.next === undefined && last.type !== 'end' && last.type !== 'transfer';
  }

  /** Control goes to `target` from here. */
  jump(target: string): void {
    this.flush();
    const last = this.last;
    if (last && this.fallsThrough()) last.next = target;
    else this.push({ id: this.id('go'), type: 'logic', next: target });
  }

  /** `<if>`/`<elseif>`/`<else>`: each branch is built by its callback; a join node follows. */
  branches(hint: string, branches: Array<{ cond?: string; build: () => void }>): void {
    this.flush();
    const dispatch = this.push({ id: this.id(`${hint}_if`), type: 'logic', next: [] as Branch[] });
    const join = this.id(`${hint}_endif`);
    const routes: Branch[] = [];
    let hasElse = false;
    branches.forEach((b, i) => {
      const start = this.nodes.length;
      b.build();
      this.flush();
      const first = this.nodes[start];
      const goto = first ? first.id : join;
      routes.push(b.cond !== undefined ? { if: b.cond, goto } : { goto });
      if (b.cond === undefined) hasElse = true;
      if (first && this.fallsThrough() && i < branches.length - 1) {
        const last = this.last;
        if (last) last.next = join;
      }
    });
    if (!hasElse) routes.push({ goto: join });
    dispatch.next = routes;
    this.push({ id: join, type: 'logic' });
  }
}
