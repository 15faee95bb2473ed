export function buildServer(): { files: number; ms: number };
export function ensureServerBuilt(): void;
