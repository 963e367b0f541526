import type { TurnEvent } from '../runtime/conversation-service.ts';
import { activeBot } from '../runtime/conversation-service.ts';
import type { Masker } from '../runtime/masker.ts';
import type { SurveyAnswers } from './store/ports.ts';

/**
 * When a conversation handed to a survey bot ends, the answers it collected (the survey bot's entities, masked
 * like every stored value) are the survey's answers, kept with the conversation.
 */
export function surveyAnswersOf(event: TurnEvent, masker: (botId: string) => Masker | undefined): SurveyAnswers | undefined {
  const c = event.conversation;
  const survey = c.state.vars.session.survey;
  if (c.status !== 'ended' || survey === undefined || survey === null) return undefined;
  const bot = activeBot(c);
  const m = masker(bot);
  const entities = m ? m.entities(c.state.vars.entities, c.state) : c.state.vars.entities;
  return { conversationId: c.id, botId: bot, answers: { ...entities, ...(typeof survey === 'object' ? { survey } : {}) }, at: c.endedAt ?? c.updatedAt };
}
