import { trustProxy } from './config.ts';

/** The caller's address: the first X-Forwarded-For hop when behind our own reverse proxy, else the socket's. */
export function clientIp(request: Request, socketAddress: string | undefined): string | null {
  const forwarded = trustProxy ? request.headers.get('x-forwarded-for') : null;
  const first = forwarded?.split(',')[0]?.trim();
  return first || socketAddress || null;
}
