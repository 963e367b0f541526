/** What every extractor returns: the normalised value and where in the text it was found. */
export interface Extraction<T = unknown> {
  value: T;
  /** The words it was found in, as written. */
  text: string;
  /** Offsets into the text, `end` exclusive. */
  start: number;
  end: number;
}

export function extraction<T>(source: string, value: T, start: number, end: number): Extraction<T> {
  return { value, text: source.slice(start, end), start, end };
}
