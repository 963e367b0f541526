/**
 * Rendered documents, reused. The documents of one bot repeat across calls (the greeting, each question
 * node, the menu), differing only in the submit URL (token and session reference) and the history key; the
 * cache renders a document once with markers in their place and fills them in per request. Everything else
 * that shapes a document (actions, intent, entities, settings, method, language, return names) is part of
 * the key. In memory only, bounded (least recently used first out).
 */
import { randomBytes } from 'node:crypto';
import type { Action } from '../../core/action.ts';
import { renderVxml, type IvrRenderOptions } from './render.ts';

const SAFE_KEY = /^[A-Za-z0-9_.~-]*$/;

function xmlAttribute(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

export class VxmlDocumentCache {
  private readonly entries = new Map<string, string>();
  private readonly marker = randomBytes(9).toString('hex');
  private readonly submitMarker = `https://parley.invalid/submit-${this.marker}`;
  private readonly historyMarker = `parleyhistory${this.marker}`;
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
    const key = JSON.stringify([actions, summary, shape]);
    let template = this.entries.get(key);
    if (template === undefined) {
      this.misses++;
      template = renderVxml(actions, { ...options, submitUrl: this.submitMarker, conversation: { ...summary, historyKey: this.historyMarker } });
      if (this.entries.size >= this.capacity) {
        const oldest = this.entries.keys().next();
        if (!oldest.done) this.entries.delete(oldest.value);
      }
    } else {
      this.hits++;
      this.entries.delete(key);
    }
    this.entries.set(key, template);
    return template.replaceAll(this.submitMarker, xmlAttribute(submitUrl)).replaceAll(this.historyMarker, historyKey);
  }
}
