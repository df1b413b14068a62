import { inputProblems, textProblem } from './input-hygiene';

describe('input hygiene', () => {
  it('refuses U+0000, other C0 controls and lone surrogates everywhere', () => {
    expect(textProblem('ACME\u0000LLC', true)).toContain('U+0000');
    expect(textProblem('bell\u0007', true)).toContain('U+0007');
    expect(textProblem('half \uD83D pair', true)).toContain('lone surrogate U+D83D');
    expect(textProblem('\uDE00 low first', true)).toContain('U+DE00');
    expect(textProblem('emoji \uD83D\uDE00 and Кириллица', false)).toBeUndefined();
  });

  it('allows tab, CR and LF only in free text', () => {
    expect(textProblem('line one\r\n\tline two', true)).toBeUndefined();
    expect(textProblem('REF\n1', false)).toContain('U+000A');
  });

  it('names each offending field in the schema error path format, property names included', () => {
    const errors = inputProblems(
      {
        reference: 'A\tB',
        consignee: { name: 'X\u0000', address: 'Street 1\nCity' },
        items: [{ description: 'desks\nchairs' }, { description: 'x\u0001' }],
        'bad\u0000key': 1,
      },
      'body',
    );
    expect(errors.map((e) => e.path)).toEqual([
      'body.reference',
      'body.consignee.name',
      'body.items[1].description',
      'body["bad\\u0000key"]',
    ]);
  });
});
