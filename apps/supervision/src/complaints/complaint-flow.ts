import type { ComplaintStage } from './complaint.entity';

/**
 * The complaint flow: register → assign → investigate → conclude → reply. Each stage must be left within its
 * working days (the office's own service standard; seed 004 art. 12 gives the duty, not the days). The deadline a
 * stage carries is the one for reaching the next stage.
 */
export const COMPLAINT_FLOW: Readonly<Record<ComplaintStage, { next: ComplaintStage | null; workingDays: number | null }>> = {
  registered: { next: 'assigned', workingDays: 2 },
  assigned: { next: 'investigating', workingDays: 3 },
  investigating: { next: 'concluded', workingDays: 15 },
  concluded: { next: 'replied', workingDays: 5 },
  replied: { next: null, workingDays: null },
};

/** The stage an action leads to, and the stage it must come from. */
export const COMPLAINT_ACTIONS = {
  assign: { from: 'registered', to: 'assigned' },
  investigate: { from: 'assigned', to: 'investigating' },
  conclude: { from: 'investigating', to: 'concluded' },
  reply: { from: 'concluded', to: 'replied' },
} as const satisfies Record<string, { from: ComplaintStage; to: ComplaintStage }>;
export type ComplaintAction = keyof typeof COMPLAINT_ACTIONS;

// Tracking codes: 12 characters without 0/O/1/I/L, grouped for reading aloud on the phone (TS-XXXX-XXXX-XXXX).
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const TRACKING_CODE = /^TS-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/;

export function newTrackingCode(random: (n: number) => Buffer): string {
  const bytes = random(12);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return `TS-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}
