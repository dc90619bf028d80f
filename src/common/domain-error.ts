// Coded domain errors: services throw these; each transport maps them to its wire format in one place.
export type DomainErrorCode = 'not_found' | 'conflict' | 'invalid' | 'unauthorized' | 'forbidden' | 'unavailable';

export interface FieldProblem {
  field: string;
  problems: string[];
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string, id: string): DomainError {
    return new DomainError('not_found', `${what} ${id} does not exist`);
  }

  static conflict(message: string): DomainError {
    return new DomainError('conflict', message);
  }

  static invalid(message: string, fields: FieldProblem[] = []): DomainError {
    return new DomainError('invalid', message, fields);
  }

  /** A server Roster depends on (an LDAP directory) could not do what was asked: 502. */
  static unavailable(message: string): DomainError {
    return new DomainError('unavailable', message);
  }
}
