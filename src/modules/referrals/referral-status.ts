import { registerEnumType } from 'type-graphql';
import { ReferralStatus } from './referral.entity';

registerEnumType(ReferralStatus, {
  name: 'ReferralStatus',
  description: 'SENT → ACCEPTED or DECLINED; ACCEPTED → COMPLETED or DECLINED. Moves only forward; DECLINED and COMPLETED are final.',
  valuesConfig: {
    SENT: { description: 'Sent by the referring MILO; the receiving service has not answered yet.' },
    ACCEPTED: { description: 'The receiving service has taken the colleague on.' },
    DECLINED: { description: 'The receiving service will not (or no longer) see the colleague; the note says why.' },
    COMPLETED: { description: 'The receiving service has finished with the colleague.' },
  },
});

/** Where a referral may go from each status: forward only, so its history reads one way. */
export const REFERRAL_MOVES: Record<ReferralStatus, readonly ReferralStatus[]> = {
  SENT: ['ACCEPTED', 'DECLINED'],
  ACCEPTED: ['COMPLETED', 'DECLINED'],
  DECLINED: [],
  COMPLETED: [],
};

/** The statuses the receiving organisation sets; SENT is only ever the sender's. */
export const RECEIVER_STATUSES: readonly ReferralStatus[] = ['ACCEPTED', 'DECLINED', 'COMPLETED'];

export function canMoveReferral(from: ReferralStatus, to: ReferralStatus): boolean {
  return REFERRAL_MOVES[from].includes(to);
}

export { ReferralStatus };
