import type { DocumentVerification } from './seals.service';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** Whether a request asks for a page (a person who scanned a notice's QR code) rather than JSON. */
export function wantsHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const html = accept.indexOf('text/html');
  const json = accept.indexOf('application/json');
  return html >= 0 && (json < 0 || html < json);
}

/**
 * 文档验证 for a person: who sealed the document, when, and its SHA-256 to compare with the file in hand. Plain HTML
 * (the API's Content-Security-Policy allows no styles or scripts), every value escaped.
 */
export function verificationPage(v: DocumentVerification): string {
  const valid = v.signatureValid && v.certificateStatus === 'good';
  const verdict = valid ? '有效：本文书由下列机关加盖电子印章，印章有效。' : `无效：${v.problem ?? '电子印章无法验证。'}`;
  const sealedAt = new Date(new Date(v.sealedAt).getTime() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
  const rows: Array<[string, string]> = [
    ['验证码', v.documentCode],
    ['签章机关', v.sealedBy.orgName],
    ['统一社会信用代码', v.sealedBy.orgCode],
    ['印章证书序列号', v.sealedBy.sealSerial],
    ['签章时间（北京时间）', sealedAt],
    ['文书 SHA-256', v.sha256],
  ];
  return [
    '<!doctype html>',
    '<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>电子文书验证</title></head><body>',
    '<h1>电子文书验证</h1>',
    `<p><strong>${esc(verdict)}</strong></p>`,
    '<table>',
    ...rows.map(([k, val]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(val)}</td></tr>`),
    '</table>',
    '<p>请核对所持文件的 SHA-256 与上表一致；不一致的文件不是本机关签发的原件，或已被改动。</p>',
    '</body></html>',
  ].join('\n');
}
