import { filterFromQuery, heatLevel, presetRange, routeMatrix, toCsv } from './stats-model';

describe('dashboard model', () => {
  const now = new Date('2026-03-15T10:00:00Z');

  it('turns period presets into whole UTC days, the last 30 days by default', () => {
    expect(presetRange('30d', now)).toEqual({ from: '2026-02-14', to: '2026-03-15' });
    expect(presetRange('7d', now)).toEqual({ from: '2026-03-09', to: '2026-03-15' });
    expect(presetRange('month', now)).toEqual({ from: '2026-03-01', to: '2026-03-15' });
    expect(presetRange('prev-month', now)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(filterFromQuery(new URLSearchParams(''), now)).toMatchObject({
      preset: '30d',
      from: '2026-02-14',
      organization: '',
      interval: 'day',
    });
    expect(
      filterFromQuery(
        new URLSearchParams('period=custom&from=2026-01-01&to=2026-01-31&organization=acme&interval=week'),
        now,
      ),
    ).toEqual({ preset: 'custom', from: '2026-01-01', to: '2026-01-31', organization: 'acme', interval: 'week' });
    expect(filterFromQuery(new URLSearchParams('period=custom&from=junk'), now).from).toBe('2026-02-14');
  });

  it('builds the route matrix with totals, busiest first, and heat levels', () => {
    const m = routeMatrix([
      { originCountry: 'DE', destinationCountry: 'RU', lines: 4, value: 1, currency: 'USD' },
      { originCountry: 'DE', destinationCountry: 'RU', lines: 1, value: 1, currency: 'EUR' },
      { originCountry: 'US', destinationCountry: 'KG', lines: 2, value: 1, currency: 'USD' },
      { originCountry: 'US', destinationCountry: 'RU', lines: 1, value: 1, currency: 'USD' },
    ]);
    expect(m.origins).toEqual(['DE', 'US']);
    expect(m.destinations).toEqual(['RU', 'KG']);
    expect(m.cells.get('DE>RU')).toBe(5);
    expect(m.max).toBe(5);
    expect([heatLevel(0, 5), heatLevel(1, 5), heatLevel(5, 5)]).toEqual([0, 1, 5]);
  });

  it('writes CSV that a spreadsheet reads as text', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['=cmd', 'x,y'],
          [1, null],
        ],
      ),
    ).toBe('a,b\r\n\'=cmd,"x,y"\r\n1,\r\n');
  });
});
