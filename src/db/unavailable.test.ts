import { QueryFailedError } from 'typeorm';
import { databaseTrouble } from './unavailable';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('databaseTrouble', () => {
  it('recognises connection loss, shutdown and pool exhaustion', () => {
    expect(databaseTrouble(pgError('ECONNREFUSED'))).toBe('unavailable');
    expect(databaseTrouble(pgError('57P01', 'terminating connection due to administrator command'))).toBe(
      'unavailable',
    );
    expect(databaseTrouble(new Error('Connection terminated unexpectedly'))).toBe('unavailable');
    expect(databaseTrouble(new Error('timeout exceeded when trying to connect'))).toBe('unavailable');
    expect(databaseTrouble(new AggregateError([pgError('ECONNREFUSED'), pgError('ECONNREFUSED')]))).toBe('unavailable');
    expect(
      databaseTrouble(new QueryFailedError('SELECT 1', [], pgError('57P03', 'the database system is starting up'))),
    ).toBe('unavailable');
  });

  it('calls statement and lock timeouts busy', () => {
    expect(
      databaseTrouble(
        new QueryFailedError('SELECT 1', [], pgError('57014', 'canceling statement due to statement timeout')),
      ),
    ).toBe('busy');
    expect(databaseTrouble(pgError('55P03', 'canceling statement due to lock timeout'))).toBe('busy');
  });

  it('leaves ordinary errors alone', () => {
    expect(databaseTrouble(new QueryFailedError('SELECT 1', [], pgError('23505', 'duplicate key')))).toBeUndefined();
    expect(databaseTrouble(new TypeError('x is undefined'))).toBeUndefined();
    expect(databaseTrouble(undefined)).toBeUndefined();
  });
});
