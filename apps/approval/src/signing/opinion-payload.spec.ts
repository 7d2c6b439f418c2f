import { type Principal, Role } from '@gov/auth';
import type { OpinionRecord } from '../worklist/opinions.repository';
import { canonicalPayload, opinionPayload, payloadMismatches } from './opinion-payload';

const chief: Principal = { subject: 'u-chief', type: 'officer', name: '处长李强', roles: [Role.SectionChief], orgs: ['ORG'], tokenId: 't', expiresAt: new Date() };
const opinion: Omit<OpinionRecord, 'officerId'> = {
  caseNumber: '449900-20261201-000000001',
  taskId: 'task-1',
  taskDefinitionKey: 'SectionReview',
  stepName: '处室审核',
  officerLabel: '处长李强',
  outcome: 'reject',
  opinion: '申请材料与实际不符，不同意。',
  createdAt: new Date('2026-12-03T08:00:00.123Z'),
};

describe('signed opinion payload (seed 001 text 3 art. 9)', () => {
  it('is canonical JSON: keys sorted at every level, so the same opinion gives the same bytes', () => {
    // given
    const payload = opinionPayload(opinion, chief);
    // when
    const text = canonicalPayload(payload).toString('utf8');
    const reordered = canonicalPayload(JSON.parse(JSON.stringify({ ...payload, step: { name: payload.step.name, id: payload.step.id } })) as typeof payload).toString('utf8');
    // then
    expect(text).toBe(reordered);
    expect(text.startsWith('{"caseNumber":"449900-20261201-000000001","label":"处长李强","opinion":')).toBe(true);
    expect(text).toContain('"outcome":"disagree"');
    expect(text).toContain('"signedAt":"2026-12-03T08:00:00.123Z"');
    expect(text).not.toContain('delegation');
  });

  it('carries both names and 授权 when a deputy signs under delegation', () => {
    const deputy: Principal = { ...chief, actor: { subject: 'u-deputy', name: '副处长王芳' }, delegation: { id: 'd-1', mode: 'delegation' } };
    const p = opinionPayload({ ...opinion, officerLabel: '副处长王芳（授权：处长李强）' }, deputy);
    expect(p.signer).toEqual({ id: 'u-deputy', name: '副处长王芳' });
    expect(p.delegation).toEqual({ mode: 'delegation', mark: '授权', delegationId: 'd-1', delegator: { id: 'u-chief', name: '处长李强' } });
  });

  it('marks the B post acting for the A post under AB岗', () => {
    const bPost: Principal = { ...chief, actor: { subject: 'u-b', name: '科员赵云' }, delegation: { id: 'd-2', mode: 'ab_post' } };
    expect(opinionPayload(opinion, bPost).delegation).toEqual({ mode: 'ab_post', mark: 'B岗', delegationId: 'd-2', aPost: { id: 'u-chief', name: '处长李强' } });
  });

  it('finds every field where the stored opinion differs from what was signed', () => {
    const payload = opinionPayload(opinion, chief);
    const stored: OpinionRecord = { ...opinion, officerId: 'u-chief', createdAt: new Date('2026-12-03T08:00:00.123Z') };
    expect(payloadMismatches(payload, stored)).toEqual([]);
    expect(payloadMismatches(payload, { ...stored, opinion: '同意。', outcome: 'approve', officerId: 'u-other' })).toEqual(['outcome', 'opinion', 'signer.id']);
    expect(payloadMismatches(payload, { ...stored, createdAt: new Date('2026-12-03T08:00:00.124Z') })).toEqual(['signedAt']);
  });
});
