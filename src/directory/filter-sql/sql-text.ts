// SQL text for the filter compiler: literals for names taken from schema definitions, numbered
// placeholders for everything a client sent, and the jsonb snippets that mirror the in-memory matcher.

/** Placeholders `$first`, `$first+1`, ... with their values, in order. */
export class Params {
  readonly values: unknown[] = [];

  constructor(private readonly first: number) {
    if (!Number.isInteger(first) || first < 1) throw new Error(`firstParam must be a positive integer, got ${first}`);
  }

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.first + this.values.length - 1}`;
  }
}

/**
 * A SQL string literal for an attribute name or schema URN. These come from schema definitions,
 * never from filter text; quoting them anyway keeps a careless custom schema from becoming SQL.
 * Backslashes and control characters have no business in an attribute name, and refusing them means
 * the literal is safe whatever `standard_conforming_strings` says.
 */
export function literal(text: string): string {
  if (/[\\\u0000-\u001f]/.test(text)) throw new Error(`Refusing to inline ${JSON.stringify(text)} into SQL`);
  return `'${text.replace(/'/g, "''")}'`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a plain SQL identifier: ${JSON.stringify(name)}`);
  return name;
}

/** Fresh correlation names for nested subqueries, never equal to the outer table's alias. */
export class Aliases {
  private readonly used = new Map<string, number>();

  constructor(private readonly reserved: string) {}

  next(prefix: string): string {
    for (;;) {
      const n = (this.used.get(prefix) ?? 0) + 1;
      this.used.set(prefix, n);
      const name = n === 1 ? prefix : `${prefix}${n}`;
      if (name !== this.reserved) return name;
    }
  }
}

/**
 * The elements of a multi-valued attribute. Only arrays have elements, as in the
 * `roster_email_values` function behind the emails index, so that the indexed and the generic
 * paths agree.
 */
export function elementsOf(json: string): string {
  return `jsonb_array_elements(CASE WHEN jsonb_typeof(${json}) = 'array' THEN ${json} ELSE '[]'::jsonb END)`;
}

/**
 * The matcher's `isPresent`: somewhere in the value (itself, or nested in arrays and objects) is a
 * number, a Boolean or a non-empty string. `strict $.**` visits the value and everything below it.
 */
export function present(json: string): string {
  return (
    `coalesce(jsonb_path_exists(${json}, 'strict $.** ? (@.type() == "number" || @.type() == "boolean" || ` +
    `(@.type() == "string" && @ != ""))'), false)`
  );
}

/**
 * What JavaScript's Number() accepts of a decimal numeral (the matcher's reading of a number stored
 * as a string). Hex, binary and "Infinity" are left out: a numeral only they accept compares false.
 */
export const NUMERIC_TEXT = String.raw`^[ \t\n\r]*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,4})?[ \t\n\r]*$`;

/**
 * The xsd:dateTime texts the matcher's parseScimDateTime accepts: four-digit year, a time of
 * 00:00:00-23:59:59, any fraction (truncated to milliseconds), offsets up to 23:59, no zone meaning
 * UTC; `T` and `Z` in either case (for `~*`). Days beyond the month's end are checked apart.
 */
const DATE_TIME_TEXT =
  String.raw`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])t([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?` +
  String.raw`(z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$`;

/**
 * Milliseconds since the epoch of a dateTime text, as parseScimDateTime computes them, or NULL for
 * text it refuses. Arithmetic rather than a timestamptz cast, because the cast raises on what the
 * matcher merely refuses or accepts (year 0, +18:00, 2011-02-30), and one odd stored value must not
 * fail a whole search. Dates are shifted by one 400-year Gregorian cycle (146097 days, same leap
 * years) to keep year 0 inside make_date's range. The nested CASE checks the day against the
 * month before make_date can see it.
 */
export function epochMillis(text: string): string {
  const int = (from: number, length: number): string => `substr(s, ${from}, ${length})::int`;
  const year = `${int(1, 4)} + 400`;
  const lastDay = `extract(day from make_date(${year}, ${int(6, 2)}, 1) + interval '1 month - 1 day')`;
  const days = `(make_date(${year}, ${int(6, 2)}, ${int(9, 2)}) - DATE '1970-01-01' - 146097)`;
  const millis = `coalesce(rpad(substring(s from '^.{19}\\.([0-9]{1,3})'), 3, '0')::int, 0)`;
  const offset =
    `CASE WHEN s ~ '[+-][0-9]{2}:[0-9]{2}$' THEN (CASE WHEN substr(s, length(s) - 5, 1) = '-' THEN -1 ELSE 1 END)` +
    ` * (substr(s, length(s) - 4, 2)::int * 60 + substr(s, length(s) - 1, 2)::int) * 60000 ELSE 0 END`;
  const value =
    `${days}::bigint * 86400000 + ${int(12, 2)} * 3600000 + ${int(15, 2)} * 60000 + ${int(18, 2)} * 1000` +
    ` + ${millis} - ${offset}`;
  return (
    `(SELECT CASE WHEN s ~* '${DATE_TIME_TEXT}' THEN (CASE WHEN ${int(9, 2)} <= ${lastDay} THEN ${value} END) END` +
    ` FROM (VALUES (${text})) AS dt(s))`
  );
}
