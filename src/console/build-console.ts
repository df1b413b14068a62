/**
 * Builds the web console into dist/console: one ES module bundle and one stylesheet, both with a content hash in their
 * name (served as immutable), and index.html pointing at them (served with no-cache). Run by `npm run build:console`,
 * which `npm run build` (and so `npm ci`, through `prepare`) and `npm test` both run. The output is not committed.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(__dirname, '..', '..');
const UI = join(ROOT, 'src', 'console', 'ui');
const OUT = join(ROOT, 'dist', 'console');

async function main(): Promise<void> {
  const started = Date.now();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const result = await build({
    entryPoints: { app: join(UI, 'main.ts'), console: join(UI, 'console.css') },
    outdir: OUT,
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
  const js = outputs.find((f) => /^app-\w+\.js$/.test(f));
  const css = outputs.find((f) => /^console-\w+\.css$/.test(f));
  if (!js || !css) throw new Error(`unexpected build outputs: ${outputs.join(', ')}`);
  const html = readFileSync(join(UI, 'index.html'), 'utf8').replace('{{app.js}}', js).replace('{{console.css}}', css);
  if (html.includes('{{')) throw new Error('index.html has an unreplaced placeholder');
  writeFileSync(join(OUT, 'index.html'), html);
  copyFileSync(join(UI, 'favicon.svg'), join(OUT, 'favicon.svg'));
  process.stdout.write(`console built in ${Date.now() - started} ms: ${js}, ${css}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`console build failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
