import { Config } from '@backstage/config';

/** Header the development sign-in page sends with the chosen user ref. */
export const DEV_USER_HEADER = 'x-lakeport-dev-user';

/** Provider id under auth.providers and in /api/auth/<id>/refresh. */
export const DEV_PROVIDER_ID = 'lakeport-dev';

/**
 * Development sign-in is on only when it is asked for explicitly and nothing
 * says this is production: a production config that forgets to switch it off
 * still refuses, because it sets auth.environment (or NODE_ENV) to production.
 */
export function isDevSignInEnabled(config: Config): boolean {
  if (config.getOptionalBoolean('lakeport.devSignIn.enabled') !== true) {
    return false;
  }
  const authEnvironment =
    config.getOptionalString('auth.environment') ?? 'development';
  return (
    authEnvironment !== 'production' && process.env.NODE_ENV !== 'production'
  );
}

export const DEV_SIGN_IN_DISABLED_MESSAGE =
  'Development sign-in is disabled: it works only with development config ' +
  '(lakeport.devSignIn.enabled: true, auth.environment not production).';
