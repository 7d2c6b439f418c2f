import type { Principal } from '@gov/auth';
import { AppError } from '@gov/service-kit';
import type { DataSource } from 'typeorm';
import type { CaseNumbersRepository } from '../case-numbers/case-numbers.repository';
import { IntakeErrors } from '../errors';
import type { MattersRepository } from '../matters/matters.repository';
import { AcceptApplicationUseCase } from './accept-application.use-case';
import type { ApplicationsRepository } from './applications.repository';

const applicant: Principal = { subject: 'u1', type: 'applicant', name: '张三', roles: ['applicant'], orgs: [], applicantId: '11010519491231002X', tokenId: 'j', expiresAt: new Date() };

function useCase(findActive: MattersRepository['findActive'], transaction = jest.fn()) {
  return {
    transaction,
    useCase: new AcceptApplicationUseCase({ transaction } as unknown as DataSource, { findActive } as MattersRepository, {} as ApplicationsRepository, {} as CaseNumbersRepository),
  };
}

describe('AcceptApplicationUseCase', () => {
  it('refuses an application for a matter that is not in the catalogue, before touching the database', async () => {
    // given
    const { useCase: accept, transaction } = useCase(async () => null);
    // when
    const attempt = accept.execute({ matterCode: 'NOPE', applicant: { kind: 'person', id: '11010519491231002X', name: '张三' }, form: {} }, 'key-12345678', applicant);
    // then
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ status: 422, code: IntakeErrors.code.UnknownMatter });
    expect(transaction).not.toHaveBeenCalled();
  });

  it('refuses an identifier that does not fit the applicant kind, before looking up the matter', async () => {
    // given
    const findActive = jest.fn();
    const { useCase: accept, transaction } = useCase(findActive);
    // when
    const asEntity = accept.execute({ matterCode: 'DEMO-SCJG-001', applicant: { kind: 'legal-entity', id: '11010519491231002X', name: '某公司' }, form: {} }, 'key-12345678', applicant);
    const asPerson = accept.execute({ matterCode: 'DEMO-SCJG-001', applicant: { kind: 'person', id: '91449901MA0000001H', name: '张三' }, form: {} }, 'key-12345678', applicant);
    // then
    await expect(asEntity).rejects.toMatchObject({ status: 400, code: IntakeErrors.code.InvalidCreditCode, details: { field: 'applicant.id' } });
    await expect(asPerson).rejects.toMatchObject({ status: 400, code: IntakeErrors.code.InvalidResidentId, details: { field: 'applicant.id' } });
    expect(findActive).not.toHaveBeenCalled();
    expect(transaction).not.toHaveBeenCalled();
  });
});
