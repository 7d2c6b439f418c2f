// The national 好差评 indicator set (国办发〔2019〕51号), kept versioned: a rating names the version it was given on,
// and a new version is added here, never edited in place, so old ratings keep their meaning.

export const GRADES = { 5: '非常满意', 4: '满意', 3: '基本满意', 2: '不满意', 1: '非常不满意' } as const;
/** Grades 1-2 are bad ratings (差评): they open a rectification ticket. */
export const BAD_GRADE_MAX = 2;

export interface IndicatorSet {
  version: string;
  validFrom: string;
  indicators: ReadonlyArray<{ key: string; name: string }>;
}

export const INDICATOR_SETS: Readonly<Record<string, IndicatorSet>> = {
  'gov-2019-v1': {
    version: 'gov-2019-v1',
    validFrom: '2019-12-01',
    indicators: [
      { key: 'overall', name: '总体满意度' },
      { key: 'efficiency', name: '办事效率' },
      { key: 'guideAccuracy', name: '办事指南准确性' },
      { key: 'convenience', name: '办事便捷程度' },
      { key: 'usability', name: '平台易用性' },
    ],
  },
};
export const CURRENT_INDICATOR_SET = 'gov-2019-v1';
