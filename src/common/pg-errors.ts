import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';

/** The Postgres error behind a failed query: through TypeORM, or straight from pg (the SCIM hot path). */
export function pgError(error: unknown): { code?: string; constraint?: string } | undefined {
  if (error instanceof DatabaseError) return error;
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = (error as QueryFailedError & { driverError?: { code?: string; constraint?: string } }).driverError;
  return driverError ?? undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = pgError(error);
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
