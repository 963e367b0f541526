import WebSocket from 'ws';

export type ChatFrame = Record<string, unknown>;

/**
 * A customer on the live chat socket of a running server (`/chat/ws?bot=…`): every frame received is kept in
 * `frames`, and `waitFor` resolves with the first that matches, failing with all of them after `timeoutMs`.
 */
export function openChatSocket(
  serverUrl: string,
  botId: string,
): {
  ws: WebSocket;
  frames: ChatFrame[];
  waitFor: (pred: (f: ChatFrame) => boolean, timeoutMs?: number) => Promise<ChatFrame>;
} {
  const ws = new WebSocket(`${serverUrl.replace('http', 'ws')}/chat/ws?bot=${encodeURIComponent(botId)}`);
  const frames: ChatFrame[] = [];
  ws.on('message', (d: Buffer) => frames.push(JSON.parse(d.toString('utf8')) as ChatFrame));
  const waitFor = async (pred: (f: ChatFrame) => boolean, timeoutMs = 10_000): Promise<ChatFrame> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = frames.find(pred);
      if (f) return f;
      if (Date.now() > deadline)
        throw new Error(`no such frame in ${timeoutMs} ms; frames: ${JSON.stringify(frames)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { ws, frames, waitFor };
}
