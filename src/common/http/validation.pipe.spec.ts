import type { ArgumentMetadata } from '@nestjs/common';
import { RefreshDto } from '../../auth/dto/refresh.dto.js';
import { RegisterDto } from '../../auth/dto/register.dto.js';
import { UpdateProfileDto } from '../../users/dto/update-profile.dto.js';
import { createValidationPipe } from './validation.pipe.js';

const pipe = createValidationPipe();

async function refusal(metatype: ArgumentMetadata['metatype'], body: unknown) {
  try {
    await pipe.transform(body, { type: 'body', metatype });
  } catch (error) {
    return error as { code: string; message: string; details: { fields: { field: string; message: string }[] } };
  }
  throw new Error('the body was accepted');
}

describe('validation pipe', () => {
  it.each([
    [RefreshDto, { refresh: 1 }, 'refresh', 'refresh must be a string'],
    [RefreshDto, { refresh: ['x'] }, 'refresh', 'refresh must be a string'],
    [RefreshDto, {}, 'refresh', 'refresh must be a string'],
    [UpdateProfileDto, { username: 42 }, 'username', 'username must be a string; it can be changed but not cleared'],
    [UpdateProfileDto, { first_name: 7 }, 'first_name', 'first_name must be a string'],
    [UpdateProfileDto, { profile_picture: {} }, 'profile_picture', 'profile_picture must be a string'],
  ])('tells %p %j about the type first', async (dto, body, field, message) => {
    const error = await refusal(dto, body);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', message, details: { fields: [{ field, message }] } });
  });

  it('reports the failing constraint when the type is right, one message per field', async () => {
    expect((await refusal(RefreshDto, { refresh: '' })).details.fields).toEqual([{ field: 'refresh', message: expect.stringMatching(/longer than or equal to 1/) }]);
    const error = await refusal(RegisterDto, { identifier: 'a@example.com', username: 'x', verification_token: 5, extra: true });
    expect(error.details.fields).toHaveLength(3);
    expect(error.details.fields).toEqual(
      expect.arrayContaining([
        { field: 'username', message: expect.stringMatching(/^username must be 3-30/) },
        { field: 'verification_token', message: 'verification_token must be a string' },
        { field: 'extra', message: 'extra is not an accepted field' },
      ]),
    );
  });
});
