/**
 * The embedded platform's administrator, created (or reset) at every start. Printed by `npm
 * start`; override with SHOWRUNNER_ADMIN_EMAIL and SHOWRUNNER_ADMIN_PASSWORD.
 */
export const DEFAULT_ADMIN = { email: 'admin@showrunner.local', password: 'showrunner-admin' } as const;

export function adminFromEnv(): { email: string; password: string } {
  return {
    email: process.env.SHOWRUNNER_ADMIN_EMAIL ?? DEFAULT_ADMIN.email,
    password: process.env.SHOWRUNNER_ADMIN_PASSWORD ?? DEFAULT_ADMIN.password,
  };
}
