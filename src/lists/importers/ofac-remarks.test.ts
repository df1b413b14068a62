import { mineRemarks, ofacDateToIso, splitRemarks } from './ofac-remarks';

describe('OFAC remarks', () => {
  it('mines a Russian person (KHOROSHEV, 2025 sample)', () => {
    const mined = mineRemarks(
      "DOB 17 Apr 1993; POB Russian Federation; nationality Russia; citizen Russia; Email Address khoroshev1@icloud.com; Gender Male; Passport 2018278055 (Russia); alt. Passport 2006801524 (Russia); Tax ID No. 366110340670 (Russia); a.k.a. 'LOCKBITSUPP'.",
    );
    expect(mined.birthDates).toEqual(['1993-04-17']);
    expect(mined.countries).toEqual(['RU', 'RU']);
    expect(mined.aliases).toEqual(['LOCKBITSUPP']);
    expect(mined.identifiers).toEqual([
      { type: 'PASSPORT', value: '2018278055', country: 'RU', label: 'Passport' },
      { type: 'PASSPORT', value: '2006801524', country: 'RU', label: 'Passport' },
      { type: 'TAX_ID', value: '366110340670', country: 'RU', label: 'Tax ID No.' },
    ]);
  });

  it('reads IMO numbers in both OFAC wordings', () => {
    expect(mineRemarks('Vessel Registration Identification IMO 9187629; MMSI 572469210').identifiers).toEqual([
      { type: 'IMO', value: '9187629', label: 'Vessel Registration Identification IMO' },
      { type: 'OTHER', value: '572469210', label: 'MMSI' },
    ]);
    expect(mineRemarks('Identification Number IMO 9339301; Linked To: X.').identifiers[0]).toMatchObject({
      type: 'IMO',
      value: '9339301',
    });
  });

  it('stops values at qualifiers and takes the last country in parentheses', () => {
    const ids = mineRemarks(
      'C.U.R.P. AIMM67125HCHRRG06 (Mexico) issued 1968; Business Registration Number 0582030 (Connecticut) (United States); Public Registration Number 467323, Doc. 694710 (Panama); Passport OR801168 and Kuwaiti National ID No. 281020505755 issued under the name X',
    ).identifiers;
    expect(ids.map((i) => [i.value, i.country])).toEqual([
      ['AIMM67125HCHRRG06', 'MX'],
      ['0582030', 'US'],
      ['467323', 'PA'],
      ['OR801168', undefined],
    ]);
  });

  it('keeps aliases containing apostrophes and semicolons whole', () => {
    expect(splitRemarks("a.k.a. 'AL-QA'IDA'; a.k.a. 'A; B'; Gender Male.")).toEqual([
      "a.k.a. 'AL-QA'IDA'",
      "a.k.a. 'A; B'",
      'Gender Male',
    ]);
    expect(mineRemarks("f.k.a. 'OLD NAME'; n.k.a. 'NEW NAME'.").aliases).toEqual(['OLD NAME', 'NEW NAME']);
  });

  it('turns OFAC dates into ISO dates', () => {
    expect(ofacDateToIso('01 Jan 1960')).toBe('1960-01-01');
    expect(ofacDateToIso('Dec 1948')).toBe('1948-12');
    expect(ofacDateToIso('1960')).toBe('1960');
    expect(ofacDateToIso('sometime')).toBeUndefined();
    expect(mineRemarks('DOB circa 1951; alt. DOB 1955 to 1958').birthDates).toEqual(['1951', '1955', '1958']);
  });

  it('ignores labels without a number', () => {
    expect(mineRemarks('Passport details unknown; Website www.x.ru').identifiers).toEqual([]);
  });
});
