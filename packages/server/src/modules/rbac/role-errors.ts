import { AppError } from '../../app-error.ts';

export const roleNotFound = (name: string) => new AppError('NOT_FOUND', `No role named "${name}"`);

export const roleNameTaken = (name: string, cause: unknown) => new AppError('CONFLICT', `A role named "${name}" already exists`, { cause });
