import { describe, expect, it } from 'vitest';
import { JitterBuffer } from './jitter-buffer.ts';

describe('jitter buffer', () => {
  it('releases in-order packets at once', () => {
    const jb = new JitterBuffer<string>();
    expect(jb.push(10, 'a', 0)).toEqual(['a']);
    expect(jb.push(11, 'b', 20)).toEqual(['b']);
  });

  it('reorders: holds a packet behind a gap until the missing one arrives', () => {
    const jb = new JitterBuffer<string>();
    jb.push(1, 'a', 0);
    expect(jb.push(3, 'c', 40)).toEqual([]);
    expect(jb.push(4, 'd', 60)).toEqual([]);
    expect(jb.push(2, 'b', 65)).toEqual(['b', 'c', 'd']);
    expect(jb.stats.skipped).toBe(0);
  });

  it('gives up on a lost packet after maxWaitMs and drops it if it comes later', () => {
    const jb = new JitterBuffer<string>({ maxWaitMs: 60 });
    jb.push(1, 'a', 0);
    jb.push(3, 'c', 40);
    expect(jb.nextDeadlineMs()).toBe(100);
    expect(jb.poll(99)).toEqual([]);
    expect(jb.poll(100)).toEqual(['c']);
    expect(jb.stats.skipped).toBe(1);
    expect(jb.push(2, 'b', 120)).toEqual([]);
    expect(jb.stats.late).toBe(1);
  });

  it('drops duplicates, whether held or already released', () => {
    const jb = new JitterBuffer<string>();
    jb.push(1, 'a', 0);
    jb.push(3, 'c', 10);
    expect(jb.push(3, 'c again', 11)).toEqual([]);
    expect(jb.push(1, 'a again', 12)).toEqual([]);
    expect(jb.stats).toMatchObject({ duplicates: 1, late: 1 });
  });

  it('skips a gap at once when too many packets pile up behind it', () => {
    const jb = new JitterBuffer<number>({ maxPackets: 3, maxWaitMs: 1000 });
    jb.push(0, 0, 0);
    expect(jb.push(2, 2, 0)).toEqual([]);
    expect(jb.push(3, 3, 0)).toEqual([]);
    expect(jb.push(4, 4, 0)).toEqual([]);
    expect(jb.push(5, 5, 0)).toEqual([2, 3, 4, 5]);
  });

  it('flushes what it holds in order at the end of a call', () => {
    const jb = new JitterBuffer<number>();
    jb.push(0, 0, 0);
    jb.push(5, 5, 0);
    jb.push(3, 3, 0);
    expect(jb.flush()).toEqual([3, 5]);
    expect(jb.size).toBe(0);
  });
});
