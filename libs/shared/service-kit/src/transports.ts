import type { INestApplication } from '@nestjs/common';
import { UnknownElementException } from '@nestjs/core/errors/exceptions/unknown-element.exception';
import type { CustomTransportStrategy } from '@nestjs/microservices';

/**
 * A service that consumes events provides its Nest transport strategies (e.g. the messaging lib's `InboxTransport`)
 * under this token, once, in its root module. `createServiceApp` connects them to the HTTP app (a hybrid app);
 * `startService` and `startTestService` start them after the HTTP app is listening, and closing the app stops them
 * before the shutdown hooks run (so consumers stop before relays and the producer).
 */
export const SERVICE_TRANSPORTS = Symbol('SERVICE_TRANSPORTS');

export function connectServiceTransports(app: INestApplication): void {
  let strategies: CustomTransportStrategy[];
  try {
    strategies = app.get<CustomTransportStrategy[]>(SERVICE_TRANSPORTS, { strict: false });
  } catch (e) {
    if (e instanceof UnknownElementException) return;
    throw e;
  }
  for (const strategy of strategies) app.connectMicroservice({ strategy });
}
