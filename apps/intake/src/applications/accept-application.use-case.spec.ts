import { AppError } from '@gov/service-kit';
import type { DataSource } from 'typeorm';
import type { MattersRepository } from '../matters/matters.repository';
import { AcceptApplicationUseCase } from './accept-application.use-case';
import type { ApplicationsRepository } from './applications.repository';

describe('AcceptApplicationUseCase', () => {
  it('refuses an application for a matter that is not in the catalogue, before touching the database', async () => {
    // given
    const transaction = jest.fn();
    const useCase = new AcceptApplicationUseCase(
      { transaction } as unknown as DataSource,
      { findActive: async () => null } as unknown as MattersRepository,
      {} as ApplicationsRepository,
    );
    // when
    const attempt = useCase.execute({ matterCode: 'NOPE', applicant: { kind: 'person', id: '11010519491231002X', name: '张三' }, form: {} }, 'key-12345678', { subject: 'u1', type: 'applicant', name: '张三', roles: ['applicant'], orgs: [], applicantId: '11010519491231002X', tokenId: 'j', expiresAt: new Date() });
    // then
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ status: 422, code: 'UnknownMatter' });
    expect(transaction).not.toHaveBeenCalled();
  });
});
