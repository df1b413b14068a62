import type { Hit } from '../screening/hits';
import { falsePositiveErrors } from './false-positives';

const party: Hit = {
  id: 'p-1',
  kind: 'party',
  severity: 'high',
  score: 0.9,
  subject: 'consignee',
  listId: 'watch',
  entryId: 'E1',
  explanation: 'x',
  weight: 40,
  partyFingerprint: 'fp',
};
const goods: Hit = {
  id: 'g-1',
  kind: 'goods',
  severity: 'high',
  score: 1,
  subject: 'items[0]',
  listId: 'chpl',
  entryId: '8542',
  explanation: 'x',
  weight: 30,
};

describe('falsePositiveErrors', () => {
  it('accepts party hits of the screening', () => {
    expect(falsePositiveErrors([party, goods], ['p-1'])).toEqual([]);
  });

  it('names the field of an unknown id, a non-party hit and a repeated id', () => {
    expect(falsePositiveErrors([party, goods], ['nope', 'g-1', 'p-1', 'p-1'])).toEqual([
      { path: 'body.falsePositiveHitIds[0]', message: expect.stringContaining('no hit nope') },
      { path: 'body.falsePositiveHitIds[1]', message: expect.stringContaining('goods hit') },
      { path: 'body.falsePositiveHitIds[3]', message: expect.stringContaining('twice') },
    ]);
  });
});
