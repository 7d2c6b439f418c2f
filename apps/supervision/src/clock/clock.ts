// The supervision clock (lights, deadline scans): the service kit's adjustable one, so tests and demos (when enabled)
// move time forward.
export { AdjustableClock, Clock } from '@gov/service-kit';
