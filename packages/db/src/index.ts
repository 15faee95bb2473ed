export { type CreateDbOptions, createDb, type Db, type DbKind, isPostgresUrl, type SqlClient, sqlThrough } from './create-db.ts';
export { Prisma, PrismaClient } from './generated/prisma/client.ts';
export type * from './generated/prisma/models.ts';
export { applyMigrations, createMigration, diffMigrationsToSchema } from './migrate.ts';
export { applyMigrationsInChildProcess } from './migrate-in-child-process.ts';
export { migrationsDir, prismaDir } from './migrations.ts';
