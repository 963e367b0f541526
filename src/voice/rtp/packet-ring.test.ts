import { describe, expect, it } from 'vitest';
import { PacketRing } from './packet-ring.ts';

describe('packet ring', () => {
  it('hands out its slots in turn, and a slot again only once its send has called back', () => {
    const ring = new PacketRing({ slots: 2, slotBytes: 200 });
    const a = ring.take();
    const b = ring.take();
    expect(b).not.toBe(a);
    // Both still being sent: a fresh buffer rather than one the socket may still read.
    const c = ring.take();
    expect(c).not.toBe(a);
    expect(c).not.toBe(b);
    a.done(null);
    expect(ring.take()).toBe(a);
    b.done(null);
    a.done(null);
    expect(ring.take()).toBe(b);
    expect(ring.take()).toBe(a);
  });

  it('gives the same view for the same length, and reports send errors', () => {
    const errors: Error[] = [];
    const ring = new PacketRing({ slots: 1, slotBytes: 200, onSendError: (e) => errors.push(e) });
    const slot = ring.take();
    const packet = slot.packet(172);
    expect(packet.length).toBe(172);
    expect(packet.buffer).toBe(slot.bytes.buffer);
    expect(slot.packet(172)).toBe(packet);
    expect(slot.packet(16).length).toBe(16);
    slot.done(new Error('EPERM'));
    expect(errors.map((e) => e.message)).toEqual(['EPERM']);
    expect(slot.busy).toBe(false);
  });
});
