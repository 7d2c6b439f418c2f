// Container health check for the NestJS services: GET http://127.0.0.1:<port><path>, exit 0 on 2xx.
// The port is <APP>_PORT when set (e.g. INTAKE_PORT), else the service's default from DESIGN.md.
const DEFAULT_PORTS = { identity: 3001, intake: 3002, approval: 3003, supervision: 3004, exchange: 3005 };
const app = process.env.APP || '';
const port = process.env[`${app.toUpperCase()}_PORT`] || DEFAULT_PORTS[app];
const path = process.argv[2] || '/health/live';
if (!port) {
  process.stderr.write(`healthcheck: unknown APP "${app}"\n`);
  process.exit(1);
}
fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2500) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
