// Intake's clock (receipts, the deemed-acceptance window, deadlines): the service kit's, bound in the app module.
export { AdjustableClock, Clock, SystemClock } from '@gov/service-kit';
