import { Injectable } from '@nestjs/common';
import { MatterCatalogue } from '../matters/catalogue/matter-catalogue';
import type { CoReviewer, Fee, HandlingLevel, Material, MatterVersion, ReportsTo, StepLimit } from '../matters/matter-version';
import { onlineRefusal } from '../matters/matter-version';

/** What acceptance needs of a matter version: who handles it, its flow, its promised limit and its material slots. */
export interface AcceptanceMatter {
  code: string;
  version: number;
  name: string;
  tenantId: string;
  departmentCode: string;
  processKey: string;
  promisedWorkingDays: number;
  /** The statutory limit (法定时限), in working days. */
  statutoryWorkingDays: number;
  /** Per-step limits by BPMN user-task id, which approval hands to the flow. */
  stepLimits: StepLimit[];
  /** The catalogue's fees (收费项目), which approval checks the handler's fee determination against. */
  fees: Fee[];
  materials: Material[];
  /** Why it cannot be applied for online (secret, window only, not yet online), or null. */
  onlineRefusal: string | null;
  /** For a joint-window bundle (联合受理): the matters of the departments it fans out to. */
  bundle: string[];
  /** The form's JSON Schema (2020-12). */
  formSchema: Record<string, unknown>;
  /** 上报件: the higher level and its department that reviews and signs off (both null for other matters). */
  reportsUpTo: HandlingLevel | null;
  reportsTo: ReportsTo | null;
  /** 并联审批: the departments that review the case at once beside the lead (empty for other matters). */
  coReviewers: CoReviewer[];
}

export function acceptanceMatter(v: MatterVersion): AcceptanceMatter {
  const e = v.elements;
  return {
    code: v.code,
    version: v.version,
    name: e.name,
    tenantId: v.tenantId,
    departmentCode: e.departmentCode,
    processKey: e.processKey,
    promisedWorkingDays: e.promisedWorkingDays,
    statutoryWorkingDays: e.statutoryWorkingDays,
    stepLimits: e.stepLimits,
    fees: e.fees,
    materials: e.materials,
    onlineRefusal: onlineRefusal(e),
    bundle: e.bundle,
    formSchema: e.formSchema,
    reportsUpTo: e.reportsUpTo,
    reportsTo: e.reportsTo,
    // versions stored before the element read without it
    coReviewers: e.coReviewers ?? [],
  };
}

/** The matter an application is received under (the version in force) and the version a case runs under. */
@Injectable()
export class MatterLookup {
  constructor(private readonly catalogue: MatterCatalogue) {}

  async inForce(code: string): Promise<AcceptanceMatter | null> {
    const v = await this.catalogue.published(code);
    return v ? acceptanceMatter(v) : null;
  }

  /** The version a running application was received under. */
  async version(code: string, version: number): Promise<AcceptanceMatter | null> {
    const v = await this.catalogue.version(code, version);
    return v ? acceptanceMatter(v) : null;
  }
}
