import { ApiProperty } from '@nestjs/swagger';

export class DependencyHealthDto {
  @ApiProperty({ enum: ['up', 'down'] })
  status: 'up' | 'down';

  /** `external` (from DATABASE_URL / REDIS_URL) or `embedded` (the development defaults). @example "external" */
  @ApiProperty({ enum: ['external', 'embedded'] })
  mode: 'external' | 'embedded';
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] })
  status: 'ok' | 'degraded';

  postgres: DependencyHealthDto;

  redis: DependencyHealthDto;
}
