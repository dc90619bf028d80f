import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { Directory } from './directory.entity';

export class CreateDirectoryDto {
  @ApiProperty({ example: 'Employees', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: 'Everyone on the payroll', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

export class UpdateDirectoryDto {
  @ApiPropertyOptional({ example: 'Staff', maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'Everyone on the payroll', maxLength: 2000, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({ description: 'Make this the directory new connectors use when none is named (only `true` is accepted).', example: true })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;
}

export class DirectoryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Default' }) name: string;
  @ApiPropertyOptional({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ example: true }) isDefault: boolean;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static from(d: Directory): DirectoryDto {
    return Object.assign(new DirectoryDto(), {
      id: d.id,
      name: d.name,
      description: d.description,
      isDefault: d.isDefault,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    });
  }
}
