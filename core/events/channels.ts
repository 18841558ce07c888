/** The Redis pub/sub channel of one organization's events: nothing crosses organizations. */
export function eventChannel(redisPrefix: string, organizationId: string): string {
  return `${redisPrefix}:events:${organizationId}`;
}
