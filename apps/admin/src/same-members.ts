/** Whether two lists hold the same names, in whatever order. */
export const sameMembers = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();
