import { evaluate, parseExpression, type Lookup } from './expression.ts';

/**
 * `{{ expression }}` placeholders in prompts, URLs and request bodies. Values are formatted for people:
 * money as "25.00 USD", lists joined with commas, other objects as JSON; a missing value renders empty.
 */

const placeholder = /\{\{\s*([^}]+?)\s*\}\}/g;

export function hasPlaceholders(text: string): boolean {
  return text.includes('{{');
}

export function renderTemplate(text: string, lookup: Lookup): string {
  if (!hasPlaceholders(text)) return text;
  return text.replace(placeholder, (_m, src: string) => formatValue(evaluate(parseExpression(src), lookup)));
}

/** The expressions used by a template, for validation at load time and for finding sensitive values. */
export function templateExpressions(text: string): string[] {
  return [...text.matchAll(placeholder)].map((m) => m[1] as string);
}

/** Renders every string inside a JSON-like value (service request bodies). */
export function renderDeep(value: unknown, lookup: Lookup): unknown {
  if (typeof value === 'string') {
    // A string that is exactly one placeholder keeps the value's type (numbers stay numbers).
    const whole = /^\{\{\s*([^}]+?)\s*\}\}$/.exec(value);
    if (whole) return evaluate(parseExpression(whole[1] as string), lookup);
    return renderTemplate(value, lookup);
  }
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, lookup));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, lookup)]));
  }
  return value;
}

export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(formatValue).join(', ');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.amount === 'number' && typeof o.currency === 'string') {
      return `${o.amount.toFixed(2)} ${o.currency}`;
    }
    return JSON.stringify(v);
  }
  return typeof v === 'bigint' ? v.toString() : '';
}
