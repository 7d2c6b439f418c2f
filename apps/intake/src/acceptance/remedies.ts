/**
 * The remedies a 不予受理通知书 tells the applicant of (行政复议法 art. 20: within 60 days; 行政诉讼法 art. 46: within
 * six months), unless the window states others.
 */
export const DEFAULT_REMEDIES =
  '如不服本决定，可以自收到本通知书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。';

export const CORRECTION_LAPSED_REASON = '申请人经告知补正后，未在规定时限内补齐材料（《网上审批管理办法》第十条第（三）项）。';
