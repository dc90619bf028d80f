import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldProblemDto {
  @ApiProperty({ example: 'idp' }) field: string;
  @ApiProperty({ example: ['idp must be one of the following values: okta, entra, onelogin, miniorange, jumpcloud, google, generic'] })
  problems: string[];
}

/** The admin API's error body. */
export class ApiErrorDto {
  @ApiProperty({ example: 400 }) statusCode: number;
  @ApiProperty({ example: 'Bad Request' }) error: string;
  @ApiProperty({ example: 'Invalid request: idp' }) message: string;
  @ApiPropertyOptional({ type: FieldProblemDto, isArray: true }) fields?: FieldProblemDto[];
  @ApiProperty({ example: 'req-1' }) requestId: string;
}
