import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const OrganisationKind = {
  POLICE: 'POLICE',
  FIRE_RESCUE: 'FIRE_RESCUE',
  NHS_TRUST: 'NHS_TRUST',
  OCCUPATIONAL_HEALTH: 'OCCUPATIONAL_HEALTH',
  CHARITY: 'CHARITY',
  LOCAL_AUTHORITY: 'LOCAL_AUTHORITY',
  /** The platform's own operator organisation: the only one whose people may act as PLATFORM_OPERATOR. */
  PLATFORM: 'PLATFORM',
} as const;
export type OrganisationKind = (typeof OrganisationKind)[keyof typeof OrganisationKind];

export const OrganisationStatus = { ACTIVE: 'ACTIVE', SUSPENDED: 'SUSPENDED' } as const;
export type OrganisationStatus = (typeof OrganisationStatus)[keyof typeof OrganisationStatus];

/**
 * The tenant registry. A global table (no tenant_id): it is what tenant ids point at, and the
 * authenticator reads it before any tenant context exists. Under Citus it is a reference table.
 */
@Entity({ name: 'organisation' })
export class Organisation {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  kind: OrganisationKind;

  @Column({ type: 'text', nullable: true })
  region: string | null;

  @Column({ type: 'text' })
  status: OrganisationStatus;

  /** Bumped whenever configuration that shapes the organisation's schema changes. */
  @Column({ name: 'configuration_version', type: 'integer' })
  configurationVersion: number;

  /** Identity provider: tokens must carry this `iss`. Null = only the development issuer. */
  @Column({ name: 'token_issuer', type: 'text', nullable: true })
  tokenIssuer: string | null;

  @Column({ name: 'token_jwks_url', type: 'text', nullable: true })
  tokenJwksUrl: string | null;

  /** A PEM (SPKI) public key or a JWK as JSON, for identity providers without a JWKS endpoint. */
  @Column({ name: 'token_public_key', type: 'text', nullable: true })
  tokenPublicKey: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
