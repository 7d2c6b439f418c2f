import type { Principal } from '@gov/auth';
import { actingSubject, actorLabel } from '@gov/auth';
import { Injectable } from '@nestjs/common';
import type { PaymentChannel } from './fee.entities';

/** What a payment channel answers once it has verified that the money was received. */
export interface VerifiedPayment {
  channel: PaymentChannel;
  amountFen: number;
  /** The receipt number (票据号) or the gateway's transaction reference. */
  reference: string;
  /** The officer who confirmed it (the window), null for a gateway's notification. */
  confirmedBy: string | null;
  paidAt: Date;
}

/** A window's confirmation: the clerk took the payment (cash, card, the 非税收入 receipt) and states the receipt number. */
export interface WindowConfirmation {
  amountFen: number;
  receiptNumber: string;
  principal: Principal;
}

/**
 * Where payments are confirmed. One implementation today, the window's confirmation (`WindowPaymentGateway`): the
 * window clerk states that the applicant paid and the receipt. A gateway adapter (the 非税收入 payment platform's
 * notification, verified by its signature) is NOT built: it would implement `verify` for its callback and be a second
 * provider of this token, feeding the same `PaymentsService.confirm`.
 */
export abstract class PaymentGateway<Input = WindowConfirmation> {
  abstract readonly channel: PaymentChannel;
  abstract verify(input: Input): Promise<VerifiedPayment>;
}

@Injectable()
export class WindowPaymentGateway extends PaymentGateway<WindowConfirmation> {
  readonly channel = 'window' as const;

  verify(input: WindowConfirmation): Promise<VerifiedPayment> {
    // The window's word is the verification: the clerk is authenticated and acts for the case's organisation
    // (checked by the service); the receipt number ties the confirmation to the paper or electronic receipt.
    const by = `${actingSubject(input.principal)} ${actorLabel(input.principal)}`.slice(0, 200);
    return Promise.resolve({ channel: this.channel, amountFen: input.amountFen, reference: input.receiptNumber, confirmedBy: by, paidAt: new Date() });
  }
}
