/**
 * Development sign-in as any user of the catalog (refused in production config).
 *
 * @packageDocumentation
 */
export { authModuleLakeportDevProvider as default } from './module';
export {
  DEV_PROVIDER_ID,
  DEV_USER_HEADER,
  isDevSignInEnabled,
} from './devSignIn';
export type { DevUser } from './devUsersRouter';
