import type { IdentityConfig } from '../config';
import type { OrganisationsRepository } from '../organisations/organisations.repository';
import type { User, UserRole } from './user.entity';
import type { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

function user(id: string, kind: 'officer' | 'applicant'): User {
  return { id, username: `u${id}`, displayName: `User ${id}`, kind, applicantKind: null, applicantId: null, lockedUntil: null } as unknown as User;
}

describe('UsersService.list', () => {
  it('loads the users and all their roles in two queries, whatever the number of users', async () => {
    // given 50 users, every other one an officer with a role
    const users = Array.from({ length: 50 }, (_, i) => user(String(i), i % 2 === 0 ? 'officer' : 'applicant'));
    const roles = users.filter((u) => u.kind === 'officer').map((u) => ({ userId: u.id, orgCode: '1'.repeat(18), role: 'handler' }) as UserRole);
    const calls = { list: 0, rolesOf: 0, roles: 0 };
    const repo = {
      list: async () => (calls.list++, users),
      rolesOf: async (ids: string[]) => (calls.rolesOf++, roles.filter((r) => ids.includes(r.userId))),
      roles: async () => (calls.roles++, []),
    } as unknown as UsersRepository;
    const service = new UsersService(repo, {} as OrganisationsRepository, { kek: 'k'.repeat(48) } as IdentityConfig);
    // when
    const listed = await service.list();
    // then
    expect(calls).toEqual({ list: 1, rolesOf: 1, roles: 0 });
    expect(listed).toHaveLength(50);
    expect(listed[0].roles).toEqual([{ orgCode: '1'.repeat(18), role: 'handler' }]);
    expect(listed[1].roles).toEqual([]);
  });
});
