// What clients import: the router's type (never its code), the inferred inputs and outputs, and the contract.

export * from '@ums/contract';
export type { AppRouter, RouterInputs, RouterOutputs } from '@ums/server';
