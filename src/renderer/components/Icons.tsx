/** Small line icons drawn with the text colour; always decorative (the text next to them says the same). */
const paths = {
  more: <path d="M4 8h.01M8 8h.01M12 8h.01" strokeWidth="2.6" />,
  external: <path d="M9 3h4v4M13 3 7.5 8.5M11 9.5V13H3V5h3.5" />,
  back: <path d="M10 3.5 5.5 8l4.5 4.5" />,
  plus: <path d="M8 3v10M3 8h10" />,
  chevron: <path d="M6 4l4 4-4 4" />,
  search: <path d="M7 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10ZM10.8 10.8 14 14" />,
  up: <path d="M4 10l4-4 4 4" />,
  down: <path d="M4 6l4 4 4-4" />,
  copy: <path d="M5.5 5.5V3h7.5v7.5h-2.5M3 5.5h7.5V13H3z" />,
  clear: <path d="M3 4h10M6 4V2.8h4V4M4.5 4l.7 9h5.6l.7-9" />,
  end: <path d="M4 4.5l4 4 4-4M4 12h8" />,
  box: <path d="M2.5 5 8 2l5.5 3v6L8 14l-5.5-3zM2.5 5 8 8l5.5-3M8 8v6" />,
  lock: <path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2M3.5 7h9v6.5h-9z" />,
  check: <path d="M3.5 8.5l3 3 6-7" />,
  cross: <path d="M4.5 4.5l7 7M11.5 4.5l-7 7" />,
  dot: <circle cx="8" cy="8" r="2.2" fill="currentColor" stroke="none" />,
  skip: <path d="M3.5 8h9M9.5 5l3 3-3 3" />,
  warning: <path d="M8 2.5 14 13H2zM8 6.5v3M8 11.3v.01" />,
  rocket: <path d="M9.5 2.5c2.5 0 4 1.5 4 4L8 12 4 8l5.5-5.5ZM4 8l-2 .5 1.5-2.5H6M8 12l-.5 2 2.5-1.5V10M10 6.5h.01" />,
};

export type IconName = keyof typeof paths;

export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg className={`icon ${className ?? ''}`} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      {paths[name]}
    </svg>
  );
}
