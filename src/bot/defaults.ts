import type { BotSettings, StandardResponses } from '../core/bot.ts';

export const defaultResponses: StandardResponses = {
  greeting: { text: 'Hello! How can I help you today?' },
  notUnderstood: { text: "Sorry, I didn't understand that. Could you say it another way?" },
  goodbye: { text: 'Thank you for contacting us. Goodbye!' },
  agentAvailable: { text: 'Let me connect you with an agent who can help.' },
  agentUnavailable: { text: 'Sorry, no agent is available right now.' },
  error: { text: 'Sorry, something went wrong on our side.' },
  anythingElse: { text: 'Is there anything else I can help you with?' },
  resume: { text: 'Now, back to where we were.' },
};

export const defaultSettings: BotSettings = {
  nluThreshold: 0.4,
  maxNotUnderstood: 3,
  piiPatterns: [],
  defaultQueue: 'general',
  idleTimeoutMinutes: 30,
  ivr: {
    enabled: true,
    transcription: false,
    transcriptionEngine: 'builtin:speech/transcribe',
    dataKey: 'userinput',
    confidenceKey: 'userinput.confidence',
    confidenceThreshold: 50,
    properties: {},
  },
};

export const defaultRetries = 2;
export const defaultServiceTimeoutMs = 5000;
