import { verificationPage, wantsHtml } from './verification-page';

const verification = {
  documentCode: 'ABCD-EFGH-JKMN-PQRS',
  sealedBy: { orgCode: '114499000000000119', orgName: '示范市<script>alert(1)</script>局', sealSerial: '0A1B', person: '窗口王小红' },
  sealedAt: '2026-12-02T03:00:00.000Z',
  sha256: 'a'.repeat(64),
  signatureValid: true,
  certificateStatus: 'good' as const,
  intact: null,
};

describe('the document verification page', () => {
  it('escapes every value', () => {
    const page = verificationPage(verification);
    expect(page).not.toContain('<script>');
    expect(page).toContain('示范市&lt;script&gt;alert(1)&lt;/script&gt;局');
  });

  it('gives the sealing time in Beijing time and says when a seal is not valid', () => {
    expect(verificationPage(verification)).toContain('2026-12-02 11:00:00');
    expect(verificationPage({ ...verification, signatureValid: false, certificateStatus: 'revoked', problem: 'The certificate was revoked.' })).toContain('无效：The certificate was revoked.');
  });

  it('serves the page only to clients that prefer HTML', () => {
    expect(wantsHtml('text/html,application/xhtml+xml,*/*;q=0.8')).toBe(true);
    expect(wantsHtml('application/json')).toBe(false);
    expect(wantsHtml('application/json, text/html')).toBe(false);
    expect(wantsHtml(undefined)).toBe(false);
    expect(wantsHtml('*/*')).toBe(false);
  });
});
