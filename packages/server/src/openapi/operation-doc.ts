import type { AnyProcedure, inferProcedureInput, inferProcedureOutput } from '@trpc/server';
import type { AppRouter } from '../app-router.ts';
import type { ErrorSpec } from '../define-error.ts';

/** Every procedure of the router, as `{ path: 'users.settings.get', procedure }`. */
type ProcedureEntries<Record, Prefix extends string = ''> = {
  [Key in keyof Record & string]: Record[Key] extends AnyProcedure
    ? { path: `${Prefix}${Key}`; procedure: Record[Key] }
    : ProcedureEntries<Record[Key], `${Prefix}${Key}.`>;
}[keyof Record & string];

type Entries = ProcedureEntries<AppRouter['_def']['record']>;
export type ProcedurePath = Entries['path'];
type ProcedureAt<Path extends ProcedurePath> = Extract<Entries, { path: Path }>['procedure'];

/** The example a request or response carries; void ones have none. */
// biome-ignore lint/suspicious/noConfusingVoidType: procedures without input or output infer `void` (z.void()).
type IsVoid<Value> = [Value] extends [void | undefined] ? true : false;
type Example<Value> = IsVoid<Value> extends true ? { request?: never } : { request: Value };
type ResponseExample<Value> = IsVoid<Value> extends true ? { response?: never } : { response: Value };

/**
 * What the REST document says about one operation beyond its schemas, written beside its router (`openapi-docs.ts`
 * in the module): what it does for people, the errors its service throws, and an example typed by the procedure, so
 * an example that no longer fits the contract fails the type check.
 */
export type OperationDoc<Path extends ProcedurePath> = {
  /** What it does, who may call it, what it changes, the notable errors. Markdown. */
  description: string;
  /** The errors its service may throw (each module's `*-errors.ts`); statuses from the access rule come on their own. */
  throws: readonly { spec: ErrorSpec }[];
  example: Example<inferProcedureInput<ProcedureAt<Path>>> & ResponseExample<inferProcedureOutput<ProcedureAt<Path>>>;
};

export type OperationDocs<Paths extends ProcedurePath = ProcedurePath> = { [Path in Paths]: OperationDoc<Path> };
