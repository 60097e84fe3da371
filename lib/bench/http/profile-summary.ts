import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where a V8 CPU profile of the server spent its time, by layer: Next.js (its runtime in
 * node_modules/next, compiled or not), our code (lib/scim, lib/lifecycle, db/queries, the route),
 * drizzle, scimmy, postgres.js, Node internals, V8 builtins and GC. The app's code is bundled into
 * .next/server chunks; each frame there is mapped back to its source through the chunk's source
 * map, so "lib/scim/patch.ts" and "node_modules/drizzle-orm/…" are told apart.
 */
type Frame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type Node = { id: number; callFrame: Frame; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };
/**
 * selfPct: time in the layer's own frames; chargedPct: the same with V8 builtins and Node
 * internals (JSON, streams, timers, crypto…) charged to the layer that called them; onStackPct:
 * samples with the layer anywhere on the stack (async continuations start a stack of their own).
 */
export type Layer = { layer: string; selfMs: number; selfPct: number; chargedPct: number; onStackPct: number };
export type ProfileSummary = { busyMs: number; idleMs: number; perRequestMs: number; layers: Layer[]; top: { what: string; selfMs: number; pct: number }[] };

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../../..');
const maps = new Map<string, SourceMap | null>();
function sourceMapOf(file: string): SourceMap | null {
  if (!maps.has(file)) {
    const mapFile = `${file}.map`;
    maps.set(file, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload) : null);
  }
  return maps.get(file)!;
}

/** The original source of a frame (bundled chunks mapped back), as a path relative to the project where possible. */
function sourceOf(frame: Frame): { source: string; line: number } {
  if (!frame.url.startsWith('file://')) return { source: frame.url, line: frame.lineNumber + 1 };
  const file = fileURLToPath(frame.url);
  if (file.includes('/.next/server/')) {
    const entry = sourceMapOf(file)?.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry && 'originalSource' in entry && entry.originalSource) return { source: entry.originalSource.replace(/^.*?(\.\.\/)+/, ''), line: entry.originalLine + 1 };
  }
  const known = file.replace(/^.*?\/(node_modules\/|\.next\/)/, '$1');
  // The server's own modules (server.ts loads lib/ and db/ unbundled) are named from the project root, as the layers expect.
  const inProject = path.relative(PROJECT_ROOT, file);
  return { source: known !== file || inProject.startsWith('..') ? known : inProject, line: frame.lineNumber + 1 };
}

const LAYERS: [RegExp, string][] = [
  [/node_modules\/next\/|\.next\/server\/|\[turbopack\]|next\/dist\//, 'next'],
  [/node_modules\/(react|react-dom|scheduler)\//, 'react'],
  // drizzle-orm's own source maps name ../src/*.ts, which the bundle's maps turn into node_modules/src/.
  [/node_modules\/(drizzle-orm\/|src\/)/, 'drizzle-orm'],
  [/node_modules\/scimmy\//, 'scimmy'],
  [/node_modules\/postgres\//, 'postgres.js'],
  [/node_modules\/zod\//, 'zod'],
  [/node_modules\//, 'other packages'],
  [/^lib\/scim\//, 'lib/scim'],
  [/^lib\/lifecycle\//, 'lib/lifecycle'],
  [/^db\//, 'db/queries'],
  [/^app\//, 'app (route)'],
  [/^lib\//, 'lib (other)'],
  [/^node:/, 'node internals'],
];

const CHARGED_TO_CALLER = new Set(['v8 builtins', 'node internals', 'other']);

function layerOf(frame: Frame, source: string): string {
  if (frame.functionName === '(idle)') return 'idle';
  if (frame.functionName === '(garbage collector)') return 'gc';
  if (frame.functionName === '(program)' || frame.functionName === '(root)') return 'program';
  if (source === '') return 'v8 builtins';
  return LAYERS.find(([pattern]) => pattern.test(source))?.[1] ?? 'other';
}

export function summarizeProfile(file: string, requests: number, topN = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  type Info = { layer: string; owner: string; what: string; onStack: Set<string> };
  const info = new Map<number, Info>();
  const infoOf = (id: number): Info => {
    const known = info.get(id);
    if (known) return known;
    const frame = byId.get(id)!.callFrame;
    const { source, line } = sourceOf(frame);
    const layer = layerOf(frame, source);
    const up = parent.get(id);
    const above = up === undefined ? undefined : infoOf(up);
    const onStack = new Set(above?.onStack ?? []);
    onStack.add(layer);
    const owner = CHARGED_TO_CALLER.has(layer) && above && above.owner !== 'program' ? above.owner : layer;
    const made = { layer, owner, what: `${frame.functionName || '(anonymous)'} ${source || '(native)'}:${line}`, onStack };
    info.set(id, made);
    return made;
  };
  const self = new Map<string, number>();
  const charged = new Map<string, number>();
  const stacked = new Map<string, number>();
  const functions = new Map<string, number>();
  let idleUs = 0;
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i + 1] ?? 0; // a sample's time is the gap to the next one
    const node = infoOf(id);
    if (node.layer === 'idle') return void (idleUs += us);
    busyUs += us;
    self.set(node.layer, (self.get(node.layer) ?? 0) + us);
    charged.set(node.owner, (charged.get(node.owner) ?? 0) + us);
    for (const layer of node.onStack) stacked.set(layer, (stacked.get(layer) ?? 0) + us);
    functions.set(node.what, (functions.get(node.what) ?? 0) + us);
  });
  const pct = (us: number) => Number(((100 * us) / Math.max(busyUs, 1)).toFixed(1));
  const ms = (us: number) => Number((us / 1000).toFixed(1));
  return {
    busyMs: ms(busyUs),
    idleMs: ms(idleUs),
    perRequestMs: Number((busyUs / 1000 / Math.max(requests, 1)).toFixed(3)),
    layers: [...self.entries()].sort((a, b) => b[1] - a[1]).map(([layer, us]) => ({ layer, selfMs: ms(us), selfPct: pct(us), chargedPct: pct(charged.get(layer) ?? 0), onStackPct: pct(stacked.get(layer) ?? 0) })),
    top: [...functions.entries()].sort((a, b) => b[1] - a[1]).slice(0, topN).map(([what, us]) => ({ what, selfMs: ms(us), pct: pct(us) })),
  };
}
