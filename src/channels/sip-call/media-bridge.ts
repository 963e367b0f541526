import type { CallMedia } from './call-media.ts';

/**
 * Joins two calls' media (a B2BUA bridge): what one side says is played to the other, keys are passed on
 * as keys. The audio is marked not interruptible, so the caller talking over the agent does not cut the
 * agent off (barge-in is for prompts). Each side's codec and rate are its own; the media layer converts.
 * Returns the function that separates them.
 */
export function bridgeMedia(a: Pick<CallMedia, 'onFrame' | 'push'>, b: Pick<CallMedia, 'onFrame' | 'push'>): () => void {
  const pass = (to: Pick<CallMedia, 'push'>) => (frame: Parameters<Parameters<CallMedia['onFrame']>[0]>[0]) => {
    if (frame.type === 'audio') to.push({ ...frame, bargein: false });
    else if (frame.type === 'dtmf') to.push(frame);
  };
  const offA = a.onFrame(pass(b));
  const offB = b.onFrame(pass(a));
  return () => {
    offA();
    offB();
  };
}
