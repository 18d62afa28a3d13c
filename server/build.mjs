#!/usr/bin/env node
// `npm run build -w @chairside/server`: compiles the server to JavaScript in server/dist/, which
// `npm start` (and `npm run serve`) run with plain `node`; tsx is for development and tests only.
//
// esbuild bundles our own code — server/src and the workspaces it imports at run time
// (@chairside/shared, @chairside/simulators for the demo), whose package entry points are
// TypeScript — into ES modules. Packages from node_modules stay imports, resolved by Node at run
// time as before (better-sqlite3 is native; pg, pdfkit and the font files are found through
// node_modules). It does not type-check: `npm run typecheck` does.
//
// What the compiled server finds beside itself (server/dist/), because it is resolved against
// import.meta.url:
//   main.js               entry point; the dashboard is ../../client/dist, as from server/src/
//   export-worker.js      the export worker thread (review/export-pool.ts: `name.js` beside it)
//   engine-worker.js      the alert engine's worker thread (alerts/engine-host.ts: the same way)
//   backup-cli.js         `npm run backup` / `npm run restore`
//   common-passwords.txt  read by auth/password-policy.ts
//   chunk-*.js            code the entry points share
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const serverDir = path.dirname(fileURLToPath(import.meta.url));
const src = path.join(serverDir, 'src');
const outdir = path.join(serverDir, 'dist');

/** Bare imports stay imports, except our own workspaces (TypeScript entry points): those are bundled. */
const keepPackagesExternal = {
  name: 'keep-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@chairside/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

// Built beside dist/ and swapped in when complete, or dropped when it is what dist/ already holds:
// a server starting from dist/ meanwhile (another terminal, a concurrent test run) never finds it
// half-written or empty, and an unchanged build never touches it.
/** Whether two folders hold the same files with the same bytes. */
function sameFiles(a, b) {
  if (!fs.existsSync(b)) return false;
  const names = fs.readdirSync(a).sort();
  const others = fs.readdirSync(b).sort();
  if (names.join('\n') !== others.join('\n')) return false;
  return names.every((name) => fs.readFileSync(path.join(a, name)).equals(fs.readFileSync(path.join(b, name))));
}

const started = performance.now();
const building = `${outdir}.building-${process.pid}`;
fs.rmSync(building, { recursive: true, force: true });
const result = await build({
  absWorkingDir: serverDir,
  entryPoints: {
    main: path.join(src, 'main.ts'),
    'export-worker': path.join(src, 'review/export-worker.ts'),
    'engine-worker': path.join(src, 'alerts/engine-worker.ts'),
    'backup-cli': path.join(src, 'store/backup-cli.ts'),
  },
  outdir: building,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  sourcemap: true,
  plugins: [keepPackagesExternal],
  metafile: true,
  logLevel: 'warning',
});
fs.copyFileSync(path.join(src, 'auth/common-passwords.txt'), path.join(building, 'common-passwords.txt'));
if (sameFiles(building, outdir)) {
  fs.rmSync(building, { recursive: true, force: true }); // nothing changed: leave dist/ alone
} else {
  const previous = `${outdir}.previous-${process.pid}`;
  if (fs.existsSync(outdir)) fs.renameSync(outdir, previous);
  fs.renameSync(building, outdir);
  fs.rmSync(previous, { recursive: true, force: true });
}

const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const kib = outputs.reduce((sum, [, output]) => sum + output.bytes, 0) / 1024;
console.log(`server compiled to ${path.relative(process.cwd(), outdir) || '.'}/: ${outputs.length} files, ${kib.toFixed(0)} KiB, ${Math.round(performance.now() - started)} ms`);
