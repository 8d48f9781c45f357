/** Lakeport mark: a harbour light over water, for the closed sidebar. */
export const LogoIcon = () => (
  <svg width="30" height="30" viewBox="0 0 30 30" aria-hidden="true">
    <circle cx="15" cy="15" r="14" fill="#1f6feb" />
    <path d="M13 6h4l1 11h-6z" fill="#e6f4ff" />
    <path
      d="M5 20c2.5 0 2.5-2 5-2s2.5 2 5 2 2.5-2 5-2 2.5 2 5 2"
      stroke="#e6f4ff"
      strokeWidth="2"
      fill="none"
      strokeLinecap="round"
    />
  </svg>
);
