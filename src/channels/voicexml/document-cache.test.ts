import { describe, expect, it } from 'vitest';
import type { Action } from '../../core/action.ts';
import { askFor, entity, escalationContext, ivrSettings } from '../../../test/support/ivr-fixtures.ts';
import { VxmlDocumentCache } from './document-cache.ts';
import { renderVxml, type IvrRenderOptions } from './render.ts';

const settings = ivrSettings({ transcription: false, properties: { timeout: 5000, bargein: true } });
const pin: Action[] = [
  { type: 'say', prompt: { text: 'Welcome to Acme Bank.' } },
  { type: 'say', prompt: { text: 'Please key in your PIN.' } },
  askFor({ kind: 'entity', entity: entity({ type: 'digits', name: 'pin', minLength: 4, maxLength: 4, sensitive: true }) }, { retries: 1 }),
];
const transfer: Action[] = [
  { type: 'say', prompt: { text: 'One moment.' } },
  { type: 'escalate', queue: 'cards', context: escalationContext({ intent: 'lost_card', entities: { pin: '1234' }, message: 'Card lost' }) },
];

function options(submitUrl: string, historyKey: string, extra: Partial<IvrRenderOptions> = {}): IvrRenderOptions {
  return { settings, submitUrl, language: 'en-US', conversation: { intent: 'lost_card', entities: { pin: '1234', cardType: 'credit' }, sensitive: ['pin'], historyKey }, ...extra };
}

describe('the document cache', () => {
  it('gives exactly the document renderVxml gives, for every call, rendering each shape once', () => {
    const cache = new VxmlDocumentCache();
    const calls = [
      ['/ivr/hooks/bank?token=aaa.bbb.ccc&session=one.x.y', 'HK_one-1'],
      ['https://parley.example/ivr/hooks/bank?token=ddd.eee.fff&session=two.x.y', 'HK_two-2'],
      ['/ivr/hooks/bank?token=a"<b>&session=3', 'HK3'],
    ] as const;
    for (const actions of [pin, transfer]) {
      for (const [url, key] of calls) expect(cache.render(actions, options(url, key))).toBe(renderVxml(actions, options(url, key)));
    }
    expect([cache.misses, cache.hits]).toEqual([2, 4]);
  });

  it('keeps documents apart when anything but the URL and history key differs', () => {
    const cache = new VxmlDocumentCache();
    const a = cache.render(pin, options('/s?session=1', 'k1'));
    const b = cache.render(pin, options('/s?session=1', 'k1', { method: 'get' }));
    const c = cache.render(pin, { ...options('/s?session=1', 'k1'), conversation: { intent: 'other', entities: {}, historyKey: 'k1' } });
    // another bot's settings (or the same bot's after a reload): another settings object
    const other = { ...options('/s?session=1', 'k1'), settings: ivrSettings({ transcription: false, properties: { timeout: 9000, bargein: false } }) };
    const d = cache.render(pin, other);
    expect(new Set([a, b, c, d]).size).toBe(4);
    expect(d).toBe(renderVxml(pin, other));
    expect(b).toBe(renderVxml(pin, options('/s?session=1', 'k1', { method: 'get' })));
    expect(c).toContain(`<var name="intent" expr="'other'"/>`);
  });

  it('renders afresh a history key that would need escaping, and forgets the least recently used', () => {
    const cache = new VxmlDocumentCache(1);
    const odd = "it's";
    expect(cache.render(pin, options('/s', odd))).toBe(renderVxml(pin, options('/s', odd)));
    expect(cache.misses + cache.hits).toBe(0);
    cache.render(pin, options('/s', 'k'));
    cache.render(transfer, options('/s', 'k'));
    cache.render(pin, options('/s', 'k'));
    expect([cache.misses, cache.hits]).toEqual([3, 0]);
  });

  it('keeps the documents in use when it must forget one: the oldest unused goes first', () => {
    const cache = new VxmlDocumentCache(2);
    const third: Action[] = [{ type: 'say', prompt: { text: 'Goodbye.' } }, { type: 'end', outcome: 'resolved' }];
    cache.render(pin, options('/s', 'k')); // oldest
    cache.render(transfer, options('/s', 'k'));
    cache.render(pin, options('/s', 'k')); // used again
    cache.render(third, options('/s', 'k')); // full: transfer, unused since, is forgotten
    expect([cache.misses, cache.hits]).toEqual([3, 1]);
    cache.render(pin, options('/s', 'k'));
    expect([cache.misses, cache.hits]).toEqual([3, 2]);
    cache.render(transfer, options('/s', 'k'));
    expect([cache.misses, cache.hits]).toEqual([4, 2]);
  });
});
