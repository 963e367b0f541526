/** A small hand-written banking bot for the classifier and evaluation tests. */
import type { Example } from '../classifier.ts';

const utterances: Record<string, string[]> = {
  check_balance: [
    'what is my balance',
    'check my balance',
    'how much money do I have',
    'how much is in my account',
    'tell me my account balance',
    'what is the balance on my checking account',
    'I would like to know my balance',
    'balance please',
    'how much do I have left in savings',
    'can you give me my current balance',
    'show me how much money is in my account',
    'what does my savings account hold',
  ],
  pay_bill: [
    'pay my bill',
    'I want to pay my bill',
    'make a payment',
    'I need to make a payment on my bill',
    'pay 50 dollars to the electric company',
    'can I pay my credit card bill',
    'pay the water bill tomorrow',
    'I would like to pay what I owe',
    'schedule a bill payment',
    'settle my phone bill',
    'set up a payment for my gas bill',
    'I have a bill to pay',
  ],
  lost_card: [
    'I lost my card',
    'my card was stolen',
    'I cannot find my debit card',
    'block my card',
    'someone stole my wallet with my card',
    'report a lost card',
    'freeze my card please',
    'my credit card is missing',
    'I think I lost my bank card',
    'cancel my stolen card',
    'my card is gone',
    'I misplaced my visa card',
  ],
  transfer_money: [
    'transfer money to my savings',
    'send 100 dollars to my brother',
    'move money between my accounts',
    'I want to wire money abroad',
    'make a transfer to john',
    'send money to my mother',
    'transfer 20 pounds to my checking account',
    'how do I send money to a friend',
    'wire funds to another bank',
    'move 500 from checking to savings',
    'I need to transfer funds',
    'can you send money to my landlord',
  ],
  opening_hours: [
    'when are you open',
    'what are your opening hours',
    'is the branch open on sunday',
    'what time does the bank close',
    'are you open on saturday',
    'when does the branch open tomorrow',
    'what are the hours of the downtown office',
    'until what time are you open today',
    'is the bank open on public holidays',
    'opening times please',
    'what time do you open in the morning',
    'are branches open late on friday',
  ],
  talk_to_agent: [
    'talk to an agent',
    'I want to speak to a person',
    'let me talk to a human',
    'representative',
    'get me a real person',
    'connect me to customer service',
    'can I speak with someone',
    'I need a human being',
    'transfer me to an operator',
    'put me through to support staff',
    'agent please',
    'I would like to talk to somebody',
  ],
};

/** Out-of-scope utterances for a bot that trains with some. */
const outOfScope = [
  'what will the weather be like in paris',
  'tell me a joke',
  'who won the football game last night',
  'how do I bake banana bread',
  'play some jazz music',
  'what is the capital of peru',
  'book a table for two at an italian restaurant',
  'how tall is mount everest',
  'set an alarm for seven am',
  'recommend a good science fiction novel',
  'how many calories are in an apple',
  'translate good morning into german',
];

export const sampleExamples: Example[] = Object.entries(utterances).flatMap(([intent, texts]) =>
  texts.map((text) => ({ text, intent })),
);

export const sampleOutOfScope: Example[] = outOfScope.map((text) => ({ text, intent: 'oos' }));

/** Paraphrases not in the training examples, with the intent a person would give them. */
export const sampleParaphrases: Example[] = [
  { text: 'uh I lost my card', intent: 'lost_card' },
  { text: 'um how much money is left in my checking account', intent: 'check_balance' },
  { text: 'i want to pay my internet bill', intent: 'pay_bill' },
  { text: 'please send fifty dollars to my sister', intent: 'transfer_money' },
  { text: 'what time do you close on saturday', intent: 'opening_hours' },
  { text: 'can i talk to a real human please', intent: 'talk_to_agent' },
  { text: "My card's been STOLEN!!", intent: 'lost_card' },
  { text: 'whats my balance', intent: 'check_balance' },
];
