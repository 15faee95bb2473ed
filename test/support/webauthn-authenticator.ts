import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type { TAuthenticationResponse, TRegistrationResponse, TWebAuthnOptions } from '@ums/contract';

/**
 * A software authenticator on node:crypto: ES256 keys, attestation "none", and assertions signed the way a real
 * authenticator signs them (authenticatorData ‖ SHA-256(clientDataJSON)). Each option lets a test break one rule:
 * another origin or RP ID, no user verification, a counter that goes backwards.
 */
export interface CeremonyOptions {
  origin?: string;
  rpId?: string;
  userVerified?: boolean;
  /** The signature counter to send (default: one more than the last). */
  counter?: number;
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const b64url = (data: Buffer | Uint8Array) => Buffer.from(data).toString('base64url');

export class SoftwareAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly privateKey: KeyObject;
  private readonly publicJwk: { x: string; y: string };
  private signCount = 0;
  /** The user handle the credential was made for (options.user.id), sent back on sign-in as a discoverable credential does. */
  userHandle: string | null = null;

  constructor(
    readonly origin: string,
    readonly rpId: string,
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    this.publicJwk = { x: jwk.x as string, y: jwk.y as string };
  }

  get id() {
    return b64url(this.credentialId);
  }

  /** The answer of navigator.credentials.create() to creation options. */
  register(options: TWebAuthnOptions, ceremony: CeremonyOptions = {}): TRegistrationResponse {
    const user = options.user as { id: string } | undefined;
    this.userHandle = user?.id ?? null;
    const clientDataJSON = this.clientData('webauthn.create', options.challenge, ceremony);
    const cose = new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(this.publicJwk.x, 'base64url')],
      [-3, Buffer.from(this.publicJwk.y, 'base64url')],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, Buffer.from(isoCBOR.encode(cose))]);
    const authData = Buffer.concat([this.authDataHead(ceremony, FLAG_AT, 0), attested]);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]) as never,
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal'] },
    };
  }

  /** The answer of navigator.credentials.get() to request options (or to a bare challenge). */
  assert(options: { challenge: string }, ceremony: CeremonyOptions = {}): TAuthenticationResponse {
    this.signCount = ceremony.counter ?? this.signCount + 1;
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, ceremony);
    const authData = this.authDataHead(ceremony, 0, this.signCount);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
    };
  }

  private clientData(type: string, challenge: string, ceremony: CeremonyOptions) {
    return Buffer.from(JSON.stringify({ type, challenge, origin: ceremony.origin ?? this.origin, crossOrigin: false }));
  }

  private authDataHead(ceremony: CeremonyOptions, extraFlags: number, counter: number) {
    const uv = ceremony.userVerified === false ? 0 : FLAG_UV;
    const flags = Buffer.from([FLAG_UP | uv | FLAG_BE | FLAG_BS | extraFlags]);
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(ceremony.rpId ?? this.rpId), flags, count]);
  }
}
