/** The `text` entity: the whole answer, trimmed ("what would you like to tell the agent?"). */
import { extraction, type Extraction } from './extraction.ts';

export interface TextOptions {
  minLength?: number;
  maxLength?: number;
}

export function extractText(text: string, options: TextOptions = {}): Extraction<string> | undefined {
  const start = text.length - text.trimStart().length;
  const value = text.trim();
  if (value.length === 0) return undefined;
  if (options.minLength !== undefined && value.length < options.minLength) return undefined;
  if (options.maxLength !== undefined && value.length > options.maxLength) return undefined;
  return extraction(text, value, start, start + value.length);
}
