const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const COLORS = [36, 32, 33, 35, 34, 96, 92, 93];

/** `role | line`: a role's JSON log line made readable, any other line kept as it is. */
export function formatLogLine(
  role: string,
  line: string,
  colorIndex: number,
  color: boolean,
): string {
  const label = role.padEnd(13);
  const prefix = color
    ? `\x1b[${COLORS[colorIndex % COLORS.length]}m${label}\x1b[0m|`
    : `${label}|`;
  let text = line;
  if (line.startsWith('{')) {
    try {
      const {
        level,
        time,
        msg,
        role: _role,
        pid: _pid,
        hostname: _host,
        ...rest
      } = JSON.parse(line) as Record<string, unknown>;
      const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
      const clock = typeof time === 'string' ? time.slice(11, 19) : '';
      text = `${clock} ${(LEVELS[Number(level)] ?? String(level)).padEnd(5)} ${String(msg ?? '')}${extra}`;
    } catch {
      // not JSON after all: print it as it came
    }
  }
  return `${prefix} ${text}`;
}
