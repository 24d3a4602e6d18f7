import { ApiProperty } from '@nestjs/swagger';

export class JwkDto {
  /** Key type: EC (ES256), OKP (EdDSA) or RSA (RS256). */
  @ApiProperty({ example: 'EC' })
  kty: string;

  /** RFC 7638 thumbprint of the key; the `kid` header of the tokens it signs. */
  @ApiProperty({ example: 'p3Y1cQW6v2sQq8m0c3kR9yq4ZVbmpmJ2M5lC0Yt9hGQ' })
  kid: string;

  @ApiProperty({ example: 'ES256' })
  alg: string;

  @ApiProperty({ example: 'sig' })
  use: string;

  /** Curve (EC, OKP). */
  @ApiProperty({ example: 'P-256', required: false })
  crv?: string;

  @ApiProperty({ example: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', required: false })
  x?: string;

  @ApiProperty({ example: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', required: false })
  y?: string;

  /** RSA modulus and exponent. */
  @ApiProperty({ required: false, example: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw' })
  n?: string;

  @ApiProperty({ required: false, example: 'AQAB' })
  e?: string;
}

export class JwksDto {
  keys: JwkDto[];
}

export class OpenIdConfigurationDto {
  /** The `iss` of every token. */
  @ApiProperty({ example: 'https://auth.example.com' })
  issuer: string;

  @ApiProperty({ example: 'https://auth.example.com/.well-known/jwks.json' })
  jwks_uri: string;

  @ApiProperty({ example: 'https://auth.example.com/api/auth/introspect' })
  introspection_endpoint: string;

  @ApiProperty({ example: ['bearer'] })
  introspection_endpoint_auth_methods_supported: string[];

  /** The algorithms tokens are signed with (no ID tokens are issued; discovery clients read this field). */
  @ApiProperty({ example: ['ES256'] })
  id_token_signing_alg_values_supported: string[];

  @ApiProperty({ example: ['public'] })
  subject_types_supported: string[];

  @ApiProperty({ example: ['iss', 'aud', 'sub', 'iat', 'exp', 'jti', 'roles'] })
  claims_supported: string[];
}
