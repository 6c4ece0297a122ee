// Close codes of the sync websocket, mirroring HTTP statuses (the y-websocket protocol lands with the review room).
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  unauthorized: 4401,
  forbidden: 4403,
  notFound: 4404,
  tooLarge: 4413,
  malformed: 4400,
} as const;
