import { Injectable } from '@nestjs/common';
import { AppError } from '@gov/service-kit';
import { isValidCreditCode } from '@gov/contracts';
import type { CreateOrganisationDto } from './dtos/organisation.dto';
import type { Organisation } from './organisation.entity';
import { OrganisationsRepository } from './organisations.repository';

export interface OrgNode extends Omit<Organisation, 'createdAt'> {
  children: OrgNode[];
}

@Injectable()
export class OrganisationsService {
  constructor(private readonly repo: OrganisationsRepository) {}

  async tree(): Promise<OrgNode[]> {
    const all = await this.repo.all();
    const nodes = new Map<string, OrgNode>(all.map((o) => [o.code, { code: o.code, name: o.name, kind: o.kind, level: o.level, parentCode: o.parentCode, divisionCode: o.divisionCode, children: [] }]));
    const roots: OrgNode[] = [];
    for (const n of nodes.values()) {
      const parent = n.parentCode ? nodes.get(n.parentCode) : undefined;
      if (parent) parent.children.push(n);
      else roots.push(n);
    }
    return roots;
  }

  async get(code: string): Promise<Organisation> {
    const org = await this.repo.byCode(code);
    if (!org) throw AppError.notFound('OrganisationNotFound', `No organisation has the code ${code}.`);
    return org;
  }

  async create(dto: CreateOrganisationDto): Promise<Organisation> {
    if (!isValidCreditCode(dto.code)) throw AppError.badRequest('InvalidCreditCode', `${dto.code} is not a valid unified social credit code (GB 32100 check character).`);
    if (await this.repo.byCode(dto.code)) throw AppError.conflict('OrganisationExists', `An organisation with the code ${dto.code} already exists.`);
    if (dto.kind === 'region' && !dto.level) throw AppError.badRequest('LevelRequired', 'A region needs a level: city, county or township.');
    if (dto.kind !== 'region' && !dto.parentCode) throw AppError.badRequest('ParentRequired', 'Departments and sections need a parent organisation.');
    if (dto.parentCode) {
      const parent = await this.repo.byCode(dto.parentCode);
      if (!parent) throw AppError.badRequest('ParentNotFound', `The parent organisation ${dto.parentCode} does not exist.`);
      if (dto.kind === 'section' && parent.kind !== 'department') throw AppError.badRequest('InvalidParent', 'A section (处室) belongs to a department.');
      if (dto.kind === 'department' && parent.kind !== 'region') throw AppError.badRequest('InvalidParent', 'A department belongs to a region.');
    }
    const org = { code: dto.code, name: dto.name, kind: dto.kind, level: dto.level ?? null, parentCode: dto.parentCode ?? null, divisionCode: dto.divisionCode };
    await this.repo.insert(org);
    return { ...org, createdAt: new Date() };
  }

  /** A department delegates a matter to an organisation below it. */
  async delegateMatter(fromOrg: string, toOrg: string, matterCode: string) {
    const from = await this.get(fromOrg);
    if (from.kind !== 'department') throw AppError.badRequest('NotADepartment', 'Only a department can delegate matters.');
    const below = await this.repo.withDescendants([from.parentCode ?? from.code]);
    const to = await this.get(toOrg);
    if (!below.includes(to.code) || to.code === from.code || to.code === from.parentCode) {
      throw AppError.badRequest('NotALowerLevel', `${toOrg} is not below ${fromOrg}'s region; matters can only be delegated downwards.`);
    }
    return this.repo.addMatterDelegation(fromOrg, toOrg, matterCode);
  }

  matterDelegations(orgCode: string) {
    return this.repo.matterDelegations(orgCode);
  }

  withDescendants(codes: string[]): Promise<string[]> {
    return this.repo.withDescendants(codes);
  }
}
