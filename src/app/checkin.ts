// Glue between the check-in domain (src/server/checkin/) and the pages: the code's lifetime from astro:env, and the
// link the QR code carries, on the configured public origin (never the request's Host).
import QRCode from 'qrcode';
import { CAPACITA_CHECKIN_TTL_SECONDS } from 'astro:env/server';
import { localePath, type Locale } from '../i18n/index.ts';
import { CHECKIN_TTL_MS } from '../server/checkin/index.ts';
import { publicOrigin } from './config.ts';

export function checkInTtlMs(): number {
  const seconds = Number(CAPACITA_CHECKIN_TTL_SECONDS);
  return Number.isFinite(seconds) && seconds >= 2 ? seconds * 1000 : CHECKIN_TTL_MS;
}

export function checkInUrl(locale: Locale, code: string): string {
  return `${publicOrigin()}${localePath(locale, '/checkin')}?${new URLSearchParams({ c: code })}`;
}

/** The link as an SVG QR code, drawn on the server (the screen needs no script). */
export function checkInQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
}
