// The messages of a review's Redis channel and stream entries, as bytes: what redis-hub.ts sends and receives for
// shared-board.ts. A channel message is one letter for its kind, then newline-terminated text fields, then the
// binary payload (an update or awareness update) as the rest; a stream entry's fields have one-letter names.

/** A stream entry: one board update as a process applied it. */
export interface StreamEntry {
  id: string;
  /** The process that added it. */
  process: string;
  authorId: string | null;
  at: number;
  update: Uint8Array;
}

/** What a review's channel carries. */
export type RoomMessage =
  | { kind: 'update'; prev: string; entry: StreamEntry }
  | { kind: 'committed'; cursor: string }
  | { kind: 'awareness'; process: string; update: Uint8Array }
  | { kind: 'query-awareness'; process: string }
  | { kind: 'released'; process: string };

export function decodeEntry(id: string, fields: Buffer[]): StreamEntry {
  const map = new Map<string, Buffer>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!.toString(), fields[i + 1]!);
  const author = map.get('a')?.toString() ?? '';
  return {
    id,
    process: map.get('p')?.toString() ?? '',
    authorId: author === '' ? null : author,
    at: Number(map.get('t')?.toString() ?? 0),
    update: new Uint8Array(map.get('u') ?? []),
  };
}

const NEWLINE = 0x0a;

/** Splits off `count` newline-terminated text fields; the rest is binary. */
function splitFields(message: Buffer, start: number, count: number): { fields: string[]; rest: Buffer } {
  const fields: string[] = [];
  let at = start;
  for (let i = 0; i < count; i++) {
    const end = message.indexOf(NEWLINE, at);
    if (end < 0) throw new Error('Truncated message');
    fields.push(message.toString('utf8', at, end));
    at = end + 1;
  }
  return { fields, rest: message.subarray(at) };
}

export function encodeRoomMessage(message: RoomMessage): Buffer {
  switch (message.kind) {
    case 'update': {
      const { entry } = message;
      const head = `U${message.prev}\n${entry.id}\n${entry.process}\n${entry.authorId ?? ''}\n${entry.at}\n`;
      return Buffer.concat([Buffer.from(head), entry.update]);
    }
    case 'committed':
      return Buffer.from(`C${message.cursor}`);
    case 'awareness':
      return Buffer.concat([Buffer.from(`A${message.process}\n`), message.update]);
    case 'query-awareness':
      return Buffer.from(`Q${message.process}`);
    case 'released':
      return Buffer.from(`R${message.process}`);
  }
}

export function decodeRoomMessage(message: Buffer): RoomMessage {
  const kind = String.fromCharCode(message[0] ?? 0);
  switch (kind) {
    case 'U': {
      const { fields, rest } = splitFields(message, 1, 5);
      const [prev, id, process, author, at] = fields as [string, string, string, string, string];
      return {
        kind: 'update',
        prev,
        entry: { id, process, authorId: author === '' ? null : author, at: Number(at), update: new Uint8Array(rest) },
      };
    }
    case 'C':
      return { kind: 'committed', cursor: message.toString('utf8', 1) };
    case 'A': {
      const { fields, rest } = splitFields(message, 1, 1);
      return { kind: 'awareness', process: fields[0]!, update: new Uint8Array(rest) };
    }
    case 'Q':
      return { kind: 'query-awareness', process: message.toString('utf8', 1) };
    case 'R':
      return { kind: 'released', process: message.toString('utf8', 1) };
    default:
      throw new Error(`Unknown room message "${kind}"`);
  }
}
