import { createReadStream, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config';
import { createService } from '../composition';
import { createLogger } from '../observability/logger';
import { SYSTEM_ACTOR } from '../audit/audit.service';
import { FORMATS, type ImportFormat, type ImportParts } from './importers';

const USAGE = `Usage: npm run lists:import -- --list <listId> --format <format> --file [part=]<path> [--file part=<path>] [--kind goods|entities] [--name "List name"]
Formats: ${Object.keys(FORMATS).join(', ')}. ofac-sdn-csv takes parts sdn (required), alt, add and comments (sdn_comments.csv); every other format one file.`;

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * `npm run lists:import`: imports files too big for an HTTP upload straight from disk (streamed, never held in memory)
 * into DATABASE_URL (or the embedded database), then activates the version. Audited like an upload.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      list: { type: 'string' },
      format: { type: 'string' },
      file: { type: 'string', multiple: true },
      kind: { type: 'string' },
      name: { type: 'string' },
    },
  });
  if (!values.list || !values.format || !values.file?.length) throw new Error(USAGE);
  if (!(values.format in FORMATS)) throw new Error(`Unknown format ${values.format}.\n${USAGE}`);
  if (values.kind && values.kind !== 'goods' && values.kind !== 'entities')
    throw new Error(`--kind is goods or entities.\n${USAGE}`);
  const format = values.format as ImportFormat;
  const files = values.file.map((spec) => {
    const eq = spec.indexOf('=');
    const [part, path] =
      eq > 0 ? [spec.slice(0, eq), spec.slice(eq + 1)] : [format === 'ofac-sdn-csv' ? 'sdn' : 'file', spec];
    statSync(path);
    return { part, path };
  });

  const config = loadConfig();
  const service = await createService(
    config,
    'worker',
    createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL),
  );
  try {
    const digests = await Promise.all(
      files.map(async (f) => ({ name: f.part, sha256: await fileSha256(f.path), bytes: statSync(f.path).size })),
    );
    const version = await service.lists.service.createLocalVersion(
      SYSTEM_ACTOR,
      {
        listId: values.list,
        format,
        kind: values.kind as 'goods' | 'entities' | undefined,
        name: values.name,
        source: 'cli',
      },
      digests,
    );
    const parts: ImportParts = Object.fromEntries(files.map((f) => [f.part, () => createReadStream(f.path)]));
    const started = Date.now();
    const result = await service.lists.service.importVersion(version, parts);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.status === 'active')
      console.log(
        `Imported ${result.entryCount} entries into ${values.list} (version ${result.id}) in ${seconds} s; it is active.`,
      );
    else if (result.status === 'held')
      console.log(
        `Imported ${result.entryCount} entries into ${values.list} (version ${result.id}) in ${seconds} s; it is HELD, not active: ${result.error}`,
      );
    else throw new Error(`Import failed: ${result.error}`);
  } finally {
    await service.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
