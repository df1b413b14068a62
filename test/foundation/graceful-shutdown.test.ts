import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase } from '../support/test-service';

const ROOT = join(__dirname, '..', '..');
const ADMIN = 'shutdown-admin-key-0123456789abcdef';

describe('graceful shutdown', () => {
  it('finishes a request in flight when SIGTERM arrives, then exits 0', async () => {
    const db = await createTestDatabase();
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: db.url,
        BOOTSTRAP_ADMIN_KEY: ADMIN,
        LOG_LEVEL: 'warn',
        PORT: '0',
        LIST_SOURCES: 'off',
      },
    });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += d;
          const m = /listening on (http:\/\/localhost:\d+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.stderr.on('data', (d) => {
          out += d;
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      // Enough sealed events that the export is still streaming when the signal arrives.
      const pg = new Client({ connectionString: db.url });
      await pg.connect();
      await pg.query(`INSERT INTO audit_events (actor, action, subject_type, subject_id, data)
        SELECT '{"keyId":null,"role":"system","organization":null}'::jsonb, 'test.bulk', 'test', 't' || g, jsonb_build_object('n', g) FROM generate_series(1, 150000) g`);
      await pg.end();

      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const response = await fetch(`${url}/v1/audit/events?action=test.bulk`, {
        headers: { Authorization: `Bearer ${ADMIN}` },
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const first = await reader.read();
      child.kill('SIGTERM');
      let text = Buffer.from(first.value ?? []).toString('utf8');
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
      }
      const lines = text.trim().split('\n');
      expect(JSON.parse(lines[lines.length - 1]).manifest.rowCount).toBe(150000);
      expect(lines).toHaveLength(150001);
      const code = await exited;
      if (code !== 0) throw new Error(`exit code ${code}: ${out}`);
      expect(out).not.toMatch(/grace period over/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await db.drop();
    }
  }, 90000);
});
