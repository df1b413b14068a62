import { normalizeHsCode } from './hs-code';

describe('normalizeHsCode', () => {
  it.each([
    ['8542.31.000.0', '8542310000'],
    ['8542 31', '854231'],
    ['85', '85'],
    [' 8807-30 ', '880730'],
  ])('normalises %p to %p', (raw, code) => {
    expect(normalizeHsCode(raw)).toEqual({ ok: true, code });
  });

  it.each(['8', '85423100001', '85A2', '', '....'])('rejects %p', (raw) => {
    expect(normalizeHsCode(raw).ok).toBe(false);
  });
});
