import { benchChatApi } from './chat-api.ts';
import { benchHandoff } from './handoff.ts';
import { benchIvrWebhook } from './ivr-webhook.ts';
import { benchSipGateway } from './sip-gateway.ts';

/**
 * `npm run bench`: every performance target, each next to a baseline measured in the same run.
 * PARLEY_BENCH_SECONDS sets the length of each load phase (default 8). The NLU comparison is
 * `npm run bench:nlu`.
 */
const seconds = Number(process.env.PARLEY_BENCH_SECONDS ?? 8);
await benchChatApi(seconds * 1000);
await benchIvrWebhook(seconds * 1000);
await benchHandoff();
await benchSipGateway({ windowMs: seconds * 1000 });
