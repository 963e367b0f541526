import { describe, expect, it } from 'vitest';
import { ReceiveStatistics } from './receive-statistics.ts';

describe('RTP receive statistics (RFC 3550 appendix A)', () => {
  it('extends sequence numbers across the 16-bit wrap and counts loss', () => {
    const stats = new ReceiveStatistics(8000);
    const extended: number[] = [];
    for (const seq of [65533, 65534, 65535, 1, 2]) {
      const verdict = stats.update(seq, 0);
      if (verdict.kind === 'ok') extended.push(verdict.extended);
    }
    expect(extended.map((e) => e - (extended[0] as number))).toEqual([0, 1, 2, 4, 5]);
    expect(stats.expected).toBe(6);
    expect(stats.received).toBe(5);
    expect(stats.lost).toBe(1); // seq 0 never came
    expect(stats.extendedHighestSequence).toBe(0x1_0002); // one cycle, highest 2
  });

  it('places a packet reordered across the wrap before the wrap', () => {
    const stats = new ReceiveStatistics(8000);
    const first = stats.update(65534, 0);
    stats.update(0, 0);
    const late = stats.update(65535, 0);
    expect(first.kind === 'ok' && late.kind === 'ok' && late.extended - first.extended).toBe(1);
    expect(stats.lost).toBe(0);
  });

  it('ignores a single wild jump, and restarts when the source really jumped', () => {
    const stats = new ReceiveStatistics(8000);
    stats.update(100, 0);
    expect(stats.update(30000, 0).kind).toBe('bad');
    expect(stats.update(101, 0).kind).toBe('ok');
    expect(stats.update(40000, 0).kind).toBe('bad');
    expect(stats.update(40001, 0).kind).toBe('restart');
    expect(stats.received).toBe(1);
    expect(stats.expected).toBe(1);
  });

  it('reports zero jitter for perfectly paced packets and the A.8 estimate for uneven ones', () => {
    const steady = new ReceiveStatistics(8000);
    for (let i = 0; i < 50; i++) steady.update(i, i * 20, i * 160);
    expect(steady.jitter).toBe(0);

    // Packets alternately 0 and 10 ms late: |D| = 80 units each time, so J converges towards 80 (10 ms).
    const uneven = new ReceiveStatistics(8000);
    for (let i = 0; i < 400; i++) uneven.update(i, i * 20 + (i % 2) * 10, i * 160);
    expect(uneven.jitter).toBeGreaterThanOrEqual(78);
    expect(uneven.jitter).toBeLessThanOrEqual(80);
    expect(uneven.jitterMs).toBeCloseTo(10, 0);
  });

  it('computes the fraction lost between two reports', () => {
    const stats = new ReceiveStatistics(8000);
    // Every fourth packet lost: 0..98 expected so far (99 is not known to be missing yet), 24 of them lost.
    for (let i = 0; i < 100; i++) if (i % 4 !== 3) stats.update(i, 0);
    const first = stats.reportBlock(1);
    expect(first.cumulativeLost).toBe(24);
    expect(first.fractionLost).toBe(Math.floor((24 * 256) / 99));
    // Then 100..199 all arrive: the interval expected 99..199 (101 packets) and lost only 99.
    for (let i = 100; i < 200; i++) stats.update(i, 0);
    const second = stats.reportBlock(1);
    expect(second.fractionLost).toBe(Math.floor(256 / 101));
    expect(second.cumulativeLost).toBe(25);
    expect(stats.reportBlock(1).fractionLost).toBe(0);
  });
});
