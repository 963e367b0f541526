import { expect, it } from 'vitest';
import { formatDtmfRelay, parseDtmfInfo } from './dtmf-info.ts';

it('parses application/dtmf-relay bodies as vendors send them', () => {
  expect(parseDtmfInfo('application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n')).toEqual({
    type: 'dtmf',
    digit: '5',
    durationMs: 160,
    source: 'info',
  });
  expect(parseDtmfInfo('Application/DTMF-Relay; charset=utf-8', 'signal= #\nduration = 250')).toMatchObject({
    digit: '#',
    durationMs: 250,
  });
  expect(parseDtmfInfo('application/dtmf-relay', 'Signal=*\r\n')).toMatchObject({
    digit: '*',
    durationMs: 250,
  });
  expect(parseDtmfInfo('application/dtmf-relay', 'Signal=11\r\nDuration=100')).toMatchObject({ digit: '#' });
  expect(parseDtmfInfo('application/dtmf-relay', 'Signal=d')).toMatchObject({ digit: 'D' });
});

it('parses application/dtmf bodies', () => {
  expect(parseDtmfInfo('application/dtmf', '7')).toMatchObject({ digit: '7', source: 'info' });
  expect(parseDtmfInfo('application/dtmf', '10\r\n')).toMatchObject({ digit: '*' });
});

it('ignores bodies that carry no digit', () => {
  expect(parseDtmfInfo('application/dtmf-relay', 'Duration=160')).toBeUndefined();
  expect(parseDtmfInfo('application/dtmf-relay', 'Signal=X')).toBeUndefined();
  expect(parseDtmfInfo('application/dtmf-relay', 'Signal=16')).toBeUndefined();
  expect(parseDtmfInfo('application/media_control+xml', 'Signal=5')).toBeUndefined();
});

it('formats a body that parses back', () => {
  const body = formatDtmfRelay('9', 200);
  expect(body).toBe('Signal=9\r\nDuration=200\r\n');
  expect(parseDtmfInfo('application/dtmf-relay', body)).toMatchObject({ digit: '9', durationMs: 200 });
});
