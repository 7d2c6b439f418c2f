import { Authenticated, Role } from '@gov/auth';
import { ApiErrors, KitErrors } from '@gov/service-kit';
import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { SupervisionErrors } from '../errors';
import { DEADLINE_RULES } from './deadline-rules';
import { ANOMALY_RULES } from './rules';
import { RulesService } from './rules.service';

export class RuleSettingDto {
  @ApiProperty({ required: false, default: true })
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;

  @ApiProperty({ required: false, example: { maxReturns: 3 }, description: "The rule's parameters (see GET /anomaly-rules for each rule's defaults)" })
  @IsOptional()
  @IsObject({ message: 'params must be an object of the rule parameters' })
  params?: Record<string, unknown>;
}

const ORG = /^(\*|[0-9A-Z]{18})$/;

/** Same JSON kind as the default (number, string, boolean, array, object). */
function kindOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

@ApiTags('supervision')
@Authenticated(Role.Supervisor, Role.Sysadmin)
@Controller('anomaly-rules')
export class RulesController {
  constructor(
    private readonly rules: RulesService,
    private readonly ds: DataSource,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The anomaly rules: name, version, what each detects, its triggers and default parameters; deadline rules also say what starts and what meets their watch' })
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden')
  list() {
    return [
      ...ANOMALY_RULES.map((r) => ({ name: r.name, version: r.version, kind: 'event', description: r.description, triggers: r.triggers, defaults: r.defaults })),
      ...DEADLINE_RULES.map((r) => ({ name: r.name, version: r.version, kind: 'deadline', description: r.description, triggers: r.starts, meets: r.meets, defaults: r.defaults })),
    ];
  }

  @Put(':rule/settings/:orgCode')
  @ApiOperation({ summary: "Set a rule for a bureau (orgCode, or '*' for every bureau without its own setting)" })
  @ApiErrors(SupervisionErrors, 'UnknownRule', 'BadRuleSetting')
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden', 'ValidationFailed')
  async set(@Param('rule') name: string, @Param('orgCode') orgCode: string, @Body() body: RuleSettingDto) {
    const rule = this.rules.rule(name);
    if (!rule) throw SupervisionErrors.error('UnknownRule', `rule: no anomaly rule named ${name.slice(0, 100)}`, { field: 'rule' });
    if (!ORG.test(orgCode)) throw SupervisionErrors.error('BadRuleSetting', "orgCode: must be an organisation code (18 characters) or '*'", { field: 'orgCode' });
    const params = body.params ?? {};
    for (const [k, v] of Object.entries(params)) {
      if (!(k in rule.defaults)) throw SupervisionErrors.error('BadRuleSetting', `params.${k}: ${rule.name} has no parameter ${k}`, { field: `params.${k}` });
      if (kindOf(v) !== kindOf(rule.defaults[k])) throw SupervisionErrors.error('BadRuleSetting', `params.${k}: must be ${kindOf(rule.defaults[k])}`, { field: `params.${k}` });
    }
    await this.ds.query(
      `INSERT INTO rule_settings (org_code, rule, enabled, params) VALUES ($1,$2,$3,$4)
       ON CONFLICT (org_code, rule) DO UPDATE SET enabled = EXCLUDED.enabled, params = EXCLUDED.params`,
      [orgCode, rule.name, body.enabled ?? true, JSON.stringify(params)],
    );
    return { rule: rule.name, version: rule.version, orgCode, ...(await this.rules.settingFor(this.ds, rule, orgCode === '*' ? null : orgCode)) };
  }
}
