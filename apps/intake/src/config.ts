import { baseConfigShape, env, loadConfig } from '@gov/service-kit';
import { z } from 'zod';

export const IntakeConfigSchema = z.object({
  ...baseConfigShape,
  INTAKE_PORT: env.port(3002),
  INTAKE_HOST: z.string().default('127.0.0.1'),
  INTAKE_DB: z.string().default('intake'),
});
export type IntakeConfig = z.infer<typeof IntakeConfigSchema>;
export const INTAKE_CONFIG = Symbol('INTAKE_CONFIG');

export function loadIntakeConfig(source: NodeJS.ProcessEnv = process.env) {
  return loadConfig('intake', IntakeConfigSchema, ['DB_PASSWORD', 'DB_OWNER_PASSWORD'], source);
}
