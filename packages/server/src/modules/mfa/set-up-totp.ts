import type { TTotpSetup } from '@ums/contract';
import { saveUnconfirmedTotp } from '@ums/db';
import type { ServiceDeps } from '../service-deps.ts';
import { totpAlreadyEnabled } from './mfa-errors.ts';
import { qrCodeSvg } from './qr-code.ts';
import { newTotpSecret, totpUrl } from './totp.ts';

/**
 * A new TOTP secret for the caller, made here and kept sealed under ENCRYPTION_KEY; it counts only once a first
 * code confirms it (me.mfa.totp.confirm). A new set-up replaces one not yet confirmed; a confirmed one stays (409).
 */
export async function setUpTotp(
  deps: Pick<ServiceDeps, 'db' | 'secrets' | 'config'>,
  { userId, email }: { userId: string; email: string },
): Promise<TTotpSetup> {
  const secret = newTotpSecret();
  const saved = await deps.db.transaction((tx) =>
    saveUnconfirmedTotp(tx, { userId, sealedSecret: deps.secrets.seal(secret), keyId: deps.secrets.keyId }),
  );
  if (!saved) throw totpAlreadyEnabled();
  const otpauthUrl = totpUrl({ secret, issuer: deps.config.mail.productName, account: email });
  return { secret, otpauthUrl, qrCodeSvg: await qrCodeSvg(otpauthUrl) };
}
