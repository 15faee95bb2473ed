import { Prisma } from '@ums/db';
import { AppError } from '../../errors.ts';

export const roleNotFound = (name: string) => new AppError('NOT_FOUND', `No role named "${name}"`);

export const roleNameTaken = (name: string, cause: unknown) => new AppError('CONFLICT', `A role named "${name}" already exists`, { cause });

/** A unique-constraint violation (two creates racing for one name). */
export const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
