import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  startTime: number;
  endTime: number;
}

export interface CostLine {
  name: string;
  /** Share of all samples, 0–1. */
  share: number;
}

export interface ProfileSummary {
  seconds: number;
  samples: number;
  /** Functions by the samples spent in them (self time). */
  self: CostLine[];
  /** Functions by the samples they were on the stack for (total time), counted once per sample. */
  total: CostLine[];
  /** Self time by where the code lives: a package, our code, Node, the engine (GC, idle, program). */
  byOrigin: CostLine[];
}

const PNPM_PACKAGE = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//;
const OUR_CODE = /\/(packages|apps)\/([^/]+)\/(?:dist|src)\/(.+)$/;

/** Where a frame's code lives: a package name, `ours: <package>`, `node` or the engine's own entries. */
export function originOf(url: string, functionName: string): string {
  const pkg = PNPM_PACKAGE.exec(url)?.[1];
  if (pkg) return pkg;
  const ours = OUR_CODE.exec(url);
  if (ours) return `ours: ${ours[1]}/${ours[2]}`;
  if (url.startsWith('node:')) return 'node (built-in modules)';
  if (!url) return functionName ? `(${functionName.replace(/[()]/g, '')})` : '(native)';
  return url;
}

const frameName = ({ callFrame: { functionName, url, lineNumber } }: ProfileNode) => {
  const where = OUR_CODE.exec(url)?.[3] ?? PNPM_PACKAGE.exec(url)?.[1] ?? url.replace(/^node:/, '');
  return `${functionName || '(anonymous)'}${where ? ` ${where}:${lineNumber + 1}` : ''}`;
};

/** Self, total and by-origin costs of a V8 .cpuprofile (what `node --cpu-prof` writes). */
export function summariseProfile(file: string, top = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const origin = new Map<string, number>();
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const id of profile.samples) {
    const leaf = byId.get(id);
    if (!leaf) continue;
    add(self, frameName(leaf));
    add(origin, originOf(leaf.callFrame.url, leaf.callFrame.functionName));
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (!node) break;
      const name = frameName(node);
      if (!seen.has(name)) {
        seen.add(name);
        add(total, name);
      }
    }
  }
  const count = profile.samples.length;
  const ranked = (map: Map<string, number>, limit: number) =>
    [...map]
      .sort(([, a], [, b]) => b - a)
      .slice(0, limit)
      .map(([name, hits]) => ({ name, share: hits / count }));
  return {
    seconds: (profile.endTime - profile.startTime) / 1e6,
    samples: count,
    self: ranked(self, top),
    total: ranked(total, top * 2),
    byOrigin: ranked(origin, top),
  };
}
