/**
 * The UAS core's duty for a 2xx to INVITE (RFC 3261 §13.3.1.4): over UDP, send it again at T1, 2*T1…
 * capped at T2 until the ACK arrives; give up after 64*T1 (the caller then ends the call with BYE).
 */
import type { Clock, SipTimerValues } from './clock.ts';

export interface AnswerRetransmission {
  clock: Clock;
  timers: SipTimerValues;
  reliable: boolean;
  resend: () => void;
  onGiveUp: () => void;
}

/** Starts retransmitting; returns the function to call when the ACK arrives (or the call ends). */
export function retransmitUntilAck(options: AnswerRetransmission): () => void {
  const { clock, timers } = options;
  const cancels: Array<() => void> = [];
  let stopped = false;
  const stop = (): void => {
    stopped = true;
    for (const cancel of cancels.splice(0)) cancel();
  };
  const every = (interval: number): void => {
    cancels.push(
      clock.schedule(interval, () => {
        if (stopped) return;
        options.resend();
        every(Math.min(2 * interval, timers.t2));
      }),
    );
  };
  if (!options.reliable) every(timers.t1);
  cancels.push(
    clock.schedule(64 * timers.t1, () => {
      if (stopped) return;
      stop();
      options.onGiveUp();
    }),
  );
  return stop;
}
