import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { ServiceTokenClient } from '@gov/auth';
import { LEDGER_ANCHOR_SOURCE, ServiceAnchoring } from '@gov/ledger';
import { LOGGER } from '@gov/service-kit';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { SUPERVISION_CONFIG, type SupervisionConfig } from '../config';
import { alertsLedger } from './alerts.repository';

/**
 * Submits the heads of the alert chains to identity (signed there, published on platform.ledger-anchor.v1) at
 * LEDGER_ANCHOR_INTERVAL_SECONDS, and gives `GET /alerts/verify` the signed heads to check the chains against.
 * Off when LEDGER_ANCHORING=off (the default under NODE_ENV=test, so a throwaway database never anchors into the
 * shared identity).
 */
@Injectable()
export class AlertsAnchoring implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly anchoring?: ServiceAnchoring;

  constructor(@Inject(SUPERVISION_CONFIG) config: SupervisionConfig, ds: DataSource, @Inject(LOGGER) private readonly logger: Logger) {
    const secret = config.SERVICE_CLIENT_SECRET ?? (config.NODE_ENV === 'production' ? undefined : 'demo-service-secret');
    const on = (config.LEDGER_ANCHORING ?? (config.NODE_ENV === 'test' ? 'off' : 'on')) === 'on';
    if (!on) return;
    if (!secret) {
      logger.warn('SERVICE_CLIENT_SECRET is not set: alert chains are not anchored');
      return;
    }
    const base = config.IDENTITY_ISSUER.replace(/\/$/, '');
    const tokens = new ServiceTokenClient({ tokenUrl: `${base}/oauth/token`, clientId: 'supervision', clientSecret: secret });
    this.anchoring = new ServiceAnchoring({
      identityUrl: base,
      authorization: () => tokens.authorizationHeader(),
      ledgers: [{ ledger: alertsLedger, db: ds }],
      intervalMs: config.LEDGER_ANCHOR_INTERVAL_SECONDS * 1000,
      onError: (e) => this.logger.warn({ err: e }, 'anchoring the alert chains failed; the next round retries'),
    });
  }

  onApplicationBootstrap(): void {
    this.anchoring?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.anchoring?.stop();
  }
}

/** The anchoring provider and the anchor source AlertsRepository verifies against (one line in a module). */
export const ALERTS_ANCHORING: Provider[] = [
  AlertsAnchoring,
  { provide: LEDGER_ANCHOR_SOURCE, useFactory: (a: AlertsAnchoring) => a.anchoring?.source, inject: [AlertsAnchoring] },
];
