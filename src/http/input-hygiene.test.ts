import { inputProblems, textProblem } from './input-hygiene';

const codeUnit = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

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

  it('finds every refused character with its one-scan pre-check (no code unit textProblem refuses is skipped)', () => {
    // inputProblems only asks textProblem about strings holding a suspect character: each code unit on its own, and
    // each lone surrogate between letters, must be judged the same with and without the pre-check.
    const differ: string[] = [];
    for (let c = 0; c <= 0xffff; c += 1) {
      const s = `a${String.fromCharCode(c)}b`;
      for (const freeText of [false, true]) {
        const direct = textProblem(s, freeText);
        const found = inputProblems(freeText ? { note: s } : { name: s }, 'body');
        if ((found.length === 1 ? found[0].message : undefined) !== direct) differ.push(codeUnit(c));
      }
    }
    expect(differ).toEqual([]);
  });

  it('builds paths through arrays of arrays and objects, from any prefix, and for bad names deep down', () => {
    const errors = inputProblems(
      { parties: [{ names: ['ok', 'A\u0000'] }, [{ deep: { ['k\u0001']: 'v' } }]], 'plain key': 'x\u0002' },
      'body.file',
    );
    expect(errors.map((e) => e.path)).toEqual([
      'body.file.parties[0].names[1]',
      'body.file.parties[1][0].deep["k\\u0001"]',
      'body.file.plain key',
    ]);
  });
});
