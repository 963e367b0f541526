/**
 * Valence of words and phrases as callers use them with a contact center, from −4 (furious) to +4
 * (delighted). Written for this project; phrases win over their words ("no problem" is not a problem).
 * Keys are normalised like tokens: lower case, apostrophes dropped ("doesn't work" → "doesnt work").
 * Each list is "words value" items separated by commas.
 */

function valences(list: string): Readonly<Record<string, number>> {
  const table: Record<string, number> = {};
  for (const item of list.split(',')) {
    const m = /^\s*(.+?)\s+(-?[\d.]+)\s*$/u.exec(item);
    if (m?.[1] !== undefined) table[m[1]] = Number(m[2]);
  }
  return table;
}

export const WORDS = valences(`
  thanks 2, thank 2, thx 2, cheers 1, appreciate 2, appreciated 2, grateful 3, great 3, good 2,
  excellent 3, perfect 3, awesome 3, amazing 3, wonderful 3, fantastic 3, brilliant 3, superb 3,
  outstanding 3, helpful 2, love 3, loved 3, happy 2, glad 2, nice 2, pleased 2, satisfied 2,
  delighted 3, easy 1, quick 1, fast 1, resolved 2, fixed 2, solved 2, sorted 1, lifesaver 3, better 1,
  best 3, kind 2, friendly 2, polite 2, patient 1, fine 1, cool 1, lovely 3, smooth 1, relieved 2,
  fair 1, works 1, working 0, welcome 1, yay 2, finally -1, ridiculous -3, unacceptable -3, terrible -3,
  awful -3, horrible -3, useless -3, pathetic -3, worst -4, bad -2, poor -2, frustrated -3,
  frustrating -3, angry -3, furious -4, mad -3, annoyed -2, annoying -2, upset -2, disappointed -2,
  disappointing -2, confused -1, confusing -1, problem -1, problems -1, issue -1, issues -1, wrong -2,
  broken -2, lost -1, stolen -2, fraud -2, fraudulent -2, scam -3, overcharged -2, late -1, slow -1,
  hate -3, stupid -3, damn -2, hell -2, ugh -2, incompetent -3, rude -3, disgusting -3, disgrace -3,
  nightmare -3, joke -2, ripoff -3, complaint -2, complain -2, sucks -3, crap -3, nonsense -2, absurd -3,
  outrageous -3, insane -2, unbelievable -2, impossible -2, fail -2, failed -2, failing -2, error -1,
  declined -1, denied -1, refused -1, charged -1, worried -2, scared -2, stressed -2, sad -2, sorry -1,
  unhappy -2, dissatisfied -2, waste -2, wasted -2, forever -1, never -1, ignored -2, lied -3, lying -3,
  liar -3, threatening -3, cancel -1, trouble -2, hassle -2, pain -2, robot -1
`);

export const PHRASES = valences(`
  thank you 2, thanks a lot 3, thanks so much 3, thank you so much 3, much appreciated 3, that helps 2,
  you have been very helpful 3, that is great 3, thats great 3, no problem 1, no worries 1,
  not a problem 1, all good 2, works now 2, that worked 2, waiting forever -3, been waiting -2,
  still waiting -2, on hold -1, on hold for -2, waste of time -3, rip off -3, fed up -3, sick of -3,
  sick and tired -4, had enough -3, doesnt work -2, does not work -2, not working -2,
  still doesnt work -3, still not working -3, still does not work -3, isnt working -2,
  stopped working -2, charged twice -2, double charged -2, third time -2, again and again -2,
  over and over -2, what the hell -3, are you kidding -3, you kidding me -3, speak to a human -1,
  real person -1, this is a joke -3, makes no sense -2, no one -1, nobody helps -3, hung up on -3,
  keep getting -1, cut off -2, too long -2, taking forever -3, takes forever -3
`);

/** Words that turn the next few words around ("not happy", "never helpful"). */
export const NEGATORS: ReadonlySet<string> = new Set(
  `
  not, no, never, dont, doesnt, didnt, isnt, wasnt, arent, werent, cant, cannot, couldnt, wont, wouldnt,
  shouldnt, hardly, nothing, neither, nor, without, aint
`
    .split(/[\s,]+/u)
    .filter((w) => w.length > 0),
);

/** Words that make the next one stronger ("so frustrated") or weaker ("a bit slow"), as factors. */
export const BOOSTERS = valences(`
  so 1.5, very 1.5, really 1.5, extremely 1.8, absolutely 1.6, totally 1.5, completely 1.6, super 1.5,
  incredibly 1.8, truly 1.4, utterly 1.8, such 1.4, too 1.3, most 1.4, seriously 1.4, fucking 2,
  bloody 1.6, beyond 1.5, slightly 0.5, somewhat 0.6, kinda 0.6, barely 0.5, little 0.6, bit 0.6,
  fairly 0.8, quite 1.2, pretty 1.2
`);

/** Said after a word, they strengthen it ("thanks so much", "love it a lot"). */
export const AFTER_BOOSTERS: readonly string[] = ['so much', 'very much', 'a lot', 'a ton', 'a million'];
