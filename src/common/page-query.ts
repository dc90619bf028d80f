// Paging and text search shared by the admin API's listings.
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

/** `OFFSET n LIMIT m` for a validated PageQuery (checked integers, so written into the text). */
export function pageSql(query: PageQuery): string {
  return `OFFSET ${query.offset ?? 0} LIMIT ${query.limit ?? 50}`;
}

/** A LIKE pattern matching values that contain `q`, case-insensitively (compare with lower(...)). */
export function containsPattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
