import { maskApplicant, publicitySchedule } from './publicity.service';

const DAY = 24 * 3600_000;

describe('publicity (seed 001 text 3 art. 21)', () => {
  const from = new Date('2026-12-03T02:00:00Z');

  it('publishes an approval after the configured delay, but never later than 5 days (art. 21 (一)-(三))', () => {
    expect(publicitySchedule('approved', from, 0)).toEqual({ publishAt: from, dueBy: new Date(from.getTime() + 5 * DAY) });
    expect(publicitySchedule('licence-issued', from, 60).publishAt).toEqual(new Date(from.getTime() + 3600_000));
    expect(publicitySchedule('higher-approved', from, 10 * 24 * 60).publishAt).toEqual(new Date(from.getTime() + 5 * DAY));
  });

  it('publishes a refusal from the day it is made, whatever the delay (art. 21 (四))', () => {
    expect(publicitySchedule('refused', from, 600).publishAt).toEqual(from);
  });

  it("masks a person's ID number and name, and leaves a legal entity's public registration as it is", () => {
    expect(maskApplicant('person', '449901198503120015', '张三')).toEqual({ name: '张*', id: '4499**********0015' });
    expect(maskApplicant('person', '12345', '欧阳修')).toEqual({ name: '欧**', id: '*****' });
    expect(maskApplicant('legal-entity', '91449901MA0000001H', '示范食品有限公司')).toEqual({ name: '示范食品有限公司', id: '91449901MA0000001H' });
  });
});
