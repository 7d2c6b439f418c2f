import { EMPTY_SHA256, amzDateOf, signV4, uriEncode } from './sigv4';

describe('SigV4 request signing', () => {
  it('reproduces the get-vanilla vector of the AWS SigV4 test suite', () => {
    // given the suite's request (GET / on example.amazonaws.com) and its example credentials
    const request = { method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: { 'X-Amz-Date': '20150830T123600Z' }, payloadHash: EMPTY_SHA256 };
    // when
    const signed = signV4(
      request,
      { region: 'us-east-1', service: 'service', amzDate: '20150830T123600Z', doubleEncodePath: true },
      {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      },
    );
    // then the published canonical request, string to sign and Authorization header
    expect(signed.canonicalRequest).toBe(
      'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(signed.stringToSign).toBe(
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
    );
    expect(signed.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('reproduces the S3 GET Object example of the S3 SigV4 documentation (ranged GET of test.txt)', () => {
    // given the documented request on examplebucket with the documented example key
    const request = {
      method: 'GET',
      url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
      headers: { Range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY_SHA256, 'x-amz-date': '20130524T000000Z' },
      payloadHash: EMPTY_SHA256,
    };
    // when
    const signed = signV4(
      request,
      { region: 'us-east-1', service: 's3', amzDate: '20130524T000000Z' },
      {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
    );
    // then
    expect(signed.signedHeaders).toBe('host;range;x-amz-content-sha256;x-amz-date');
    expect(signed.signature).toBe('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
  });

  it('encodes as RFC 3986 wants and formats the date without separators', () => {
    expect(uriEncode("a b/c!*'()~._-")).toBe('a%20b%2Fc%21%2A%27%28%29~._-');
    expect(amzDateOf(new Date('2026-12-02T06:01:02.345Z'))).toBe('20261202T060102Z');
  });
});
