import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '../../src/config/config';
import { bearer, startTestService } from '../support/test-service';

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

  it('screens the parties of its /v1/screen/parties example as the answer it shows, on a fresh start (seed lists only)', async () => {
    const example = /\/v1\/screen\/parties[^\n]*\n\s*-d '([^']+)'\n((?:# .*\n)+)/.exec(readme);
    if (!example) throw new Error('the README has no /v1/screen/parties example followed by its answer');
    const shown = [...example[2].matchAll(/"listId":"([^"]+)","entryId":"([^"]+)"/g)].map((m) => ({
      listId: m[1],
      entryId: m[2],
    }));
    expect(shown.length).toBeGreaterThan(0);
    const t = await startTestService();
    try {
      const res = await t.http
        .post('/v1/screen/parties')
        .set(...bearer(t.adminKey))
        .send(JSON.parse(example[1]));
      expect(res.status).toBe(200);
      const best = res.body.results.map(
        (r: { matches: { listId: string; entryId: string }[] }) =>
          r.matches[0] && { listId: r.matches[0].listId, entryId: r.matches[0].entryId },
      );
      expect(best).toEqual(shown);
    } finally {
      await t.close();
    }
  });
});
