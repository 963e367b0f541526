import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The agent desktop and supervisor view are a React app built with Vite on demand: the first request after a
 * change of its sources builds it (a fraction of a second with Vite 8) into a cache folder keyed by the hash of
 * the sources and of the React and Vite versions; later starts reuse it. So `npm ci && npm start` needs no build
 * step, and a stale bundle can never be served. See docs/adr/0004-web-app-built-on-demand.md.
 */
export const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface WebBuild {
  dir: string;
  /** URL path under `/web/` → file path. */
  files: Map<string, string>;
}

let building: Promise<WebBuild> | undefined;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (!name.endsWith('.test.ts') && name !== 'build.ts') out.push(p);
  }
  return out;
}

function versionOf(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function sourceHash(): string {
  const h = createHash('sha256');
  for (const f of sources(webRoot)) h.update(relative(webRoot, f)).update('\0').update(readFileSync(f)).update('\0');
  for (const pkg of ['vite', 'react', 'react-dom']) h.update(`${pkg}@${versionOf(pkg)}\0`);
  return h.digest('hex').slice(0, 16);
}

function cacheRoot(): string {
  const preferred = join(repoRoot, 'node_modules', '.cache', 'parley-web');
  try {
    mkdirSync(preferred, { recursive: true });
    return preferred;
  } catch {
    const fallback = join(tmpdir(), 'parley-web');
    mkdirSync(fallback, { recursive: true });
    return fallback;
  }
}

function listing(dir: string): WebBuild {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(dir, p).split(sep).join('/'), p);
    }
  };
  walk(dir);
  return { dir, files };
}

/** The built web app, building it first when its sources changed. Concurrent callers share one build. */
export function webBuild(): Promise<WebBuild> {
  building ??= buildOnce().catch((err: unknown) => {
    building = undefined;
    throw err;
  });
  return building;
}

async function buildOnce(): Promise<WebBuild> {
  const target = join(cacheRoot(), sourceHash());
  if (existsSync(join(target, 'index.html'))) return listing(target);
  const staging = `${target}.${process.pid}.${Date.now()}.tmp`;
  const { build } = await import('vite');
  await build({
    root: webRoot,
    base: '/web/',
    configFile: false,
    logLevel: 'warn',
    mode: 'production',
    build: { outDir: staging, emptyOutDir: true, sourcemap: false },
  });
  try {
    renameSync(staging, target);
  } catch {
    // another process finished the same build first; keep theirs
    rmSync(staging, { recursive: true, force: true });
  }
  return listing(target);
}
