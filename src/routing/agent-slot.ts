import type { AgentProfile, Capacity, Presence, WorkChannel } from './model.ts';

/** One agent as the dispatcher sees them: profile, presence, the work they hold and since when they are idle. */
export class AgentSlot {
  presence: Presence = 'offline';
  readonly load: Capacity = { chat: 0, voice: 0 };
  /** Work offered to or held by this agent: escalation id → channel kind. */
  readonly work = new Map<string, WorkChannel>();
  /** When the agent last got or finished work, or came available (ms); smallest is the longest idle. */
  idleSince = 0;
  private skillSet: Set<string>;
  private languageSet: Set<string>;

  constructor(public profile: AgentProfile) {
    this.skillSet = new Set(profile.skills);
    this.languageSet = new Set(profile.languages.map((l) => l.toLowerCase()));
  }

  setProfile(profile: AgentProfile): void {
    this.profile = profile;
    this.skillSet = new Set(profile.skills);
    this.languageSet = new Set(profile.languages.map((l) => l.toLowerCase()));
  }

  get id(): string {
    return this.profile.id;
  }

  /** Signed in: any presence but offline. */
  get signedIn(): boolean {
    return this.presence !== 'offline';
  }

  free(channel: WorkChannel): number {
    return this.profile.capacity[channel] - this.load[channel];
  }

  /** Can this agent be offered this work now? */
  canTake(channel: WorkChannel, skills: readonly string[], language: string | undefined): boolean {
    return this.presence === 'available' && this.free(channel) > 0 && this.qualifies(skills, language);
  }

  qualifies(skills: readonly string[], language: string | undefined): boolean {
    for (const s of skills) if (!this.skillSet.has(s)) return false;
    if (language !== undefined && this.languageSet.size > 0) {
      const base = language.toLowerCase().split('-')[0] ?? '';
      if (!this.languageSet.has(language.toLowerCase()) && !this.languageSet.has(base)) return false;
    }
    return true;
  }

  hold(escalationId: string, channel: WorkChannel): void {
    if (this.work.has(escalationId)) return;
    this.work.set(escalationId, channel);
    this.load[channel]++;
  }

  drop(escalationId: string): boolean {
    const channel = this.work.get(escalationId);
    if (channel === undefined) return false;
    this.work.delete(escalationId);
    this.load[channel]--;
    return true;
  }
}

/** The better of two candidates: more free capacity on the channel, then the longer idle, then the id. */
export function better(a: AgentSlot, b: AgentSlot, channel: WorkChannel): boolean {
  const fa = a.free(channel);
  const fb = b.free(channel);
  if (fa !== fb) return fa > fb;
  if (a.idleSince !== b.idleSince) return a.idleSince < b.idleSince;
  return a.id < b.id;
}
