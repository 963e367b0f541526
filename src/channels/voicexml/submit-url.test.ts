import { describe, expect, it } from 'vitest';
import { submitUrl } from './submit-url.ts';

describe('submitUrl', () => {
  it('appends the session reference to the webhook path and keeps the token as it came', () => {
    expect(submitUrl('/ivr/hooks/bank?token=a.b-c_d', 'session', 'ref.1.x')).toBe('/ivr/hooks/bank?token=a.b-c_d&session=ref.1.x');
  });

  it('replaces an earlier session reference, however its name is encoded, and keeps the order of the rest', () => {
    expect(submitUrl('/h?session=old&token=t&%73ession=older&x=1', 'session', 'new')).toBe('/h?token=t&x=1&session=new');
  });

  it('does not mistake parameters that only start with the name', () => {
    expect(submitUrl('/h?sessions=1&session_id=2&session', 'session', 'r')).toBe('/h?sessions=1&session_id=2&session=r');
  });

  it('works without a query, keeps absolute URLs absolute and drops a fragment', () => {
    expect(submitUrl('/ivr/hooks/bank', 'session', 'r')).toBe('/ivr/hooks/bank?session=r');
    expect(submitUrl('https://ivr.example.com/ivr/hooks/bank?token=t#top', 'session', 'r')).toBe('https://ivr.example.com/ivr/hooks/bank?token=t&session=r');
  });

  it('without a reference, only removes an earlier one', () => {
    expect(submitUrl('/h?token=t&session=old', 'session', undefined)).toBe('/h?token=t');
    expect(submitUrl('/h?session=old', 'session', undefined)).toBe('/h');
  });

  it('encodes a reference that needs it, and survives a malformed escape in another parameter', () => {
    expect(submitUrl('/h?bad=%E0%A4%A&token=t', 'session', 'a b&c')).toBe('/h?bad=%E0%A4%A&token=t&session=a%20b%26c');
    expect(new URL(submitUrl('/h?token=t', 'session', 'a b&c'), 'http://x').searchParams.get('session')).toBe('a b&c');
  });
});
