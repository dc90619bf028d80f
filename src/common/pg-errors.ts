import { QueryFailedError } from 'typeorm';

/** The Postgres error behind a failed TypeORM query, when there is one. */
export function pgError(error: unknown): { code?: string; constraint?: string } | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = (error as QueryFailedError & { driverError?: { code?: string; constraint?: string } }).driverError;
  return driverError ?? undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = pgError(error);
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
