/** Test data for the VoiceXML channel: IVR settings and ask actions as the dialog engine produces them. */
import type { AskAction, EscalationContext } from '../../src/core/action.ts';
import type { EntityDef, IvrSettings } from '../../src/core/bot.ts';

export function ivrSettings(overrides: Partial<IvrSettings> = {}): IvrSettings {
  return {
    enabled: true,
    transcription: true,
    transcriptionEngine: 'builtin:speech/transcribe',
    dataKey: 'userinput',
    confidenceKey: 'userinput.confidence',
    confidenceThreshold: 50,
    properties: {},
    ...overrides,
  };
}

export function entity(overrides: Partial<EntityDef> & Pick<EntityDef, 'type'>): EntityDef {
  return { name: overrides.type, sensitive: false, ...overrides };
}

export function askFor(expect: AskAction['expect'], overrides: Partial<AskAction> = {}): AskAction {
  return {
    type: 'ask',
    nodeRef: 'test/node',
    expect,
    sensitive: false,
    voice: {},
    grammars: [],
    noInput: [],
    noMatch: [],
    retries: 2,
    ...overrides,
  };
}

export function escalationContext(overrides: Partial<EscalationContext> = {}): EscalationContext {
  return { entities: {}, variables: {}, transferInfo: {}, reason: 'requested', ...overrides };
}
