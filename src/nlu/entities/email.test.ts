import { describe, expect, it } from 'vitest';
import { extractEmail } from './email.ts';

describe('email entity', () => {
  it.each([
    ['john.smith@example.com', 'john.smith@example.com'],
    ['my email is John.Smith@Example.com thanks', 'john.smith@example.com'],
    ['a.b+tag@x.io', 'a.b+tag@x.io'],
    ['john dot smith at example dot com', 'john.smith@example.com'],
    ["uh it's john dot smith at example dot com", 'john.smith@example.com'],
    ['j o h n underscore smith at gmail dot com', 'john_smith@gmail.com'],
    ['it is j a n e s m i t h at gmail dot com', 'janesmith@gmail.com'],
    ['mary dash ann at my dash site dot co dot uk', 'mary-ann@my-site.co.uk'],
    ['my email is john smith at example dot com', 'johnsmith@example.com'],
    ['john two five at gmail dot com', 'john25@gmail.com'],
    [
      'the address is first underscore last at mail dot example dot org please',
      'first_last@mail.example.org',
    ],
  ])('reads %j as %s', (text, email) => {
    expect(extractEmail(text)?.value).toBe(email);
  });

  it('reports the spoken words of the address only', () => {
    expect(extractEmail('my email is john dot smith at example dot com')).toMatchObject({
      text: 'john dot smith at example dot com',
      start: 12,
    });
  });

  it('needs a domain with a dot', () => {
    expect(extractEmail('I am at home')).toBeUndefined();
    expect(extractEmail('send it to bob at work')).toBeUndefined();
  });
});
