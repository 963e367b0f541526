import type { PlayoutEvent } from '../../voice/barge-in/audio-out-queue.ts';
import type { Frame } from '../../voice/frames.ts';
import type { MediaStats } from '../../voice/media-session.ts';
import type { NegotiatedMedia } from '../../voice/sdp/negotiated-media.ts';

/**
 * What the call layer uses of a call's media (a `MediaSession` from src/voice fits): the caller's frames
 * in, prompt audio and interrupts out, playout events, statistics. Tests drive it with a fake.
 */
export interface CallMedia {
  readonly media: Pick<NegotiatedMedia, 'codec'>;
  /** Is prompt audio queued or playing? */
  readonly playing: boolean;
  onFrame(listener: (frame: Frame) => void): () => void;
  onPlayout(listener: (event: PlayoutEvent) => void): () => void;
  push(frame: Frame): void;
  /** A SIP INFO body that may carry a key press (`application/dtmf-relay`, `application/dtmf`). */
  receiveInfoDtmf(contentType: string, body: string): boolean;
  stats(): MediaStats;
  close(reason?: string): Promise<void>;
}
