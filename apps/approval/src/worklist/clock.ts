// Approval's clock, for the worklist lights and remaining working days: the service kit's (`ApprovalModule.forRoot(config,
// logger, clock)` takes an adjustable one in tests; production uses the system clock).
export { AdjustableClock, Clock, SystemClock } from '@gov/service-kit';
