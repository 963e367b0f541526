// Minimal typings for the nlp.js packages the NLU benchmark compares against (they ship none).
declare module '@nlpjs/core' {
  import type { NlpjsNlp } from '@nlpjs/nlp';
  export interface NlpjsContainer {
    use(plugin: unknown): void;
    get(name: 'nlp'): NlpjsNlp;
    registerConfiguration(tag: string, configuration: Record<string, unknown>, overwrite?: boolean): void;
  }
  export function containerBootstrap(): Promise<NlpjsContainer>;
}

declare module '@nlpjs/nlp' {
  export interface NlpjsResult {
    intent: string;
    score: number;
    classifications?: Array<{ intent: string; score: number }>;
  }
  export interface NlpjsNlp {
    settings: { autoSave?: boolean; autoLoad?: boolean; threshold?: number };
    addLanguage(language: string): void;
    addDocument(language: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    process(language: string, utterance: string): Promise<NlpjsResult>;
  }
  export const Nlp: unknown;
}

declare module '@nlpjs/lang-en-min' {
  export const LangEn: unknown;
}
