/**
 * The frames that flow through the voice pipeline: a closed union. Audio is always 16-bit signed
 * linear PCM, mono; every other unit is in milliseconds unless the name says otherwise.
 */

export const DTMF_DIGITS = '0123456789*#ABCD';
export type DtmfDigit =
  '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

/** How a DTMF digit reached us: RTP telephone-event, SIP INFO, or tones detected in the audio. */
export type DtmfSource = 'rfc4733' | 'info' | 'inband';

export interface AudioFrame {
  type: 'audio';
  /** PCM, 16-bit signed, mono. */
  samples: Int16Array;
  sampleRateHz: number;
  /** Media time of the first sample (inbound: from the RTP timestamp; outbound: informative). */
  timestampMs: number;
  /** Outbound audio only: may the caller interrupt it (barge-in)? Absent means yes. */
  bargein?: boolean;
}

export interface DtmfFrame {
  type: 'dtmf';
  digit: DtmfDigit;
  durationMs: number;
  source: DtmfSource;
}

export interface TranscriptFrame {
  type: 'transcript';
  text: string;
  /** 0–1 */
  confidence: number;
  /** false for interim results that a later frame will replace. */
  final: boolean;
}

export interface SpeakFrame {
  type: 'speak';
  /** Plain text, or an SSML document when `ssml` is true. */
  text: string;
  ssml: boolean;
  /** May the caller interrupt this prompt? */
  bargein: boolean;
}

/** Stop what is playing now and drop what is queued (barge-in). */
export interface InterruptFrame {
  type: 'interrupt';
  reason: 'speech' | 'dtmf' | 'request';
}

export interface EndFrame {
  type: 'end';
  reason: string;
}

export type Frame = AudioFrame | DtmfFrame | TranscriptFrame | SpeakFrame | InterruptFrame | EndFrame;
export type FrameType = Frame['type'];

/** A handler for every frame type: adding a frame type breaks the build wherever frames are dispatched. */
export type FrameHandlers<R> = { [K in FrameType]: (frame: Extract<Frame, { type: K }>) => R };

export function dispatchFrame<R>(frame: Frame, handlers: FrameHandlers<R>): R {
  return (handlers[frame.type] as (f: Frame) => R)(frame);
}

export function isDtmfDigit(value: string): value is DtmfDigit {
  return value.length === 1 && DTMF_DIGITS.includes(value);
}

export function audioFrame(samples: Int16Array, sampleRateHz: number, timestampMs = 0): AudioFrame {
  return { type: 'audio', samples, sampleRateHz, timestampMs };
}

export function audioDurationMs(frame: AudioFrame): number {
  return (frame.samples.length * 1000) / frame.sampleRateHz;
}
