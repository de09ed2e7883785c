// What the report is of (GET .../report.pdf?classes=): the pinned classes
// first, then the other classes whose map was on screen, in the order seen;
// at most the server's 8. "49,47,329". The server draws each with every
// method it computed for it on the page's request, with their checks.

/** The most classes one report is of (the server's kMaxReportClasses). */
export const MAX_REPORT_CLASSES = 8;

export function reportView(pinned: number[], viewed: { index: number; method: string }[]): string {
  const classes: number[] = [];
  for (const index of [...pinned, ...viewed.map((v) => v.index)])
    if (Number.isInteger(index) && index >= 0 && !classes.includes(index)) classes.push(index);
  return classes.slice(0, MAX_REPORT_CLASSES).join(',');
}
