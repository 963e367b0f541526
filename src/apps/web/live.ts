import { useEffect, useRef } from 'react';

export type LiveFrame =
  | { type: 'hello'; presence: string }
  | { type: 'presence'; presence: string }
  | { type: 'offer'; offer: unknown }
  | { type: 'offer-withdrawn'; escalationId: string; conversationId: string; reason: string }
  | { type: 'assigned'; escalationId: string; conversationId: string }
  | { type: 'turn'; conversationId: string; turn: unknown }
  | { type: 'ended'; escalationId: string; conversationId: string; reason: string }
  | { type: 'overview-changed' }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string };

/** The live feed (`/desk/ws`), reconnecting after a drop; `onFrame` always sees the latest callback. */
export function useLive(onFrame: (f: LiveFrame) => void, onStatus?: (connected: boolean) => void): void {
  const handler = useRef(onFrame);
  handler.current = onFrame;
  const status = useRef(onStatus);
  status.current = onStatus;
  useEffect(() => {
    let ws: WebSocket | undefined;
    let stopped = false;
    let retry: number | undefined;
    const connect = () => {
      const proto = location.protocol === 'https:' ? 'wss' : 'ws';
      ws = new WebSocket(`${proto}://${location.host}/desk/ws`);
      ws.onopen = () => status.current?.(true);
      ws.onmessage = (e: MessageEvent<string>) => handler.current(JSON.parse(e.data) as LiveFrame);
      ws.onclose = () => {
        status.current?.(false);
        if (!stopped) retry = window.setTimeout(connect, 1500);
      };
    };
    connect();
    const ping = window.setInterval(() => {
      if (ws?.readyState === WebSocket.OPEN) ws.send('{"type":"ping"}');
    }, 25_000);
    return () => {
      stopped = true;
      window.clearInterval(ping);
      if (retry !== undefined) window.clearTimeout(retry);
      ws?.close();
    };
  }, []);
}
