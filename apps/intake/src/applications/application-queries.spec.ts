import type { Principal } from '@gov/auth';
import { decodeCursor, encodeCursor, scopeOf } from './application-queries';
import { parseApplicationRef } from './application-ref';

const principal = (p: Pick<Principal, 'type' | 'orgs' | 'applicantId'>): Principal => ({ subject: 'u1', name: 'x', roles: [], tokenId: 'j', expiresAt: new Date(), ...p });

describe('application queries', () => {
  it('round-trip a page cursor and refuse anything else', () => {
    // given
    const last = { receivedAt: new Date('2026-12-01T08:00:00.123Z'), id: '3d14b9f9-1c59-42f1-9e59-65c7074bd059' };
    // when
    const cursor = encodeCursor(last);
    // then
    expect(decodeCursor(cursor)).toEqual(last);
    for (const bad of ['', 'x', Buffer.from('2026-12-01|nope').toString('base64url'), Buffer.from(`2026-13-45T99:00:00.000Z|${last.id}`).toString('base64url'), `${cursor}${Buffer.from('|x').toString('base64url')}`]) {
      expect(decodeCursor(bad)).toBeUndefined();
    }
  });

  it('scope an applicant to their own, an officer to their organisations, a service to all', () => {
    expect(scopeOf(principal({ type: 'applicant', orgs: [], applicantId: '11010519491231002X' }))).toEqual({ applicantId: '11010519491231002X' });
    expect(scopeOf(principal({ type: 'applicant', orgs: [] }))).toBeUndefined();
    expect(scopeOf(principal({ type: 'officer', orgs: ['A', 'B'] }))).toEqual({ departmentCodes: ['A', 'B'] });
    expect(scopeOf(principal({ type: 'officer', orgs: [] }))).toBeUndefined();
    expect(scopeOf(principal({ type: 'service', orgs: [] }))).toEqual({ all: true });
  });

  it('name an application by id or by case number, nothing else', () => {
    expect(parseApplicationRef('3D14B9F9-1C59-42F1-9E59-65C7074BD059')).toEqual({ by: 'id', id: '3d14b9f9-1c59-42f1-9e59-65c7074bd059' });
    expect(parseApplicationRef('449900-20261202-000001')).toEqual({ by: 'caseNumber', caseNumber: '449900-20261202-000001' });
    for (const bad of ['\u0000', '', '1', '449900-20261202-000001 ', 'DROP TABLE']) expect(parseApplicationRef(bad)).toBeUndefined();
  });
});
