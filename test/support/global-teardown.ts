import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__miloTestTeardown?.();
  if (process.env.DEV_ISSUER_KEY_FILE) rmSync(process.env.DEV_ISSUER_KEY_FILE, { force: true });
}
