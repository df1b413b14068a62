import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '../../src/config/config';

describe('README', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

  it('documents every configuration variable in its table', () => {
    const missing = Object.keys(configSchema.shape).filter((key) => !readme.includes(`| \`${key}\` |`));
    expect(missing).toEqual([]);
  });

  it('shows the two quick-start commands CI runs', () => {
    expect(readme).toContain('npm ci && npm test');
    expect(readme).toMatch(/npm ci && .*npm start/);
  });
});
