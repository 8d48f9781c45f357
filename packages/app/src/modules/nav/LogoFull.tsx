import { LogoIcon } from './LogoIcon';

/** Lakeport wordmark for the open sidebar. */
export const LogoFull = () => (
  <span
    style={{ display: 'inline-flex', alignItems: 'center', gap: 10 }}
    aria-label="Lakeport"
  >
    <LogoIcon />
    <span
      style={{
        color: '#e6f4ff',
        fontSize: 24,
        fontWeight: 700,
        letterSpacing: 0.5,
      }}
    >
      Lakeport
    </span>
  </span>
);
