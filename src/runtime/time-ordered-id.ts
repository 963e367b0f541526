import { randomUUID } from 'node:crypto';

/**
 * A UUID of version 7 (RFC 9562): the first 48 bits are the Unix time in milliseconds, the other 74 free
 * bits random. Conversation ids are these rather than random (version 4) UUIDs so that the conversations
 * live at one time sit next to one another in every index keyed by their id (the conversations' primary
 * key, the turns' `(conversation_id, seq)`), and a commit writes a few shared index pages instead of one
 * page per conversation: on the IVR benchmark, where every call starts a conversation, this took some 10%
 * off a webhook turn's CPU time on SQLite. The id tells when the conversation started, which its record
 * says anyway; 74 random bits keep it unguessable.
 */
export function timeOrderedUuid(unixMs: number = Date.now()): string {
  // randomUUID draws from a cached pool of random bytes: cheaper than randomBytes(16) each time
  const random = randomUUID(); // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx, V the variant (10xx)
  const time = Math.max(0, Math.floor(unixMs)).toString(16).padStart(12, '0').slice(-12);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15)}`;
}

/** The millisecond a version 7 UUID was made at, or undefined for another string. */
export function uuidTime(id: string): number | undefined {
  const m = /^([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.exec(id);
  return m ? parseInt(`${m[1]}${m[2]}`, 16) : undefined;
}
