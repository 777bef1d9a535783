import { Column, Entity } from 'typeorm';
import { EditableTenantRecord } from '../../platform/database/tenant-owned';

export const SignpostingCategory = {
  OCCUPATIONAL_HEALTH: 'OCCUPATIONAL_HEALTH',
  EMPLOYEE_SUPPORT: 'EMPLOYEE_SUPPORT',
  PEER_SUPPORT: 'PEER_SUPPORT',
  NHS_CRISIS: 'NHS_CRISIS',
  EMERGENCY: 'EMERGENCY',
  CHARITY: 'CHARITY',
  OTHER: 'OTHER',
} as const;
export type SignpostingCategory = (typeof SignpostingCategory)[keyof typeof SignpostingCategory];

/** A service MILOs signpost to, owned by one organisation and shareable under an agreement. */
@Entity({ name: 'signposting_service' })
export class SignpostingService extends EditableTenantRecord {
  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  category: SignpostingCategory;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'text', nullable: true })
  website: string | null;

  /** When it answers ("24/7", "Mon–Fri 08:00–18:00"). */
  @Column({ type: 'text', nullable: true })
  availability: string | null;

  /** Who may use it ("police and fire staff and volunteers"). */
  @Column({ type: 'text', nullable: true })
  eligibility: string | null;

  /** Offered straight away when a request says someone is at immediate risk. */
  @Column({ type: 'boolean' })
  crisis: boolean;

  /** Whether MILOs may send it a referral (the occupational-health unit's intake does). */
  @Column({ name: 'accepts_referrals', type: 'boolean' })
  acceptsReferrals: boolean;

  @Column({ type: 'boolean' })
  active: boolean;
}
