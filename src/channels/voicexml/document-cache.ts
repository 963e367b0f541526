/**
 * Rendered documents, reused. The documents of one bot repeat across calls (the greeting, each question
 * node, the menu), differing only in the submit URL (token and session reference) and the history key; the
 * cache renders a document once with markers in their place and fills them in per request. Everything else
 * that shapes a document (actions, intent, entities, settings, method, language, return names) is part of
 * the key. In memory only, bounded (about the least recently used first out, see `evict`).
 */
import { randomBytes } from 'node:crypto';
import type { Action } from '../../core/action.ts';
import { renderVxml, type IvrRenderOptions } from './render.ts';

const SAFE_KEY = /^[A-Za-z0-9_.~-]*$/;

function xmlAttribute(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

/** A rendered document cut at its markers: text, then alternately a marker's place and text. */
interface Template {
  texts: string[];
  /** For each place between two texts: the submit URL (true) or the history key (false). */
  submits: boolean[];
  /** Used since it was last passed over for eviction (its second chance, see `evict`). */
  used: boolean;
}

export class VxmlDocumentCache {
  private readonly entries = new Map<string, Template>();
  private readonly marker = randomBytes(9).toString('hex');
  private readonly submitMarker = `https://parley.invalid/submit-${this.marker}`;
  private readonly historyMarker = `parleyhistory${this.marker}`;
  /**
   * The key part of each shape, by settings object: a loaded bot's, the same object on every call and never
   * changed in place (a reload makes new settings, and a new entry here). Each settings object gets a short
   * number, so the key does not carry (and hash) the settings' JSON on every call.
   */
  private readonly shapeKeys = new WeakMap<object, { id: number; keys: Map<string, string> }>();
  private nextSettingsId = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly capacity = 512) {}

  /** The same document as `renderVxml(actions, options)`. */
  render(actions: readonly Action[], options: IvrRenderOptions): string {
    const { submitUrl, conversation, onWarning: _warn, ...shape } = options;
    const historyKey = conversation?.historyKey ?? '';
    // Keys from elsewhere that would need escaping in the document are rendered afresh.
    if (!SAFE_KEY.test(historyKey) || submitUrl.includes(this.marker)) return renderVxml(actions, options);
    const { historyKey: _key, ...summary } = conversation ?? {};
    const key = `${JSON.stringify([actions, summary])}\n${this.shapeKey(shape)}`;
    let template = this.entries.get(key);
    if (template === undefined) {
      this.misses++;
      template = this.cut(renderVxml(actions, { ...options, submitUrl: this.submitMarker, conversation: { ...summary, historyKey: this.historyMarker } }));
      if (this.entries.size >= this.capacity) this.evict();
      this.entries.set(key, template);
    } else {
      this.hits++;
      template.used = true;
    }
    const url = xmlAttribute(submitUrl);
    let document = template.texts[0] ?? '';
    for (let i = 0; i < template.submits.length; i++) document += (template.submits[i] ? url : historyKey) + (template.texts[i + 1] ?? '');
    return document;
  }

  private shapeKey(shape: Omit<IvrRenderOptions, 'submitUrl' | 'conversation' | 'onWarning'>): string {
    const { settings, ...rest } = shape;
    let known = this.shapeKeys.get(settings);
    if (known === undefined) this.shapeKeys.set(settings, (known = { id: this.nextSettingsId++, keys: new Map<string, string>() }));
    const restKey = JSON.stringify(rest);
    let key = known.keys.get(restKey);
    if (key === undefined) {
      key = `${known.id}\n${restKey}`;
      if (known.keys.size < 64) known.keys.set(restKey, key);
    }
    return key;
  }

  /**
   * Forgets one entry, nearly the least recently used: the oldest one not used since it was last passed over
   * (a second chance). A hit only sets a flag: moving the entry to the end of the map on every call, as a
   * strict LRU order would, stored that call's new key string in the long-lived map each time, and the
   * garbage collector had to copy and promote it.
   */
  private evict(): void {
    for (const [key, template] of this.entries) {
      this.entries.delete(key);
      if (!template.used) return;
      template.used = false;
      this.entries.set(key, template);
    }
  }

  private cut(document: string): Template {
    const texts: string[] = [];
    const submits: boolean[] = [];
    let from = 0;
    for (;;) {
      const submit = document.indexOf(this.submitMarker, from);
      const history = document.indexOf(this.historyMarker, from);
      if (submit < 0 && history < 0) break;
      const isSubmit = submit >= 0 && (history < 0 || submit < history);
      const at = isSubmit ? submit : history;
      texts.push(document.slice(from, at));
      submits.push(isSubmit);
      from = at + (isSubmit ? this.submitMarker : this.historyMarker).length;
    }
    texts.push(document.slice(from));
    return { texts, submits, used: false };
  }
}
