import { SqlFilter } from './sql-filter';

describe('SqlFilter', () => {
  it('is empty without conditions: no WHERE, no parameters', () => {
    const f = new SqlFilter();
    expect(f.empty).toBe(true);
    expect(f.clause()).toBe('');
    expect(f.params).toEqual([]);
  });

  it('numbers parameters in the order they are bound and joins conditions with AND', () => {
    const f = new SqlFilter();
    f.where(`a.x = ${f.bind('one')}`);
    f.where('a.revoked_at IS NULL', `a.y = ${f.bind(2)}`);
    expect(f.clause()).toBe('WHERE a.x = $1 AND a.revoked_at IS NULL AND a.y = $2');
    expect(f.and()).toBe('a.x = $1 AND a.revoked_at IS NULL AND a.y = $2');
    expect(`LIMIT ${f.bind(51)}`).toBe('LIMIT $3');
    expect(f.params).toEqual(['one', 2, 51]);
  });

  it("continues after parameters the statement already uses, without changing the caller's array", () => {
    const fixed = ['2026-01-01'];
    const f = new SqlFilter(fixed);
    f.where(`l.status = ${f.bind('active')}`);
    expect(f.clause()).toBe('WHERE l.status = $2');
    expect(f.params).toEqual(['2026-01-01', 'active']);
    expect(fixed).toEqual(['2026-01-01']);
  });

  it('bind can be handed on as a plain function', () => {
    const f = new SqlFilter();
    const p = f.bind;
    expect([p('a'), p('b')]).toEqual(['$1', '$2']);
  });

  it('builds the newest-first keyset condition only when there is a cursor', () => {
    const f = new SqlFilter();
    f.keysetBefore('a.created_at', 'a.id', undefined);
    expect(f.empty).toBe(true);
    f.keysetBefore('a.created_at', 'a.id', {
      at: '2026-01-01T00:00:00.000Z',
      id: '00000000-0000-4000-8000-000000000000',
    });
    expect(f.clause()).toBe('WHERE (a.created_at, a.id) < ($1::timestamptz, $2::uuid)');
    expect(f.params).toEqual(['2026-01-01T00:00:00.000Z', '00000000-0000-4000-8000-000000000000']);
  });

  it('builds an ascending composite keyset condition with casts', () => {
    const f = new SqlFilter(['x']);
    f.keysetAfter([
      { column: 'c.priority', value: 2, cast: 'int' },
      { column: 'c.id', value: 'u', cast: 'uuid' },
    ]);
    expect(f.clause()).toBe('WHERE (c.priority, c.id) > ($2::int, $3::uuid)');
    expect(f.params).toEqual(['x', 2, 'u']);
  });
});
