import { benchChatApi } from './chat-api.ts';

/** `npm run bench`: every performance target, each next to a baseline measured in the same run. */
const seconds = Number(process.env.PARLEY_BENCH_SECONDS ?? 8);
await benchChatApi(seconds * 1000);
