import QRCode from 'qrcode';

/** The QR code of an otpauth URL as an SVG document, to show beside the secret during set-up. */
export const qrCodeSvg = (text: string): Promise<string> => QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
