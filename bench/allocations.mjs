// Where a warm pass of the engine allocates: V8's sampling heap profiler over one pass of the scanner each CLI
// thread runs (read, scan, rules, JSON report), counting objects that the garbage collector has already freed,
// which a heap snapshot or `--heap-prof` leave out. Young-generation collections cost in proportion to what is
// allocated, so this shows what to cut. Usage: node bench/allocations.mjs DIR [TOP] (after `npm run build`).
import { Session } from 'node:inspector/promises';
import { engineOver } from './engine.mjs';

const [folder, top = '25'] = process.argv.slice(2);
if (!folder) throw new Error('usage: node bench/allocations.mjs DIR [TOP]');
const { scan, files } = await engineOver(folder);
let bytes = 0;
// The first pass compiles and fills the catalog's caches; the second is the one measured.
await scan(files, 0, () => {});
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
await scan(files, 0, (batch) => {
  bytes += batch.bytes.length;
});
const { profile } = await session.post('HeapProfiler.stopSampling');

const self = new Map();
const inclusive = new Map();
let total = 0;
/** Adds each node's bytes to its function, and once to every distinct function on its stack. */
function visit(node, stack) {
  const frame = node.callFrame;
  const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
  const onStack = stack.includes(name) ? stack : [...stack, name];
  total += node.selfSize;
  self.set(name, (self.get(name) ?? 0) + node.selfSize);
  for (const caller of onStack) inclusive.set(caller, (inclusive.get(caller) ?? 0) + node.selfSize);
  for (const child of node.children) visit(child, onStack);
}
visit(profile.head, []);

const megabytes = (value) => (value / 1e6).toFixed(1).padStart(8);
const print = (title, sizes) => {
  console.log(title);
  for (const [name, size] of [...sizes].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
    console.log(`${megabytes(size)} MB ${((100 * size) / total).toFixed(1).padStart(5)}%  ${name}`);
  }
};
console.log(`${folder}: ${files.length} files; one warm pass allocated about ${(total / 1e6).toFixed(0)} MB (sampled) for a ${(bytes / 1e6).toFixed(1)} MB report`);
print('by function, own allocations:', self);
print('by function, with what it calls:', inclusive);
