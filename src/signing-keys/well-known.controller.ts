import { Controller, Get, Header, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/public.decorator.js';
import type { AuthConfig } from '../config/auth.config.js';
import type { Configuration } from '../config/configuration.js';
import { JwksDto, OpenIdConfigurationDto } from './dto/well-known.dto.js';
import { KeyRing } from './key-ring.js';

/** Discovery for the services that verify our tokens: the public keys and where to find them. */
@ApiTags('discovery')
@Public()
@Controller('.well-known')
export class WellKnownController {
  private readonly config: AuthConfig;
  private readonly publicUrl: string;

  constructor(
    private readonly ring: KeyRing,
    config: ConfigService<Configuration, true>,
  ) {
    this.config = config.getOrThrow('auth', { infer: true });
    this.publicUrl = config.getOrThrow('app.publicUrl', { infer: true });
  }

  /**
   * Every public key a live token may be signed with: the signing key, the staged next one (published before
   * it signs), and retired ones until the last token they signed has expired. Never a private or symmetric key.
   */
  @Get('jwks.json')
  @ApiOperation({ operationId: 'getJwks', summary: 'The public signing keys (JWK Set, RFC 7517)' })
  @ApiOkResponse({ type: JwksDto })
  jwks(@Res({ passthrough: true }) reply: FastifyReply): JwksDto {
    void reply.header('cache-control', `public, max-age=${this.config.jwksMaxAgeSeconds}`);
    return this.ring.jwks() as JwksDto;
  }

  /** The OpenID Connect discovery document's fields that apply to a token issuer without OAuth clients. */
  @Get('openid-configuration')
  @Header('cache-control', 'public, max-age=3600')
  @ApiOperation({ operationId: 'getOpenIdConfiguration', summary: 'Discovery: the issuer, the JWKS address and the signing algorithms' })
  @ApiOkResponse({ type: OpenIdConfigurationDto })
  openIdConfiguration(): OpenIdConfigurationDto {
    return {
      issuer: this.config.issuer,
      jwks_uri: `${this.publicUrl}/.well-known/jwks.json`,
      introspection_endpoint: `${this.publicUrl}/api/auth/introspect`,
      introspection_endpoint_auth_methods_supported: ['bearer'],
      // No ID tokens are issued; OpenID discovery clients read the token algorithms from this field.
      id_token_signing_alg_values_supported: this.ring.algorithms(),
      subject_types_supported: ['public'],
      claims_supported: ['iss', 'aud', 'sub', 'iat', 'exp', 'jti', 'roles'],
    };
  }
}
