import { loadHsNomenclature, parseHsNomenclature } from './hs-nomenclature';

describe('HS2022 nomenclature', () => {
  const hs = loadHsNomenclature();

  it('holds 96 chapters, 1,228 headings and 5,612 subheadings (pseudo-codes ignored)', () => {
    expect(hs.counts).toEqual({ chapters: 96, headings: 1228, subheadings: 5612 });
  });

  it('knows HS2022 subheadings, including those new in HS2022', () => {
    expect(hs.lookup('854231')).toEqual({
      exists: true,
      hsCode: '854231',
      level: 6,
      description:
        'Electronic integrated circuits; processors and controllers, whether or not combined with memories, converters, logic circuits, amplifiers, clock and timing circuits, or other circuits',
    });
    expect(hs.lookup('880730').exists).toBe(true);
    expect(hs.lookup('854151').exists).toBe(true);
  });

  it('does not know the Comtrade pseudo-codes or codes outside HS', () => {
    expect(hs.lookup('999999')).toEqual({ exists: false, hsCode: '999999', level: 6 });
    expect(hs.lookup('99').exists).toBe(false);
    expect(hs.lookup('854299').exists).toBe(false);
    expect(hs.lookup('8542.31').exists).toBe(false); // callers pass normalised digits
  });

  it('checks the HS-6 part of longer national codes, and headings or chapters of shorter ones', () => {
    expect(hs.lookup('8542310000')).toMatchObject({ exists: true, hsCode: '854231', level: 6 });
    expect(hs.lookup('8542')).toMatchObject({ exists: true, level: 4, description: 'Electronic integrated circuits' });
    expect(hs.lookup('85423')).toMatchObject({ exists: true, hsCode: '8542', level: 4 });
    expect(hs.lookup('85')).toMatchObject({ exists: true, level: 2 });
    expect(hs.lookup('00').exists).toBe(false);
  });

  it('parses CSV text with a BOM', () => {
    const small = parseHsNomenclature(
      '\ufeffsection,hscode,description,parent,level\nI,01,"Animals; live",TOTAL,2\nTOTAL,99,x,TOTAL,2\n',
    );
    expect(small.counts).toEqual({ chapters: 1, headings: 0, subheadings: 0 });
    expect(small.lookup('0101').exists).toBe(false);
  });
});
