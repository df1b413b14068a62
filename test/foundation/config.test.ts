import { ConfigError, loadConfig } from '../../src/config/config';

describe('configuration', () => {
  it('gives every key its default', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(8080);
    expect(config.DATA_DIR).toBe('./data');
    expect(config.BODY_LIMIT_BYTES).toBe(1024 * 1024);
    expect(config.BATCH_BODY_LIMIT_BYTES).toBe(10 * 1024 * 1024);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads and coerces the environment; empty strings count as unset', () => {
    const config = loadConfig({ PORT: '9000', RUN_JOBS_IN_API: 'yes', DATABASE_URL: '', LOG_LEVEL: 'warn' });
    expect(config.PORT).toBe(9000);
    expect(config.RUN_JOBS_IN_API).toBe(true);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.LOG_LEVEL).toBe('warn');
  });

  it('stops on an invalid value with a message naming each variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url', BOOTSTRAP_ADMIN_KEY: 'short', RUN_JOBS_IN_API: 'maybe' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'DATABASE_URL', 'BOOTSTRAP_ADMIN_KEY', 'RUN_JOBS_IN_API'])
      expect(message).toContain(name);
  });
});
