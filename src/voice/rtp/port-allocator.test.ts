import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { RtpPortAllocator } from './port-allocator.ts';

describe('RTP port allocator', () => {
  it('hands out even RTP ports with RTCP on the next odd port, and takes them back on close', async () => {
    const allocator = new RtpPortAllocator({ minPort: 41000, maxPort: 41009 });
    const pairs = await Promise.all([allocator.allocate('127.0.0.1'), allocator.allocate('127.0.0.1')]);
    expect(pairs.map((p) => p.port)).toEqual([41000, 41002]);
    expect(pairs[0]?.rtcp.address().port).toBe(41001);
    expect(allocator.allocated).toBe(2);
    await Promise.all(pairs.map((p) => p.close()));
    expect(allocator.allocated).toBe(0);
  });

  it('skips ports other programs hold and fails clearly when the range is full', async () => {
    const squatter = createSocket('udp4');
    await new Promise<void>((resolve) => squatter.bind(41021, '127.0.0.1', resolve)); // RTCP port of the first pair
    const allocator = new RtpPortAllocator({ minPort: 41020, maxPort: 41023 });
    const pair = await allocator.allocate('127.0.0.1');
    expect(pair.port).toBe(41022);
    await expect(allocator.allocate('127.0.0.1')).rejects.toThrow(/no free RTP port pair/);
    await pair.close();
    await pair.close();
    const again = await allocator.allocate('127.0.0.1');
    expect(again.port).toBe(41022);
    await again.close();
    squatter.close();
  });

  it('refuses a range without a whole pair', () => {
    expect(() => new RtpPortAllocator({ minPort: 41001, maxPort: 41002 })).toThrow(/range/);
    expect(() => new RtpPortAllocator({ minPort: 80, maxPort: 100 })).toThrow(/range/);
  });
});
