import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { SUPERVISION_CONFIG, type SupervisionConfig } from '../config';
import { AlertStreamRepository, type StreamAlert } from '../stream/alert-stream.repository';

type Scope = 'person' | 'section' | 'department';
type Consequence = 'no-commendation' | 'reassignment' | 'section-no-commendation';

/** The year of an instant in China Standard Time. */
export function cstYear(d: Date): number {
  return new Date(d.getTime() + 8 * 3600 * 1000).getUTCFullYear();
}

// Step reds of a subject in a CST year, from the alert stream (each red light is streamed once with officer and section).
// Case-deadline reds (`case-light.red`) are not counted: art. 22 tallies the red records of a person's own 待办事项.
const REDS: Record<Scope, string> = {
  person: `SELECT a.id FROM alert_stream a WHERE a.rule = 'light.red' AND a.officer = $1 AND date_part('year', a.raised_at AT TIME ZONE 'Asia/Shanghai') = $2 ORDER BY a.seq`,
  section: `SELECT a.id FROM alert_stream a WHERE a.rule = 'light.red' AND a.org_code = $1 AND date_part('year', a.raised_at AT TIME ZONE 'Asia/Shanghai') = $2 ORDER BY a.seq`,
  department: `SELECT a.id FROM alert_stream a JOIN cases c ON c.case_number = a.case_number
                WHERE a.rule = 'light.red' AND c.department_code = $1 AND date_part('year', a.raised_at AT TIME ZONE 'Asia/Shanghai') = $2 ORDER BY a.seq`,
};

/**
 * Annual red tallies and their consequences (seed 001 text 3 art. 22: 一年内累计两次红灯的取消评优资格, 三次的调离岗位;
 * a section with five is out of the year's commendations). Thresholds come from the configuration. Each flag is
 * written once, with the reds that caused it, and streamed.
 */
@Injectable()
export class TalliesService {
  constructor(
    private readonly ds: DataSource,
    private readonly stream: AlertStreamRepository,
    @Inject(SUPERVISION_CONFIG) private readonly config: SupervisionConfig,
  ) {}

  private rules(): { scope: Scope; consequence: Consequence; threshold: number }[] {
    return [
      { scope: 'person', consequence: 'no-commendation', threshold: this.config.TALLY_PERSON_NO_COMMENDATION },
      { scope: 'person', consequence: 'reassignment', threshold: this.config.TALLY_PERSON_REASSIGNMENT },
      { scope: 'section', consequence: 'section-no-commendation', threshold: this.config.TALLY_SECTION_NO_COMMENDATION },
    ];
  }

  /** After a red is streamed (same transaction): flags its officer and section when they reach a threshold. */
  async onRed(m: EntityManager, red: StreamAlert): Promise<number> {
    const year = cstYear(new Date(red.raisedAt));
    let flagged = 0;
    for (const r of this.rules()) {
      const subject = r.scope === 'person' ? red.officer : red.orgCode;
      if (!subject) continue;
      const reds = (await m.query<{ id: string }[]>(REDS[r.scope], [subject, year])).map((x) => x.id);
      if (reds.length < r.threshold) continue;
      const id = randomUUID();
      const inserted = await m.query<unknown[]>(
        `INSERT INTO tally_flags (id, year, scope, subject, consequence, red_alert_ids, raised_at) VALUES ($1,$2,$3,$4,$5,$6,$7)
         ON CONFLICT (year, scope, subject, consequence) DO NOTHING RETURNING id`,
        [id, year, r.scope, subject, r.consequence, reds, red.raisedAt],
      );
      if (inserted.length === 0) continue;
      flagged++;
      await this.stream.append(m, {
        kind: 'tally-flag',
        level: r.consequence,
        rule: `tally.${r.consequence}`,
        dedupeKey: `tally:${year}:${r.scope}:${subject}:${r.consequence}`,
        caseNumber: red.caseNumber,
        stepId: red.stepId,
        officer: r.scope === 'person' ? subject : null,
        orgCode: red.orgCode,
        evidence: { flagId: id, year, scope: r.scope, subject, threshold: r.threshold, reds, seed: '001 text 3 art. 22' },
        raisedAt: new Date(red.raisedAt),
      });
    }
    return flagged;
  }

  async tally(year: number, orgs: readonly string[] | undefined) {
    const count = (col: string, join = '') =>
      this.ds.query<{ subject: string; reds: number }[]>(
        `SELECT ${col} AS subject, count(*)::int AS reds FROM alert_stream a ${join}
          WHERE a.rule = 'light.red' AND ${col} IS NOT NULL AND date_part('year', a.raised_at AT TIME ZONE 'Asia/Shanghai') = $1
            AND ($2::text[] IS NULL OR a.org_code = ANY($2::text[]))
          GROUP BY 1 ORDER BY 2 DESC, 1`,
        [year, orgs ? [...orgs] : null],
      );
    const flags = await this.ds.query<Record<string, unknown>[]>(
      `SELECT id, year, scope, subject, consequence, red_alert_ids AS "redAlertIds", raised_at AS "raisedAt" FROM tally_flags f
        WHERE year = $1 AND ($2::text[] IS NULL OR EXISTS (SELECT 1 FROM alert_stream a WHERE a.id = ANY(f.red_alert_ids) AND a.org_code = ANY($2::text[])))
        ORDER BY raised_at, scope, subject`,
      [year, orgs ? [...orgs] : null],
    );
    return {
      year,
      thresholds: Object.fromEntries(this.rules().map((r) => [r.consequence, r.threshold])),
      persons: await count('a.officer'),
      sections: await count('a.org_code'),
      departments: await count('c.department_code', 'JOIN cases c ON c.case_number = a.case_number'),
      flags,
    };
  }
}
