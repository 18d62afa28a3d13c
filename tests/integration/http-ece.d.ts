/** The part of http_ece (RFC 8188 / RFC 8291) the Web Push test's receiver uses. */
declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';
  interface DecryptParams {
    version: 'aes128gcm';
    privateKey: ECDH;
    /** base64url or bytes. */
    authSecret: string | Buffer;
  }
  const ece: { decrypt(body: Buffer, params: DecryptParams): Buffer };
  export default ece;
}
