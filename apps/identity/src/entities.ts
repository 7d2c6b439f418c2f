import { AuditRecord } from './audit/audit-record.entity';
import { RefreshToken, ServiceClient } from './auth/auth.entity';
import { CaAuthority, IssuedCertificate } from './ca/certificate.entity';
import { Delegation } from './delegation/delegation.entity';
import { SigningKey } from './keys/signing-key.entity';
import { OrgMatterDelegation, Organisation } from './organisations/organisation.entity';
import { SealedDocument } from './seals/sealed-document.entity';
import { User, UserRole } from './users/user.entity';

export const IDENTITY_ENTITIES = [
  Organisation,
  OrgMatterDelegation,
  User,
  UserRole,
  RefreshToken,
  ServiceClient,
  SigningKey,
  Delegation,
  CaAuthority,
  IssuedCertificate,
  SealedDocument,
  AuditRecord,
];
